"""Agent desk roles, logout, bad input on every non-REST route, and the security
headers of every response, against the real Rasa and action servers."""
import json
import socket
import threading
from urllib.parse import urlsplit

import pytest
import requests

from tests.integration.webchat_client import conversation_of

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
    # desk files: only the ones it ships, whatever the name (fuzz F11: a long name was a 500)
    for name in ("x" * 300, "..%2Fapp.js", "%00", "app.js%20"):
        assert requests.get(f"{servers.url}/agent/static/{name}", timeout=30).status_code == 404, name
    assert requests.get(f"{servers.url}/agent/static/app.js", timeout=30).status_code == 200


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


def test_model_parse_reads_at_most_a_rest_message(servers):
    """Every reading holds the server's next one (bot/nlu_worker.py): a 117 KB text held a customer's for a second."""
    from connectors.guard import PARSE_MAX_CHARS
    from connectors.rest import MAX_MESSAGE_CHARS

    assert PARSE_MAX_CHARS == MAX_MESSAGE_CHARS
    longest = servers.rasa_api("POST", "/model/parse", json={"text": "where is my order " + "x" * (PARSE_MAX_CHARS - 18)})
    assert longest.status_code == 200, longest.text[:300]
    refused = servers.rasa_api("POST", "/model/parse", json={"text": "x" * (PARSE_MAX_CHARS + 1)})
    assert refused.status_code == 413 and str(PARSE_MAX_CHARS) in refused.json()["message"]


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
        (json.dumps({"session_id": ["x"], "message": "hi"}).encode(), 400),  # a session_id of the wrong type
    ]
    for body, status in cases:
        reply = chat(servers, "message", body)
        assert reply.status_code == status, (body[:80], reply.status_code, reply.text[:200])
        assert reply.json()["error"]["message"]
    # a bad customer token (lone surrogate, wrong type) is refused, the chat goes on
    for token in ('"\\ud800"', "42", "[1]"):
        reply = chat(servers, "session", b'{"customer_token": ' + token.encode() + b"}")
        assert reply.status_code == 200 and reply.json()["error"]["code"] == "invalid_token", reply.text[:200]
    wrong = chat(servers, "session", b'{"session_id": {"a": 1}, "language": [1]}')  # a session_id of the wrong type
    assert wrong.status_code == 400 and "session_id must be a string" in wrong.json()["error"]["message"]
    assert chat(servers, "session", b'{"session_id": null, "language": [1]}').status_code == 200  # a new session


def head_raw(url: str, path: str) -> tuple[int, dict, bytes]:
    """``HEAD path`` over a raw socket (``Connection: close``), read to the end: the status, the headers (lower-case
    names) and every byte after them. ``requests`` / ``http.client`` never read a body after HEAD, so checking their
    ``content`` could not fail; a server that wrongly sends one shows here as bytes after the headers."""
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(f"HEAD {path} HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n\r\n".encode())
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, rest = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, rest


def test_the_raw_head_check_sees_a_body_a_server_wrongly_sends():
    """The check below can fail: a server answering HEAD with a body shows the body's bytes."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve_once():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")

    thread = threading.Thread(target=serve_once, daemon=True)
    thread.start()
    try:
        assert head_raw(f"http://127.0.0.1:{port}", "/") == (200, {"content-length": "5", "connection": "close"},
                                                             b"hello")
    finally:
        thread.join(timeout=10)
        listener.close()


def test_the_pages_answer_head_for_uptime_checks(servers):
    # a fresh new user's finding (issue 11, sixteenth pass): `curl -I /agent/` answered 405
    for path in ("/agent/", "/agent/supervisor"):
        status, headers, body = head_raw(servers.url, path)
        assert status == 200 and body == b"", (path, status, body[:80])
        assert headers.get("content-security-policy"), path


def test_the_chat_page_and_widget_answer_head_for_uptime_checks(servers):
    # a fresh new user's finding (issue 11, seventeenth pass): `curl -I /chat/` answered 405 while GET worked
    for path in ("/chat/", "/chat", "/chat/widget.js", "/chat/api/health"):
        status, headers, body = head_raw(servers.url, path)
        assert status == 200 and body == b"", (path, status, body[:80])
        assert headers.get("content-type") == requests.get(f"{servers.url}{path}", timeout=30).headers.get(
            "Content-Type"), path
    assert head_raw(servers.url, "/chat/")[1].get("content-security-policy")


def test_head_answers_where_get_is_public_and_nowhere_it_needs_a_token(servers):
    """Fresh-user report 7: HEAD / (the documented health check) and HEAD /agent/static/* answered 405 while
    /chat/* answered HEAD. Every public GET answers HEAD too; no route that needs a token got HEAD."""
    for path in ("/", "/agent/static/app.js", "/agent/static/style.css", "/webhooks/rest/", "/webhooks/ivr/",
                 "/webhooks/wechat/"):
        status, headers, body = head_raw(servers.url, path)
        assert status == 200 and body == b"", (path, status, body[:80])
        got = requests.get(f"{servers.url}{path}", timeout=30)
        assert got.status_code == 200 and headers.get("content-type") == got.headers.get("Content-Type"), path
        assert headers.get("x-content-type-options") == "nosniff", path
    assert "Rasa" in requests.get(f"{servers.url}/", timeout=30).text
    for path in ("/agent/api/queue", "/agent/api/metrics", "/status", "/version", "/webhooks/rest/outbox/x",
                 "/agent/static/nope.js"):
        status, _, _ = head_raw(servers.url, path)
        assert status in (404, 405), (path, status)


def test_the_favicon_the_pages_make_the_browser_ask_for_is_served(servers):
    """A new user's finding: /favicon.ico answered 404 on the server of the web chat and the desk (every page view
    logged the error in the browser). It is a small inline SVG, for GET and HEAD, nothing fetched from elsewhere."""
    icon = requests.get(f"{servers.url}/favicon.ico", timeout=30)
    assert icon.status_code == 200 and icon.headers["Content-Type"] == "image/svg+xml"
    assert icon.content.startswith(b"<svg") and b"<script" not in icon.content and b"http://www.w3.org" in icon.content
    assert b"href" not in icon.content  # nothing to fetch
    assert icon.headers.get("X-Content-Type-Options") == "nosniff"
    assert "default-src 'none'" in icon.headers["Content-Security-Policy"]
    status, headers, body = head_raw(servers.url, "/favicon.ico")
    assert status == 200 and body == b"" and headers.get("content-type") == "image/svg+xml"


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


# --- review of issue 10: agent management, stored text, bearer parsing, CORS, body size ---------

def new_agent(username: str, password: str = "pass-word-1", role: str = "agent", **extra) -> dict:
    return {"username": username, "password": password, "display_name": username.title(), "role": role, **extra}


def test_a_new_password_or_role_ends_the_agents_sessions_and_an_update_says_so(servers):
    supervisor = servers.login("alice", "pass-word-1")
    created = servers.api("POST", "/agents", supervisor, json=new_agent("reset-me"))
    assert created.status_code == 201 and created.json()["updated"] is False
    token = servers.login("reset-me", "pass-word-1")
    same = servers.api("POST", "/agents", supervisor, json=new_agent("reset-me"))
    assert same.status_code == 200 and same.json()["updated"] is True and same.json()["sessions_ended"] == 0
    assert servers.api("GET", "/queue", token).status_code == 200  # nothing changed: the session goes on

    reset = servers.api("POST", "/agents", supervisor, json=new_agent("reset-me", "pass-word-2"))
    assert reset.status_code == 200 and reset.json()["updated"] is True and reset.json()["sessions_ended"] == 1
    assert servers.api("GET", "/queue", token).status_code == 401
    assert servers.api("POST", "/login", json={"username": "reset-me", "password": "pass-word-1"}).status_code == 401
    token = servers.login("reset-me", "pass-word-2")
    promoted = servers.api("POST", "/agents", supervisor, json=new_agent("reset-me", "pass-word-2", "supervisor"))
    assert promoted.status_code == 200 and promoted.json()["sessions_ended"] == 1
    assert servers.api("GET", "/queue", token).status_code == 401
    assert servers.api("GET", "/metrics", servers.login("reset-me", "pass-word-2")).status_code == 200


def test_a_disabled_agent_cannot_log_in_and_their_tokens_stop_working(servers):
    supervisor = servers.login("alice", "pass-word-1")
    assert servers.api("POST", "/agents", supervisor, json=new_agent("leaver")).status_code == 201
    token = servers.login("leaver", "pass-word-1")
    colleague = servers.login("agent1", "pass-word-1")
    assert servers.api("POST", "/agents/leaver/disable", colleague).status_code == 403  # supervisors only
    assert servers.api("GET", "/queue", token).status_code == 200

    disabled = servers.api("POST", "/agents/leaver/disable", supervisor)
    assert disabled.status_code == 200 and disabled.json() == {"username": "leaver", "active": False,
                                                                "sessions_ended": 1}
    assert servers.api("GET", "/queue", token).status_code == 401
    assert servers.api("POST", "/login", json={"username": "leaver", "password": "pass-word-1"}).status_code == 401
    listed = {a["username"]: a for a in servers.api("GET", "/agents", supervisor).json()}
    assert listed["leaver"]["active"] is False and listed["agent1"]["active"] is True
    assert servers.api("GET", "/queue", colleague).status_code == 200  # nobody else is affected

    assert servers.api("POST", "/agents/nobody/disable", supervisor).status_code == 404
    assert servers.api("POST", "/agents/alice/disable", supervisor).status_code == 409  # not yourself
    assert servers.api("POST", "/agents", supervisor,
                       json=new_agent("alice", role="supervisor", active=False)).status_code == 409
    assert servers.api("POST", "/agents/leaver/enable", supervisor).json()["active"] is True
    assert servers.api("GET", "/queue", servers.login("leaver", "pass-word-1")).status_code == 200
    off = servers.api("POST", "/agents", supervisor, json=new_agent("leaver", active=False))
    assert off.status_code == 200 and off.json()["active"] is False
    assert servers.api("POST", "/login", json={"username": "leaver", "password": "pass-word-1"}).status_code == 401


@pytest.mark.parametrize("field, value", [
    ("username", "x\u0000y"), ("username", "zz\n"), ("username", "two words"), ("username", "\u202eevil"),
    ("display_name", "Bell\x07"), ("display_name", "Tab\tName"), ("skills", ["en\u0000"]),
])
def test_agent_management_refuses_control_characters_and_odd_user_names(servers, field, value):
    supervisor = servers.login("alice", "pass-word-1")
    body = {**new_agent("odd-names-ok"), field: value}
    refused = servers.api("POST", "/agents", supervisor, json=body)
    assert refused.status_code == 400 and field in refused.json()["error"], refused.text
    names = [a["username"] for a in servers.api("GET", "/agents", supervisor).json()]
    assert not any("\u0000" in n or "\n" in n or " " in n or "\u202e" in n for n in names)


def test_agent_replies_and_logins_refuse_control_characters(servers):
    token = servers.login("agent2", "pass-word-1")
    ticket_id = queued_ticket(servers, "desk-control-chars", token)
    unclaimed = servers.api("POST", f"/tickets/{ticket_id}/messages", token, json={"text": "hello"})
    assert unclaimed.status_code == 409  # no Python None in the reason
    assert unclaimed.json() == {"error": "claim the ticket first (nobody holds it)"}
    assert servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    for text in ("hi\u0000there", "bell\x07", "esc\x1b[31m"):
        refused = servers.api("POST", f"/tickets/{ticket_id}/messages", token, json={"text": text})
        error = refused.json()["error"]
        assert refused.status_code == 400 and ("control character" in error or "NUL" in error), error
    sent = servers.api("POST", f"/tickets/{ticket_id}/messages", token, json={"text": "Line one\nLine two\tok"})
    assert sent.status_code == 200
    transcript = servers.api("GET", f"/tickets/{ticket_id}", token).json()["transcript"]
    assert not any("\u0000" in json.dumps(e) or "\\u0000" in json.dumps(e) for e in transcript)
    for username in ("x\u0000y", "zz\n"):
        login = servers.api("POST", "/login", json={"username": username, "password": "pass-word-1"})
        assert login.status_code == 400 and "username" in login.json()["error"]


@pytest.mark.parametrize("scheme", ["bearer {}", "BEARER {}", "Bearer  {}", "Bearer {} "])
def test_the_authorization_scheme_is_case_insensitive_on_every_server(servers, scheme):
    token = servers.login("agent3", "pass-word-1")
    assert servers.api("GET", "/queue", headers={"Authorization": scheme.format(token)}).status_code == 200
    rest = servers.rest("POST", authorized=False, json={"sender": "bearer-scheme", "message": "hello"},
                        headers={"Authorization": scheme.format(servers.rest_api_token)})
    assert rest.status_code == 200
    actions = requests.get(f"{servers.actions_url}/actions", timeout=30,
                           headers={"Authorization": scheme.format(servers.action_server_token)})
    assert actions.status_code == 200
    for wrong in ("Basic {}", "{}", "Bearer", "Bearertoken{}"):
        assert servers.api("GET", "/queue", headers={"Authorization": wrong.format(token)}).status_code == 401


def test_web_chat_refuses_control_characters_and_lone_surrogates_in_what_it_stores(servers):
    session_id = chat(servers, "session", b"{}").json()["session_id"]
    cases = [
        {"session_id": session_id, "message": "where is\u0000 my order"},
        {"session_id": session_id, "message": "bell\x07"},
        {"session_id": session_id, "message": "hello", "shown_as": "\ud800"},
        {"session_id": session_id, "message": "hello", "shown_as": "Yes\u0000"},
        {"session_id": session_id, "message": "hello", "shown_as": ["Yes"]},
    ]
    for body in cases:
        reply = chat(servers, "message", json.dumps(body).encode())
        assert reply.status_code == 400, (body, reply.status_code, reply.text[:200])
        assert reply.json()["error"]["message"]
    assert not [e for e in servers.tracker(conversation_of(session_id))["events"] or []
                if e.get("event") == "user"]  # nothing stored
    ok = chat(servers, "message", json.dumps({"session_id": session_id, "message": "hello\nthere",
                                              "shown_as": "Hello"}).encode())
    assert ok.status_code == 200
    stored = [e for e in servers.tracker(conversation_of(session_id))["events"] if e.get("event") == "user"]
    assert [e["text"] for e in stored] == ["hello\nthere"] and stored[0]["metadata"]["shown_as"] == "Hello"


def raw_post(servers, path: str, declared: int, sent: int, timeout: float = 20) -> bytes:
    """POST ``path`` declaring a body of ``declared`` bytes but sending only ``sent`` of them; the
    status line of the answer (a server that waits for the whole body answers nothing: timeout)."""
    host, port = servers.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: text/plain\r\n"
                     f"Content-Length: {declared}\r\n\r\n".encode() + b"x" * sent)
        try:
            return sock.recv(4096).split(b"\r\n", 1)[0]
        except socket.timeout:
            return b"(no answer: the server waited for the whole body)"


@pytest.mark.parametrize("path", ["/chat/api/message", "/agent/api/login", "/model/parse"])
def test_a_5_mb_body_is_refused_with_413_before_it_is_read(servers, path):
    status = raw_post(servers, path, declared=5_000_000, sent=64 * 1024)
    assert b" 413 " in status, (path, status)
    assert servers.api("POST", "/login", json={"username": "agent4", "password": "pass-word-1"}).status_code == 200


@pytest.mark.parametrize("declared", ["²", "١٢", "-1", "1 2", "0x10", "12, 13"])
def test_a_content_length_that_is_no_number_of_bytes_is_refused_with_400(servers, declared):
    """Session 45 (after helper-210's IVR timestamp): Sanic passed the header to int(): "²" raised out of its parser
    (500, a traceback in the log), and "-1" or other scripts' digits were taken as a length."""
    host, port = servers.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(f"POST /chat/api/session HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: text/plain\r\n"
                     f"Content-Length: {declared}\r\n\r\n{{}}".encode())
        answer = sock.recv(4096)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), (declared, head)
    assert b"Content-Length must be a number of bytes" in body
    assert servers.api("POST", "/login", json={"username": "agent4", "password": "pass-word-1"}).status_code == 200


def test_two_different_content_lengths_are_refused_with_400(servers):
    host, port = servers.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(f"POST /chat/api/session HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: 2\r\n"
                     f"Content-Length: 20\r\n\r\n{{}}".encode())
        assert sock.recv(4096).startswith(b"HTTP/1.1 400 ")


@pytest.mark.parametrize("body", [b"notjson", b'["hi"]', b'{"text": "\\ud800"}', b'{"text": 5}'])
def test_model_parse_checks_the_token_before_the_body(servers, body):
    for params in ({}, {"token": "wrong"}, {"token": servers.rasa_api_token[:-1]}):
        refused = servers.rasa_api("POST", "/model/parse", authorized=False, params=params, data=body)
        assert refused.status_code == 401, (body, params, refused.text[:200])
        assert refused.json()["reason"] == "NotAuthenticated" and "3.6" not in refused.text
    assert servers.rasa_api("POST", "/model/parse", data=body).status_code == 400


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("method, path, status, reason", [
    ("GET", "/nonexistent", 404, "NotFound"),
    ("GET", "/agent/..%2f..%2fcredentials.yml", 404, "NotFound"),
    ("GET", "/webhooks/nosuchchannel/webhook", 404, "NotFound"),
    ("DELETE", "/agent/api/login", 405, "MethodNotSupported"),
    ("PUT", "/version", 405, "MethodNotSupported"),
])
def test_framework_errors_are_json_even_for_a_browser(servers, method, path, status, reason):
    """Errors no route answers (Sanic's own: HTML for a browser, text otherwise) are the agent API's JSON."""
    for accept in (BROWSER_ACCEPT, None):
        answer = requests.request(method, servers.url + path, timeout=30,
                                  headers={"Accept": accept} if accept else {})
        assert answer.status_code == status, (path, answer.status_code, answer.text[:200])
        assert answer.headers["Content-Type"].startswith("application/json"), answer.text[:200]
        assert answer.json()["reason"] == reason and answer.json()["error"], answer.json()
        assert "<" not in answer.text and "Traceback" not in answer.text


def test_a_body_over_the_servers_cap_is_refused_as_json(servers):
    host, port = servers.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(f"POST /agent/api/login HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {BROWSER_ACCEPT}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n".encode() + b"x" * 65536)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b" 413 " in head.split(b"\r\n")[0] and b"content-type: application/json" in head.lower(), answer[:300]
    assert json.loads(body) == {"error": "request body larger than 1048576 bytes", "reason": "PayloadTooLarge"}


def test_the_pages_still_load(servers):
    for path in ("/agent/", "/chat/"):
        page = requests.get(servers.url + path, headers={"Accept": BROWSER_ACCEPT}, timeout=30)
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html"), path


@pytest.mark.parametrize("path", ["/", "/agent/api/login", "/chat/api/message", "/socket.io/", "/webhooks/rest/webhook",
                                  "/webhooks/wechat/webhook", "/model/parse", "/nonexistent"])
def test_options_never_answers_content_type_none(servers, path):
    """A fresh attacker: every OPTIONS answer said ``content-type: None``."""
    for headers in ({}, {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}):
        answer = requests.options(servers.url + path, headers=headers, timeout=30)
        assert answer.status_code == 204 and "Content-Type" not in answer.headers, (path, answer.headers)
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unconfigured_channel_answers_503_as_json(servers):
    """The WeChat webhook without WECHAT_TOKEN answered 503 as plain text; now the JSON errors' shape."""
    for method in ("GET", "POST"):
        answer = requests.request(method, servers.url + "/webhooks/wechat/webhook", timeout=30)
        assert answer.status_code == 503 and answer.headers["Content-Type"] == "application/json", answer.text
        assert answer.json() == {"error": "WeChat channel not configured: set WECHAT_TOKEN",
                                 "reason": "ServiceUnavailable"}


BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "invoice_\u202efdp.exe" is displayed "invoice_exe.pdf"


def test_bidi_controls_in_customer_text_are_shown_as_markers_in_every_agent_api_answer(servers):
    """A fresh new user and attacker: a customer's U+202E reversed how a file name and an order number looked
    on the desk. The agent API shows each control as ``[U+202E]``; what is stored stays as sent."""
    from tests.rows import RowsUnitOfWork

    sender = "bidi-controls-rest"
    token = servers.login("agent1", "pass-word-1")
    servers.say(sender, f"my refund for invoice_{BIDI}fdp.exe is missing")
    ticket_id = queued_ticket(servers, sender, token)
    assert servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    servers.say(sender, f"the order is \u2066{BIDI}200001-XQ\u2069")  # filed on the ticket after the hand-over

    view = servers.api("GET", f"/tickets/{ticket_id}", token)
    assert view.status_code == 200
    said = [line["text"] for line in view.json()["transcript"] if line["from"] == "customer"]
    assert "my refund for invoice_[U+202E]fdp.exe is missing" in said, said
    assert "the order is [U+2066][U+202E]200001-XQ[U+2069]" in said, said
    answers = [view, servers.api("GET", "/queue", token, params={"assigned": "any"}),
               servers.api("GET", "/tickets", token, params={"conversation_id": sender}),
               servers.api("GET", "/search", token, params={"q": "invoice"})]
    for answer in answers:
        assert answer.status_code == 200, answer.text[:300]
        shown = json.dumps(answer.json(), ensure_ascii=False)
        assert not any(ch in shown for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"), \
            (answer.url, shown[:500])
    with RowsUnitOfWork() as uow:  # stored as the customer sent it
        stored = [line.get("text") for line in uow.tickets.transcript(uow.tickets.get(ticket_id))]
    assert f"my refund for invoice_{BIDI}fdp.exe is missing" in stored
    assert f"the order is \u2066{BIDI}200001-XQ\u2069" in stored
