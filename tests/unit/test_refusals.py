"""One refusal handling per blueprint (issue 12): the web chat's HTTP routes and socket events, the
IVR webhook; and no test or production code reaching into private attributes."""
import asyncio
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from connectors.webchat import SERVER_ERROR, UNAVAILABLE, ChatRefused, WebchatInput, socket_refusals

PROJECT = Path(__file__).resolve().parents[2]


def request(origin=None):
    return SimpleNamespace(headers={"origin": origin} if origin else {}, host="chat.example", path="/chat/api/x")


def test_a_web_chat_route_answers_a_refusal_and_an_unexpected_error_as_json():
    channel = WebchatInput(allowed_origins=["https://shop.example"])

    @channel.answers_refusals(UNAVAILABLE)
    async def refused(req):
        raise ChatRefused("rate_limited", "slow down", 429, retry_after_s=3)

    @channel.answers_refusals(SERVER_ERROR)
    async def broken(req):
        raise RuntimeError("database locked")

    @channel.answers_refusals(UNAVAILABLE)
    async def fine(req):
        return "ok"

    answer = asyncio.run(refused(request("https://shop.example")))
    assert answer.status == 429 and json.loads(answer.body) == {"error": {"code": "rate_limited",
                                                                           "message": "slow down"}}
    assert answer.headers["Retry-After"] == "3" and answer.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    answer = asyncio.run(broken(request()))
    assert answer.status == 500 and json.loads(answer.body)["error"]["code"] == "server_error"
    assert asyncio.run(fine(request())) == "ok"


def test_a_socket_event_emits_a_refusal_and_the_handshake_refuses_the_connection():
    from socketio.exceptions import ConnectionRefusedError

    emitted = []

    async def emit_error(sid, refused):
        emitted.append((sid, refused.code))

    @socket_refusals(emit_error, unexpected=UNAVAILABLE)
    async def session_request(sid, data):
        raise RuntimeError("database down") if data else ChatRefused("blocked", "too many")

    @socket_refusals(emit_error, handshake=True)
    async def connect(sid, environ, auth=None):
        raise ChatRefused("blocked", "too many", 429)

    @socket_refusals(emit_error)
    async def user_uttered(sid, data):
        raise KeyError("not a refusal")

    assert asyncio.run(session_request("s1", None)) is None and asyncio.run(session_request("s2", {"x": 1})) is None
    assert emitted == [("s1", "blocked"), ("s2", "unavailable")]
    with pytest.raises(ConnectionRefusedError):
        asyncio.run(connect("s3", {}))
    with pytest.raises(KeyError):
        asyncio.run(user_uttered("s4", {}))


def test_each_blueprint_handles_refusals_in_one_place():
    webchat = (PROJECT / "connectors/webchat/__init__.py").read_text(encoding="utf-8")
    ivr = (PROJECT / "connectors/ivr/__init__.py").read_text(encoding="utf-8")
    assert webchat.count("except ChatRefused") == 2  # socket_refusals and answers_refusals
    assert ivr.count('response.json({"error"') == 1  # IvrInput.answer_event


def test_ivr_refusals_are_answered_with_their_status():
    from connectors.ivr import IvrInput

    channel = IvrInput(None)
    error, answer = asyncio.run(channel.answer_event(SimpleNamespace(body=b"{}", headers={}), None))
    assert answer is None and error.status == 503 and json.loads(error.body) == {
        "error": "IVR channel disabled: IVR_SECRET is not set"}


PRIVATE = [
    (r"channel\._answer\(|\._start_callback\(", "tests"),
    (r"channel\._turns\b|import _turns\b", "tests"),
    (r"guard\._headers\(|desk\._problem\(|pool\._max_overflow", "tests"),
    (r"message\._data\b", "connectors"),
]


@pytest.mark.parametrize("pattern, folder", PRIVATE)
def test_no_private_attributes_of_our_code_or_wechatpy_are_read(pattern, folder):
    found = [str(p.relative_to(PROJECT)) for p in (PROJECT / folder).rglob("*.py")
             if p.name != "test_refusals.py" and re.search(pattern, p.read_text(encoding="utf-8"))]
    assert found == []


def test_a_socket_event_with_arguments_its_handler_does_not_take_is_a_bad_request():
    """Review chan29 #2: ``["user_uttered", {…}, 5]`` raised TypeError inside socket.io (a traceback, no answer)."""
    from connectors.webchat import json_object

    emitted, ran = [], []

    async def emit_error(sid, refused):
        emitted.append((sid, refused.code, str(refused)))

    @socket_refusals(emit_error)
    async def user_uttered(sid, data=None):
        ran.append(json_object("user_uttered", data))

    @socket_refusals(emit_error, handshake=True)
    async def connect(sid, environ, auth=None):
        ran.append("connect")

    for args in (({"message": "hi"}, 5), (None,), ("hello",), ([1],)):
        assert asyncio.run(user_uttered("s1", *args)) is None
    assert asyncio.run(connect("s2", {}, None, "extra")) is None  # a client's own "connect" event: ignored
    assert ran == [] and [code for _, code, _ in emitted] == ["bad_request"] * 4
    assert emitted[0][2] == "user_uttered takes one JSON object, not 2 arguments"
    assert emitted[1][2].startswith("user_uttered needs a JSON object") and emitted[1][2].endswith("not nothing")
    assert emitted[2][2].endswith("not str") and emitted[3][2].endswith("not list")
    asyncio.run(user_uttered("s1", {"message": "hi"}))
    assert ran == [{"message": "hi"}]


@pytest.mark.parametrize("data, words", [
    ('2["user_uttered",{"message":"hi"}]', None), ("0", None), ('3[{"ok":true}]', None), ('2["user_uttered"]', None),
    ("2[]", "starting with the event's name"), ("2[5]", "starting with the event's name"),
    ('2["user_uttered",{"message":', "does not decode"), ("3[", "does not decode"),
    ("9[]", "not one a client sends"),
    ('2["x",' + "[" * 100_000 + "]" * 100_000 + "]", "nested deeper than 16 levels"),
    ('2["x",' + "[" * 16 + "]" * 16 + "]", "nested deeper than 16 levels"),
    ('2["x",' + "[" * 15 + "]" * 15 + "]", None),
    ('51-["x",{"_placeholder":true,"num":0}]', "binary"), (b"\x00\x01", "binary"),
], ids=lambda value: repr(value)[:24])
def test_which_socket_io_messages_the_web_chat_refuses(data, words):
    from connectors.webchat.socket_requests import frame_problem

    problem = frame_problem(data)
    assert problem is None if words is None else words in problem
