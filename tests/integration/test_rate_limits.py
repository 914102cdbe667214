"""Rate limits and login throttling on the real servers, with low limits.

127.0.0.1 (the tests) is a trusted proxy here, so each test speaks from its
own client addresses through ``X-Forwarded-For``.
"""
import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio

from tests.integration.conftest import Servers, run_servers

LIMITS = {
    "TRUSTED_PROXIES": "127.0.0.1, ::1",
    "RATE_LIMIT_ADDRESS_PER_MIN": "20",
    "RATE_LIMIT_SENDER_PER_MIN": "3",
    "RATE_LIMIT_SESSIONS_PER_MIN": "2",
    "LOGIN_THROTTLE_MAX_DELAY_S": "2",
}


class CorsServers(Servers):
    """Rasa started with ``--cors "*"``, as scripts/run.sh did: Sanic-CORS adds its own header."""

    def _start(self, name, args):
        return super()._start(name, args + (["--cors", "*"] if name == "rasa" else []))


@pytest.fixture(scope="module")
def limited(tmp_path_factory, trained_model):
    yield from run_servers(tmp_path_factory, "limited", LIMITS, servers_class=CorsServers)


def from_(address: str) -> dict:
    return {"X-Forwarded-For": address}


def login(servers, username: str, password: str, address: str) -> requests.Response:
    return servers.api("POST", "/login", json={"username": username, "password": password}, headers=from_(address))


def test_failed_logins_back_off_per_user_and_address_capped_and_never_lock_out_the_agent(limited):
    stranger, agent_home = "198.51.100.7", "203.0.113.9"
    statuses = [login(limited, "agent1", "guess", stranger) for _ in range(4)]
    assert [r.status_code for r in statuses] == [401, 401, 401, 401]
    assert statuses[-1].headers["Retry-After"] == "1"  # the fourth failure: blocked 1 s
    blocked = login(limited, "agent1", "pass-word-1", stranger)  # even the right password waits
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    assert "try again" in blocked.json()["error"]
    # the real agent, elsewhere, is not blocked by the stranger
    assert login(limited, "agent1", "pass-word-1", agent_home).status_code == 200
    # the backoff doubles but never exceeds LOGIN_THROTTLE_MAX_DELAY_S (2 s)
    for _ in range(3):
        time.sleep(float(login(limited, "agent1", "guess", stranger).headers.get("Retry-After", 0)) + 0.1)
    last = login(limited, "agent1", "guess", stranger)
    assert last.status_code == 401 and last.headers["Retry-After"] == "2"
    time.sleep(2.1)
    assert login(limited, "agent1", "pass-word-1", stranger).status_code == 200



def login_through_haproxy(servers, username: str, password: str, written_by_client: str, real: str) -> int:
    """A login as haproxy (``option forwardfor``, 127.0.0.1 here) forwards it: the client's own
    ``X-Forwarded-For`` line first, haproxy's line with the real peer after it. Returns the status."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", servers.rasa_port, timeout=60)
    try:
        body = json.dumps({"username": username, "password": password})
        conn.putrequest("POST", "/agent/api/login")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(len(body)))
        conn.putheader("X-Forwarded-For", written_by_client)
        conn.putheader("X-Forwarded-For", real)
        conn.endheaders(body.encode())
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_spoofed_first_forwarded_line_neither_escapes_the_throttle_nor_locks_the_agent_out(limited):
    attacker, agent_home = "198.51.100.66", "203.0.113.77"
    # the attacker writes the agent's own address, then a new one per guess: the throttle sees its real address
    statuses = [login_through_haproxy(limited, "agent1", "guess", spoof, attacker)
                for spoof in (agent_home, "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4")]
    assert statuses[:4] == [401, 401, 401, 401] and statuses[4] == 429
    # the agent, at home, was never blocked by the guesses made "from" its address
    assert login_through_haproxy(limited, "agent1", "pass-word-1", "", agent_home) == 200

def test_agent_api_without_a_valid_token_is_limited_per_address(limited):
    address = "198.51.100.20"
    statuses = [limited.api("GET", "/queue", "forged", headers=from_(address)).status_code for _ in range(22)]
    assert statuses[:20] == [401] * 20 and statuses[-1] == 429
    reply = limited.api("GET", "/queue", "forged", headers=from_(address))
    assert reply.status_code == 429 and int(reply.headers["Retry-After"]) >= 1
    # another address, and an agent with a valid token, go on
    assert limited.api("GET", "/queue", "forged", headers=from_("198.51.100.21")).status_code == 401
    token = login(limited, "agent2", "pass-word-1", "198.51.100.22").json()["token"]
    assert limited.api("GET", "/queue", token, headers=from_(address)).status_code == 200


def test_rest_messages_are_limited_per_sender_and_per_address(limited):
    def say(sender, address):
        return limited.rest("POST", json={"sender": sender, "message": "hello"}, headers=from_(address))

    replies = [say("rest-limit-1", "192.0.2.1") for _ in range(4)]
    assert [r.status_code for r in replies] == [200, 200, 200, 429]
    assert int(replies[-1].headers["Retry-After"]) >= 1 and "too fast" in replies[-1].json()["error"]
    assert say("rest-limit-2", "192.0.2.1").status_code == 200  # another sender goes on
    # per address: 20 requests a minute (bursts of 20), whatever the sender
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda i: say(f"rest-limit-many-{i}", "192.0.2.2").status_code, range(30)))
    assert set(statuses) == {200, 429}
    assert 20 <= statuses.count(200) <= 23  # the bucket refills one every 3 s while the turns run


def test_a_long_rest_message_spends_more_of_its_addresss_allowance(limited):
    """Session 42: a 4,000-character message counts as 8 requests of its address (20 a minute here), so one client
    cannot hold a server's thread with long messages at the rate of short ones (helper-205's flood)."""
    def say(sender, text):
        return limited.rest("POST", json={"sender": sender, "message": text}, headers=from_("192.0.2.9"))

    long_text = ("my order has not arrived yet " * 200)[:4000]
    statuses = [say(f"rest-long-{i}", long_text).status_code for i in range(3)]
    assert statuses == [200, 200, 429]  # 8 + 8 of 20; the third needs 8 and about 4 are left
    assert say("rest-long-short", "hello").status_code == 200  # a short one still fits


def chat(servers, path, body, address, **headers):
    return requests.post(f"{servers.url}/chat/api/{path}", data=json.dumps(body).encode(),
                         headers={"Content-Type": "text/plain", **from_(address), **headers}, timeout=60)


def test_web_chat_limits_new_sessions_per_address_but_not_resumes(limited):
    address = "192.0.2.30"
    first = chat(limited, "session", {}, address).json()["session_id"]
    chat(limited, "session", {}, address)
    third = chat(limited, "session", {}, address)
    assert third.status_code == 429 and third.json()["error"]["code"] == "rate_limited"
    assert int(third.headers["Retry-After"]) >= 1
    resumed = chat(limited, "session", {"session_id": first}, address)
    assert resumed.status_code == 200 and resumed.json()["session_id"] == first
    assert chat(limited, "session", {}, "192.0.2.31").status_code == 200  # another address


def test_web_chat_http_messages_are_limited_per_session(limited):
    address = "192.0.2.40"
    session_id = chat(limited, "session", {}, address).json()["session_id"]
    replies = [chat(limited, "message", {"session_id": session_id, "message": "hi"}, address) for _ in range(4)]
    assert [r.status_code for r in replies] == [200, 200, 200, 429]
    assert replies[-1].json()["error"]["code"] == "rate_limited"


def test_socketio_sessions_are_limited_by_the_real_client_address(limited):
    async def open_session(address):
        client = socketio.AsyncClient(reconnection=False)
        events = []
        client.on("session_confirm", lambda data: events.append(("session_confirm", data)))
        client.on("chat_error", lambda data: events.append(("chat_error", data)))
        await client.connect(limited.url, transports=["polling"], headers=from_(address), wait_timeout=10)
        await client.emit("session_request", {})
        for _ in range(100):
            if events:
                break
            await asyncio.sleep(0.1)
        await client.eio.disconnect(abort=True)  # not waiting for the pending long-poll
        return events[0]

    async def scenario():
        results = [await open_session("192.0.2.50") for _ in range(3)]
        assert [kind for kind, _ in results] == ["session_confirm", "session_confirm", "chat_error"]
        assert results[2][1]["code"] == "rate_limited"
        assert (await open_session("192.0.2.51"))[0] == "session_confirm"

    asyncio.run(scenario())


def test_with_cors_star_there_is_still_one_allow_origin_header_and_none_for_refused_origins(limited):
    own = limited.url
    for path in ("/chat/api/session", "/socket.io/?EIO=4&transport=polling"):
        method = "POST" if path.startswith("/chat") else "GET"
        for origin, expected in ((own, [own]), ("https://evil.example", [])):
            reply = requests.request(method, f"{limited.url}{path}", data=b"{}",
                                     headers={"Origin": origin, **from_("192.0.2.60")}, timeout=30)
            assert reply.raw.headers.getlist("Access-Control-Allow-Origin") == expected, (path, origin)
    # Rasa's own routes keep what --cors asked for: exactly one header
    status = requests.get(f"{limited.url}/status", params={"token": limited.rasa_api_token},
                          headers={"Origin": "https://ops.example"}, timeout=30)
    assert len(status.raw.headers.getlist("Access-Control-Allow-Origin")) == 1
    assert status.headers["X-Content-Type-Options"] == "nosniff"


def test_parallel_wrong_logins_get_one_password_check_per_backoff_window(limited):
    """Each attempt is counted before the (slow) password check: a burst of guesses, fresh or
    just after a block ends, gets only the checks the backoff allows; the rest get 429."""
    address = "198.51.100.90"

    def burst(n: int) -> list:
        with ThreadPoolExecutor(n) as pool:
            return list(pool.map(lambda _: login(limited, "agent4", "guess", address), range(n)))

    def checked(replies) -> int:
        for reply in replies:
            assert reply.status_code in (401, 429), reply.text
            if reply.status_code == 429:
                assert "failed logins" in reply.json()["error"] and int(reply.headers["Retry-After"]) >= 1
        return sum(r.status_code == 401 for r in replies)

    assert 1 <= checked(burst(8)) <= 4  # at most the three free failures and the one that starts the block
    time.sleep(2.2)  # LOGIN_THROTTLE_MAX_DELAY_S: any block is over
    assert checked(burst(8)) == 1  # the block ended: one guess, then blocked again
    time.sleep(2.2)
    assert login(limited, "agent4", "pass-word-1", address).status_code == 200  # the agent is never locked out
    assert login(limited, "agent4", "guess", address).status_code == 401  # a success cleared the count


@pytest.mark.parametrize("path", ["/chat/widget.js", "/chat/widget.css", "/agent/", "/agent/static/app.js",
                                  "/agent/api/queue"])
def test_with_cors_star_no_credentials_header_without_a_named_allowed_origin(limited, path):
    reply = requests.get(f"{limited.url}{path}", timeout=30,
                         headers={"Origin": "https://shop.example", **from_("192.0.2.70")})
    origins = reply.raw.headers.getlist("Access-Control-Allow-Origin")
    assert origins in ([], ["*"]), (path, origins)
    assert "Access-Control-Allow-Credentials" not in reply.headers, (path, dict(reply.headers))
