"""rev14c #1 through the real servers: a picture check over its CPU budget (PHOTO_CHECK_CPU_S, tiny
here) is ended and answered 413 ``too_complex`` on the customer's and the agent's route, and the next
ordinary photo is accepted (the worker process was replaced: nothing lost or stuck).

rev14d #2: uploads in flight per address (2), chat session (1) and agent (2): past them 429
``checks_in_flight`` at once; another address is served meanwhile; a client that goes away gives its
uploads back. An upload is held in flight by sending its headers and only part of its body."""
from __future__ import annotations

import io
import select
import socket
import time
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image

from tests.integration.conftest import run_servers
from tests.integration.test_photos import chat, handed_over, upload
from tests.unit.test_attachments_limits import tiled_lossless_webp


@pytest.fixture(scope="module")
def budget_servers(tmp_path_factory, trained_model):
    # TRUSTED_PROXIES: the tests speak for several client addresses with X-Forwarded-For (rev14d #2)
    yield from run_servers(tmp_path_factory, "photo-budget", {"PHOTO_CHECK_CPU_S": "0.2",
                                                              "TRUSTED_PROXIES": "127.0.0.1"})


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return tiled_lossless_webp(side=3000)  # 9 MP: seconds of CPU to re-encode, far over 0.2 s


def test_the_customer_route_answers_too_complex_and_then_accepts_a_normal_photo(budget_servers, bomb):
    session_id = chat(budget_servers, "session", {}).json()["session_id"]
    refused = upload(budget_servers, session_id, bomb, "image/webp")
    assert refused.status_code == 413, refused.text[:300]
    assert refused.json()["error"]["code"] == "too_complex"
    accepted = upload(budget_servers, session_id, small_png())
    assert accepted.status_code == 201, accepted.text[:300]
    assert (accepted.json()["width"], accepted.json()["height"]) == (40, 30)


def test_the_agent_route_answers_too_complex_and_then_sends_a_normal_photo(budget_servers, bomb):
    token = budget_servers.login("agent2", "pass-word-1")
    session_id, ticket_id = handed_over(budget_servers, token)
    assert budget_servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    refused = budget_servers.api("POST", f"/tickets/{ticket_id}/attachments", token, data=bomb)
    assert refused.status_code == 413, refused.text[:300]
    assert refused.json()["code"] == "too_complex"
    sent = budget_servers.api("POST", f"/tickets/{ticket_id}/attachments", token, data=small_png())
    assert sent.status_code == 201, sent.text[:300]
    assert sent.json()["attachment"]["width"] == 40


def held_upload(servers, path: str, headers: dict) -> socket.socket:
    """A raw-body upload to ``path`` whose headers and first bytes are sent but not the rest: the
    server holds it in flight (reading the body) until the socket is closed. Answered nothing yet."""
    parts = urlsplit(servers.url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    lines = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}", "Content-Type: image/png",
             "Content-Length: 100000"] + [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + small_png()[:16])
    return sock


def customer_upload(servers, session_id: str, address: str) -> requests.Response:
    return requests.post(f"{servers.url}/chat/api/attachments", data=small_png(), timeout=60,
                         headers={"Content-Type": "image/png", "X-Chat-Session": session_id,
                                  "X-Forwarded-For": address})


def answered(sock: socket.socket) -> bool:
    """Whether the server answered (or closed) a held upload: it is then no longer in flight."""
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def hold_until_refused(servers, path: str, header_sets: list, attempt) -> tuple:
    """One held upload (:func:`held_upload`) per header set, kept in flight (one the server answered,
    e.g. refused because an attempt took its place for a moment, is sent again) until ``attempt()``
    is refused 429. Returns ``(held sockets, that refusal)``; the refusal is the last answer after
    a minute without one."""
    held = [held_upload(servers, path, headers) for headers in header_sets]
    deadline = time.monotonic() + 60
    while True:
        select.select(held, [], [], 0.3)  # a held upload refused at once is answered by now
        if any(answered(sock) for sock in held):
            for index, sock in enumerate(held):
                if answered(sock):
                    sock.close()
                    held[index] = held_upload(servers, path, header_sets[index])
            continue
        answer = attempt()
        if answer.status_code == 429 or time.monotonic() > deadline:
            return held, answer


def until_accepted(attempt):
    """``attempt()`` again while it is refused 429 (the server has not yet seen the client go); the
    last answer."""
    deadline = time.monotonic() + 60
    while True:
        answer = attempt()
        if answer.status_code != 429 or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def test_past_the_uploads_in_flight_of_an_address_it_gets_429_and_another_address_is_served(budget_servers):
    servers = budget_servers
    sessions = [chat(servers, "session", {}).json()["session_id"] for _ in range(4)]
    busy_address, other_address = "203.0.113.7", "198.51.100.9"
    held, same_session = hold_until_refused(
        servers, "/chat/api/attachments",
        [{"X-Chat-Session": s, "X-Forwarded-For": busy_address} for s in sessions[:2]],
        lambda: customer_upload(servers, sessions[0], busy_address))
    try:
        # the session with an upload in flight: refused at once (PHOTO_CHECKS_PER_SESSION 1)
        assert same_session.status_code == 429, same_session.text[:300]
        assert same_session.json()["error"]["code"] == "checks_in_flight"
        assert int(same_session.headers["Retry-After"]) >= 1
        # a third session of the same address: its two are in flight (PHOTO_CHECKS_PER_ADDRESS 2)
        assert not any(answered(sock) for sock in held)  # both still in flight
        same_address = customer_upload(servers, sessions[2], busy_address)
        assert same_address.status_code == 429, same_address.text[:300]
        assert same_address.json()["error"]["code"] == "checks_in_flight"
        # another customer's photo is checked and stored meanwhile
        other = customer_upload(servers, sessions[3], other_address)
        assert other.status_code == 201, other.text[:300]
    finally:
        for sock in held:
            sock.close()  # the client goes away: its uploads are given back
    again = until_accepted(lambda: customer_upload(servers, sessions[2], busy_address))
    assert again.status_code == 201, again.text[:300]
    first = until_accepted(lambda: customer_upload(servers, sessions[0], busy_address))
    assert first.status_code == 201, first.text[:300]


def test_past_the_photos_in_flight_of_an_agent_the_desk_gets_429_checks_in_flight(budget_servers):
    servers = budget_servers
    token = servers.login("agent3", "pass-word-1")
    session_id, ticket_id = handed_over(servers, token)
    assert servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    path = f"/agent/api/tickets/{ticket_id}/attachments"
    held, refused = hold_until_refused(
        servers, path, [{"Authorization": f"Bearer {token}"}] * 2,
        lambda: servers.api("POST", f"/tickets/{ticket_id}/attachments", token, data=small_png()))
    try:
        assert refused.status_code == 429, refused.text[:300]
        assert refused.json()["code"] == "checks_in_flight" and refused.json()["error"]
        assert int(refused.headers["Retry-After"]) >= 1
        # another agent is not limited by agent3's photos
        other = servers.login("agent4", "pass-word-1")
        assert servers.api("POST", f"/tickets/{ticket_id}/attachments", other, data=small_png()).status_code == 409
    finally:
        for sock in held:
            sock.close()
    sent = until_accepted(lambda: servers.api("POST", f"/tickets/{ticket_id}/attachments", token, data=small_png()))
    assert sent.status_code == 201, sent.text[:300]
