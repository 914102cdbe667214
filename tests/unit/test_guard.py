"""Rate-limit refusals in each channel's shape and the app-wide header rules (connectors/guard.py)."""
import asyncio
import json
from types import SimpleNamespace

import pytest
from sanic.compat import Header
from sanic.response import HTTPResponse

import bot.storage.ratelimit
from bot.storage.ratelimit import Limits
from connectors import guard
from connectors.ivr.protocol import CallEvent


@pytest.fixture
def low_limits(monkeypatch):
    monkeypatch.setattr(bot.storage.ratelimit, "_limits", Limits(100, 2, 1, 10))


def request(address="198.51.100.1", path="/webhooks/x/webhook", **headers):
    return SimpleNamespace(ip=address, headers=Header(headers), path=path, host="chat.example")


def run(coroutine):
    return asyncio.run(coroutine)


def test_rest_over_the_limit_is_429_with_retry_after(low_limits):
    assert run(guard.rest_limited(request(), "s1")) is None and run(guard.rest_limited(request(), "s1")) is None
    refused = run(guard.rest_limited(request(), "s1"))
    assert refused.status == 429 and int(refused.headers["Retry-After"]) == 30


def test_wechat_over_the_limit_gets_a_polite_text_never_an_error(low_limits):
    assert [run(guard.wechat_limited(request(), "openid-1")) for _ in range(2)] == [None, None]
    assert "稍等" in run(guard.wechat_limited(request(), "openid-1"))
    assert run(guard.wechat_limited(request(), "openid-2")) is None


@pytest.mark.parametrize("lang, words", [("en", "too fast"), ("zh", "太快")])
def test_ivr_over_the_limit_says_sorry_and_listens_again(low_limits, lang, words):
    event = CallEvent(f"call-{lang}", 3, "speech", "+8613800138000", lang, "hello")
    assert run(guard.ivr_limited(request(), event)) is None and run(guard.ivr_limited(request(), event)) is None
    answer = run(guard.ivr_limited(request(), event))
    assert answer["call_id"] == f"call-{lang}" and answer["seq"] == 3
    say, gather = answer["actions"]
    assert say["action"] == "say" and words in say["text"] and gather["action"] == "gather"


def test_a_channel_decides_allow_origin_under_its_prefix_and_duplicates_are_dropped_elsewhere():
    guard.cors_policy("/test-chat", lambda r: r.headers.get("origin") if r.headers.get("origin") == "https://ok" else None)
    for origin, expected in (("https://ok", ["https://ok"]), ("https://evil", [])):
        reply = HTTPResponse(headers=Header([("Access-Control-Allow-Origin", origin),
                                             ("Access-Control-Allow-Credentials", "true")]))
        guard.secure_headers(request(path="/test-chat/api", origin=origin), reply)
        assert reply.headers.getall("Access-Control-Allow-Origin", []) == expected
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
    reply = HTTPResponse(headers=Header([("Access-Control-Allow-Origin", "https://a"),
                                         ("Access-Control-Allow-Origin", "https://a")]))
    guard.secure_headers(request(path="/status"), reply)
    assert reply.headers.getall("Access-Control-Allow-Origin") == ["https://a"]


def test_inline_hashes_are_the_csp_hashes_of_the_blocks():
    hashes = guard.inline_hashes("<style>a{}</style><script>alert(1)</script>")
    # echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
    assert hashes["script"] == ["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"]
    assert len(hashes["style"]) == 1


@pytest.mark.parametrize("text, multiline, problem", [
    ("hello 你好 ☕", False, None), ("two\nlines\ttab\r\n", True, None),
    ("x\u0000y", True, "NUL"), ("zz\n", False, "control"), ("bell\x07", True, "control"),
    ("del\x7f", True, "control"), ("c1\x85", True, "control"), ("\ud800 hi", True, "surrogate"),
])
def test_text_problem_names_what_may_not_be_stored(text, multiline, problem):
    found = guard.text_problem(text, multiline)
    assert (found is None) if problem is None else (problem in found)


def test_credentials_are_never_allowed_with_star_or_without_an_origin():
    guard.cors_policy("/test-files", lambda r: "*")
    cases = [("/test-files/widget.js", ["*"]),  # a channel allows everyone: no credentials
             ("/agent/", []),  # no origin allowed at all
             ("/status", ["https://ops.example"])]  # one named origin: credentials may stay
    for path, allowed in cases:
        reply = HTTPResponse(headers=Header([("Access-Control-Allow-Origin", a) for a in allowed]
                                            + [("Access-Control-Allow-Credentials", "true")]))
        guard.secure_headers(request(path=path, origin="https://ops.example"), reply)
        assert reply.headers.getall("Access-Control-Allow-Origin", []) == allowed
        expected = ["true"] if allowed and allowed != ["*"] else []
        assert reply.headers.getall("Access-Control-Allow-Credentials", []) == expected, path


def test_framework_errors_are_json_with_a_reason_and_no_details_of_a_server_error():
    from sanic.exceptions import MethodNotSupported, NotFound, ServiceUnavailable

    def answer(exception):
        reply = guard.json_error(None, exception)
        return reply.status, json.loads(reply.body), reply.content_type

    assert answer(NotFound("Requested URL /x not found")) == (
        404, {"error": "not found: no such path", "reason": "NotFound"}, "application/json")
    refused = guard.json_error(None, MethodNotSupported("no", "DELETE", ["POST"]))
    assert refused.status == 405 and json.loads(refused.body)["reason"] == "MethodNotSupported"
    assert refused.headers["Allow"] == "POST"
    assert answer(RuntimeError("password=hunter2 at /srv/app.py line 3")) == (
        500, {"error": "internal server error", "reason": "ServerError"}, "application/json")
    assert answer(ServiceUnavailable("database at 10.0.0.5 down"))[:2] == (
        503, {"error": "service unavailable", "reason": "ServiceUnavailable"})


def test_an_answer_without_a_content_type_never_says_none():
    """A fresh attacker: every OPTIONS answer (Sanic-CORS's empty HTTPResponse()) carried the header
    ``content-type: None``. Now an empty one is 204 with no type, one with a body is bytes."""
    empty = HTTPResponse()
    guard.secure_headers(request(path="/agent/api/login"), empty)
    assert empty.status == 204 and dict(empty.processed_headers).get(b"content-type") is None
    with_body = HTTPResponse(b"x")
    guard.secure_headers(request(path="/x"), with_body)
    assert with_body.status == 200 and dict(with_body.processed_headers)[b"content-type"] == b"application/octet-stream"
    typed = HTTPResponse(status=200, content_type="text/plain; charset=utf-8")
    guard.secure_headers(request(path="/x"), typed)
    assert typed.status == 200 and dict(typed.processed_headers)[b"content-type"] == b"text/plain; charset=utf-8"


def test_a_channel_that_is_off_answers_503_in_the_json_errors_shape():
    reply = guard.unavailable("WeChat channel not configured: set WECHAT_TOKEN")
    assert reply.status == 503 and reply.content_type == "application/json"
    assert json.loads(reply.body) == {"error": "WeChat channel not configured: set WECHAT_TOKEN",
                                      "reason": "ServiceUnavailable"}


def test_socket_io_refusals_are_json_errors_too(monkeypatch):
    """python-engineio answers its refusals (and a 503) as plain text; under the socket.io path they
    get the JSON errors' shape, elsewhere nothing changes."""
    monkeypatch.setattr(guard, "_JSON_ERROR_PREFIXES", [])
    guard.json_errors_under("/socket.io")

    def answered(path, status, body):
        reply = HTTPResponse(body, status=status, content_type="text/plain")
        guard.secure_headers(request(path=path), reply)
        return reply.status, dict(reply.processed_headers)[b"content-type"], reply.body

    assert answered("/socket.io/", 503, b"Service Unavailable") == (
        503, b"application/json", b'{"error": "Service Unavailable", "reason": "ServiceUnavailable"}')
    status, kind, body = answered("/socket.io/", 400, b'"Invalid session nope"')
    assert (status, kind, json.loads(body)) == (400, b"application/json",
                                               {"error": "Invalid session nope", "reason": "InvalidUsage"})
    assert answered("/socket.io/", 200, b"ok")[1] == b"text/plain"  # not an error
    assert answered("/chat/x", 400, b"nope")[1] == b"text/plain"  # not a registered prefix


@pytest.mark.parametrize("blueprints", [("desk",), ("chat",), ("desk", "chat")])
def test_the_favicon_is_an_app_route_of_a_server_with_the_desk_or_the_web_chat(blueprints):
    """A new user's finding: /favicon.ico answered 404 on the server of the pages. The desk's blueprint and the web
    chat's each add it (once per app, whichever registers first), with ``HEAD /``."""
    from sanic import Sanic
    from socketio import AsyncServer

    from connectors.webchat import ChatBlueprint

    app = Sanic(f"favicon_{'_'.join(blueprints)}")
    made = {"desk": lambda: guard.AppBlueprint("desk_probe", __name__),
            "chat": lambda: ChatBlueprint(AsyncServer(async_mode="sanic"), "/socket.io", "chat_probe", __name__)}
    for name in blueprints:
        app.blueprint(made[name](), url_prefix=f"/{name}")
    [icon] = [route for route in app.router.routes if route.path == "favicon.ico"]
    assert icon.methods == {"GET", "HEAD"}
    assert [route.path for route in app.router.routes].count("") == 1  # HEAD / too, once
    answer = run(icon.handler(None))
    assert answer.status == 200 and answer.content_type == "image/svg+xml" and answer.body == guard.FAVICON_SVG
    assert answer.body.startswith(b"<svg") and b"<script" not in answer.body and b"href" not in answer.body
