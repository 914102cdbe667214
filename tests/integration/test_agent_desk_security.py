"""Agent desk roles, logout, bad input on every non-REST route, and the security
headers of every response, against the real Rasa and action servers."""
import json

import pytest
import requests

BAD_BODIES = [
    ("a JSON list", b'["text", "hello"]', 400),
    ("deeply nested JSON", b'{"text": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", 400),
    ("not JSON", b"{text: hello", 400),
    ("a lone surrogate", b'{"text": "\\ud800 hi", "username": "\\udfff", "password": "\\ud800xxxxxxxx"}', 400),
    ("wrong types", b'{"text": 5, "username": ["alice"], "password": {"p": 1}, "disposition": 3}', 400),
    ("a huge body", b'{"text": "' + b"x" * 300_000 + b'"}', 413),
]


def queued_ticket(servers, sender: str, token: str) -> str:
    servers.say(sender, "I want to talk to a human")
    [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": sender}).json()
    return ticket["ticket_id"]


def test_logout_revokes_the_token_on_the_server(servers):
    token = servers.login("agent1", "pass-word-1")
    assert servers.api("GET", "/queue", token).status_code == 200
    out = servers.api("POST", "/logout", token)
    assert out.status_code == 200 and out.json() == {"status": "logged_out"}
    assert servers.api("GET", "/queue", token).status_code == 401
    assert servers.api("POST", "/logout", token).status_code == 401


def test_metrics_and_agent_management_are_for_supervisors(servers):
    agent = servers.login("agent2", "pass-word-1")
    supervisor = servers.login("alice", "pass-word-1")
    new_agent = {"username": "agent9", "password": "pass-word-9", "display_name": "Agent 9", "role": "agent"}
    assert servers.api("GET", "/metrics", agent).status_code == 403
    assert servers.api("GET", "/agents", agent).status_code == 403
    assert servers.api("POST", "/agents", agent, json=new_agent).status_code == 403
    assert servers.api("GET", "/metrics", supervisor).status_code == 200
    created = servers.api("POST", "/agents", supervisor, json=new_agent)
    assert created.status_code == 201 and created.json()["role"] == "agent"
    listed = {a["username"]: a for a in servers.api("GET", "/agents", supervisor).json()}
    assert listed["agent9"]["display_name"] == "Agent 9" and listed["alice"]["role"] == "supervisor"
    assert listed["agent2"]["online"] is True and "password_hash" not in listed["agent2"]
    assert servers.login("agent9", "pass-word-9")
    refused = servers.api("POST", "/agents", supervisor, json={**new_agent, "role": "admin"})
    assert refused.status_code == 400 and "role" in refused.json()["error"]


def test_an_agent_closes_only_what_they_claimed_a_supervisor_closes_any(servers):
    holder = servers.login("agent3", "pass-word-1")
    other = servers.login("agent4", "pass-word-1")
    supervisor = servers.login("alice", "pass-word-1")

    unclaimed = queued_ticket(servers, "close-roles-1", holder)
    refused = servers.api("POST", f"/tickets/{unclaimed}/close", other, json={"disposition": "resolved"})
    assert refused.status_code == 403 and "claim" in refused.json()["error"]

    held = queued_ticket(servers, "close-roles-2", holder)
    assert servers.api("POST", f"/tickets/{held}/claim", holder).status_code == 200
    refused = servers.api("POST", f"/tickets/{held}/close", other, json={"disposition": "resolved"})
    assert refused.status_code == 403 and "supervisor" in refused.json()["error"]
    assert servers.api("GET", f"/tickets/{held}", other).json()["state"] == "with_agent"
    closed = servers.api("POST", f"/tickets/{held}/close", supervisor, json={"disposition": "follow_up"})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"

    mine = queued_ticket(servers, "close-roles-3", holder)
    assert servers.api("POST", f"/tickets/{mine}/claim", holder).status_code == 200
    assert servers.api("POST", f"/tickets/{mine}/close", holder, json={"disposition": "resolved"}).status_code == 200


@pytest.mark.parametrize("what, body, status", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_agent_api_answers_bad_bodies_with_a_clear_4xx(servers, what, body, status):
    token = servers.login("agent0", "pass-word-1")
    ticket_id = queued_ticket(servers, f"bad-body-{BAD_BODIES.index((what, body, status))}", token)
    assert servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    headers = {"Content-Type": "application/json"}
    for path, auth in (("/login", None), (f"/tickets/{ticket_id}/messages", token),
                       (f"/tickets/{ticket_id}/close", token), ("/agents", servers.login("alice", "pass-word-1"))):
        reply = servers.api("POST", path, auth, data=body, headers=headers)
        if path.endswith("/close") and what in ("a lone surrogate",):
            assert reply.status_code == 200  # no disposition given: the default one
            continue
        assert reply.status_code == status, (path, reply.status_code, reply.text[:200])
        assert reply.json()["error"]


def test_agent_api_odd_ids_and_parameters_are_4xx(servers):
    token = servers.login("agent0", "pass-word-1")
    assert servers.api("GET", "/tickets/%ED%A0%80", token).status_code in (400, 404)
    assert servers.api("GET", "/tickets/" + "x" * 300, token).status_code == 404
    assert servers.api("POST", "/tickets/%F0/claim", token).status_code in (400, 404)
    assert servers.api("GET", "/tickets", token, params={"conversation_id": "x" * 300}).status_code == 400
    assert servers.api("GET", "/queue", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")).status_code == 401


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "   "}, {"text": "\u3000\n"}])
def test_model_parse_of_an_empty_or_blank_text_is_a_fallback(servers, body):
    reply = servers.rasa_api("POST", "/model/parse", json=body)
    assert reply.status_code == 200, reply.text[:300]
    assert reply.json()["intent"]["name"] == "nlu_fallback"


@pytest.mark.parametrize("body", [b'["hi"]', b'{"text": 5}', b'{"text": "\\ud800"}', b"{", b'"hi"',
                                  b'{"text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"])
def test_model_parse_refuses_bad_bodies_with_400(servers, body):
    reply = servers.rasa_api("POST", "/model/parse", data=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 400, reply.text[:300]


def chat(servers, path: str, body: bytes, **headers) -> requests.Response:
    return requests.post(f"{servers.url}/chat/api/{path}", data=body,
                         headers={"Content-Type": "text/plain;charset=UTF-8", **headers}, timeout=60)


def test_web_chat_http_fallback_answers_bad_input_with_a_clear_4xx(servers):
    session_id = chat(servers, "session", b"{}").json()["session_id"]
    cases = [
        (b'["hi"]', 400), (b'{"session_id": "' + session_id.encode() + b'", "message": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", 400),
        (json.dumps({"session_id": session_id, "message": "hi", "metadata": "x" * 300_000}).encode(), 413),
        (b'{"session_id": "' + session_id.encode() + b'", "message": "\\ud800 where is my order"}', 400),
        (json.dumps({"session_id": session_id, "message": ["hi"]}).encode(), 400),
        (json.dumps({"session_id": ["x"], "message": "hi"}).encode(), 404),
    ]
    for body, status in cases:
        reply = chat(servers, "message", body)
        assert reply.status_code == status, (body[:80], reply.status_code, reply.text[:200])
        assert reply.json()["error"]["message"]
    # a bad customer token (lone surrogate, wrong type) is refused, the chat goes on
    for token in ('"\\ud800"', "42", "[1]"):
        reply = chat(servers, "session", b'{"customer_token": ' + token.encode() + b"}")
        assert reply.status_code == 200 and reply.json()["error"]["code"] == "invalid_token", reply.text[:200]
    assert chat(servers, "session", b'{"session_id": {"a": 1}, "language": [1]}').status_code == 200


def test_every_response_says_nosniff_and_desk_pages_may_not_be_framed(servers):
    for method, path in (("GET", "/agent/"), ("GET", "/agent/static/app.js"), ("GET", "/agent/api/queue"),
                         ("POST", "/agent/api/login"), ("GET", "/chat/"), ("GET", "/chat/widget.js"),
                         ("POST", "/chat/api/session"), ("GET", "/webhooks/rest/"), ("GET", "/webhooks/ivr/"),
                         ("GET", "/webhooks/wechat/"), ("GET", "/status"), ("GET", "/"), ("GET", "/no/such/page"),
                         ("POST", "/model/parse"), ("GET", "/socket.io/?EIO=4&transport=polling")):
        reply = requests.request(method, f"{servers.url}{path}", timeout=30)
        assert reply.status_code < 500, path
        assert reply.headers.get("X-Content-Type-Options") == "nosniff", (path, dict(reply.headers))
    desk = requests.get(f"{servers.url}/agent/", timeout=30)
    csp = desk.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    page = requests.get(f"{servers.url}/chat/", timeout=30).headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in page and "unsafe-inline" not in page and "connect-src 'self'" in page


def test_one_allow_origin_header_and_never_for_a_refused_origin(servers):
    own = servers.url  # the server's own origin is always allowed
    allowed = chat(servers, "session", b"{}", Origin=own)
    assert allowed.raw.headers.getlist("Access-Control-Allow-Origin") == [own]
    refused = chat(servers, "session", b"{}", Origin="https://evil.example")
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers
    widget = requests.get(f"{servers.url}/chat/widget.js", headers={"Origin": "https://shop.example"}, timeout=30)
    assert widget.raw.headers.getlist("Access-Control-Allow-Origin") == ["*"]
    for origin, expected in ((own, [own]), ("https://evil.example", [])):
        handshake = requests.get(f"{servers.url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin},
                                 timeout=30)
        assert handshake.status_code == 200
        assert handshake.raw.headers.getlist("Access-Control-Allow-Origin") == expected
