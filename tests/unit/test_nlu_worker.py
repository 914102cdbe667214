"""A long message's NLU is read on a worker thread, and the event loop goes on meanwhile (bot/nlu_worker.py).

On the trained model (models/current.tar.gz) through Rasa's own ``Agent.parse_message``: the same parse as Rasa's
method gives; a long message read on the ``nlu`` thread with the caller's context variables, a short one on the event
loop as before; while a long one is read the event loop runs other coroutines (a component that waits for the loop to
let it go would wait forever were it on the loop); two messages are read one after the other, never at once, a short
one waiting for the long one before it; an error in a component reaches the caller.
"""
from __future__ import annotations

import asyncio
import contextvars
import sys
import threading

import pytest

from bot import nlu_worker
from bot.nlu.tokenizer import MixedLanguageTokenizer

LONG = ("I ordered a standing desk three weeks ago, order 12345678, and the tracking page has said 'label created' ever "
        "since. I have emailed twice and waited on the phone for forty minutes yesterday without getting through. "
        "I need it for work from home next week. Can you tell me where it actually is and when it will arrive?")
LONG_ZH = "我三周前买了一张升降桌，订单号12345678，物流页面一直显示“已创建运单”，" * 12
TEXTS = ["where is my order 12345678?", "我要转人工，订单一直没到", LONG, LONG_ZH, "thanks, that sorted it"]
SEEN = contextvars.ContextVar("seen", default="unset")


@pytest.fixture(scope="module")
def agent_and_loop(trained_model):
    from rasa.core.agent import Agent

    loop = asyncio.new_event_loop()

    async def load():
        return Agent.load(str(trained_model))

    agent = loop.run_until_complete(load())
    yield agent, loop
    loop.close()


@pytest.fixture
def patched(monkeypatch):
    from rasa.core.processor import MessageProcessor

    original = getattr(MessageProcessor.parse_message, "__wrapped__", MessageProcessor.parse_message)
    monkeypatch.setattr(MessageProcessor, "parse_message", original)
    nlu_worker.install()
    assert MessageProcessor.parse_message.reads_off_the_loop
    return original


class Readings:
    """The pipeline's tokenizer watched: each reading's thread, the caller's context variable, the switch interval and
    the start of its text, how many ran at once at most; a text that starts with "hold" is held until ``let_go``."""

    def __init__(self) -> None:
        self.seen: list = []  # (thread name, SEEN, switch interval, first 4 characters) per reading
        self.reading, self.let_go = threading.Event(), threading.Event()
        self._lock, self._active, self.most = threading.Lock(), 0, 0

    def threads(self) -> list:
        return [name for name, *_ in self.seen]

    def wrap(self, tokenize):
        def watched(tokenizer, message, attribute):
            text = message.get("text")
            with self._lock:
                self._active += 1
                self.most = max(self.most, self._active)
                self.seen.append((threading.current_thread().name, SEEN.get(), sys.getswitchinterval(), text[:4]))
            try:
                if text.startswith("hold"):
                    self.reading.set()
                    assert self.let_go.wait(30), "the event loop was held while the message was read"
                return tokenize(tokenizer, message, attribute)
            finally:
                with self._lock:
                    self._active -= 1

        return watched


@pytest.fixture
def readings(monkeypatch) -> Readings:
    watch = Readings()
    monkeypatch.setattr(MixedLanguageTokenizer, "tokenize", watch.wrap(MixedLanguageTokenizer.tokenize))
    return watch


def _comparable(parse: dict) -> dict:
    keep = ("text", "intent", "entities", "emotion", "request_score", "language")
    return {k: parse.get(k) for k in keep}


def test_the_parse_is_rasas_own_read_on_the_worker_thread(agent_and_loop, patched, readings):
    agent, loop = agent_and_loop

    async def read_all(parse):
        SEEN.set("the caller's")
        return [await parse(agent.processor, text) for text in TEXTS]

    assert [nlu_worker.on_the_thread(t) for t in TEXTS] == [False, False, True, True, False]
    ours = loop.run_until_complete(read_all(lambda p, text: p.parse_message(_message(text))))
    assert [name.startswith(nlu_worker.THREAD_PREFIX) for name in readings.threads()] == [False, False, True, True, False]
    assert all(seen == "the caller's" for _, seen, *_ in readings.seen)
    readings.seen.clear()
    rasas = loop.run_until_complete(read_all(lambda p, text: patched(p, _message(text))))
    assert readings.threads() == [threading.main_thread().name] * len(TEXTS)
    assert [_comparable(p) for p in ours] == [_comparable(p) for p in rasas]
    assert ours[1]["intent"]["name"] and ours[0]["text"] == TEXTS[0]


def _message(text: str):
    from rasa.core.channels.channel import UserMessage

    return UserMessage(text, sender_id="worker-test")


def test_the_event_loop_runs_while_a_message_is_read(agent_and_loop, patched, readings):
    agent, loop = agent_and_loop

    async def scenario():
        held_parse = asyncio.ensure_future(agent.parse_message("hold " + LONG))
        second = asyncio.ensure_future(agent.parse_message("where is my order?"))
        ticks = 0
        while not readings.reading.is_set():  # the loop turns while the component reads
            await asyncio.sleep(0.01)
            ticks += 1
            assert ticks < 3000
        for _ in range(5):
            await asyncio.sleep(0.01)  # ... and goes on turning while it is held
        assert not held_parse.done() and not second.done()  # the second message waits for the first's reading
        readings.let_go.set()
        return await held_parse, await second

    first, second = loop.run_until_complete(scenario())
    assert first["text"] == "hold " + LONG and second["text"] == "where is my order?"
    assert readings.most == 1  # never two readings at once


def test_an_error_in_a_component_reaches_the_caller(agent_and_loop, patched, monkeypatch):
    agent, loop = agent_and_loop

    def broken(self, message, attribute):
        raise RuntimeError("the tokenizer broke")

    monkeypatch.setattr(MixedLanguageTokenizer, "tokenize", broken)
    from rasa.engine.exceptions import GraphComponentException

    with pytest.raises(GraphComponentException, match="MixedLanguageTokenizer") as raised:  # as Rasa raises it
        loop.run_until_complete(agent.parse_message("hello"))
    assert isinstance(raised.value.__cause__, RuntimeError) and "the tokenizer broke" in str(raised.value.__cause__)


def test_an_http_interpreter_keeps_rasas_own_reading(patched):
    from rasa.core.processor import MessageProcessor

    class Interpreter:
        async def parse(self, message):
            return {"text": message.text, "intent": {"name": "greet", "confidence": 1.0}, "entities": []}

    class Processor:
        http_interpreter = Interpreter()

        def _update_full_retrieval_intent(self, parse_data):
            pass

        def _check_for_unseen_features(self, parse_data):
            pass

        def _parse_message_with_graph(self, *args):
            raise AssertionError("the graph is not run when an HTTP interpreter reads")

    parse = asyncio.run(MessageProcessor.parse_message(Processor(), _message("hi")))
    assert parse["intent"]["name"] == "greet"


def test_the_gil_passes_every_millisecond_while_the_thread_reads(agent_and_loop, patched, readings, monkeypatch):
    agent, loop = agent_and_loop
    sys.setswitchinterval(0.005)
    loop.run_until_complete(agent.parse_message("hello"))
    loop.run_until_complete(agent.parse_message(LONG))
    monkeypatch.setenv("NLU_ON_EVENT_LOOP", "true")
    loop.run_until_complete(agent.parse_message(LONG))
    intervals = [interval for *_, interval, _text in readings.seen]
    assert intervals == pytest.approx([0.005, nlu_worker.SWITCH_INTERVAL_S, 0.005])  # Rasa's way: Python's default
    assert sys.getswitchinterval() == pytest.approx(0.005)  # and the default again after the thread's reading


def test_install_is_once(patched):
    from rasa.core.processor import MessageProcessor

    installed = MessageProcessor.parse_message
    nlu_worker.install()
    assert MessageProcessor.parse_message is installed
    assert MessageProcessor.parse_message.__wrapped__ is patched


def test_the_setting_keeps_the_reading_on_the_event_loop(agent_and_loop, patched, readings, monkeypatch):
    agent, loop = agent_and_loop
    monkeypatch.setenv("NLU_ON_EVENT_LOOP", "true")
    on_loop = loop.run_until_complete(agent.parse_message(LONG))
    monkeypatch.delenv("NLU_ON_EVENT_LOOP")
    off_loop = loop.run_until_complete(agent.parse_message(LONG))
    threads = readings.threads()
    assert threads[0] == threading.main_thread().name and threads[-1].startswith(nlu_worker.THREAD_PREFIX)
    assert _comparable(on_loop) == _comparable(off_loop)


def test_a_cancelled_long_reading_keeps_the_lock_until_the_thread_is_done(agent_and_loop, patched, readings):
    """A client that hangs up cancels its request; the thread cannot be stopped, so the next reading waits for it."""
    agent, loop = agent_and_loop

    async def scenario():
        hung_up = asyncio.ensure_future(agent.parse_message("hold " + LONG))
        while not readings.reading.is_set():
            await asyncio.sleep(0.01)
        hung_up.cancel()
        await asyncio.sleep(0.05)
        assert hung_up.cancelled()
        short = asyncio.ensure_future(agent.parse_message("where is my order?"))
        await asyncio.sleep(0.2)
        started = [text for *_, text in readings.seen]
        assert not short.done() and started == ["hold"]  # waits for the thread, though its caller is gone
        readings.let_go.set()
        return await short

    assert loop.run_until_complete(scenario())["text"] == "where is my order?"
    assert readings.most == 1 and [text for *_, text in readings.seen] == ["hold", "wher"]
