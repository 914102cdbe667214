"""Review of issue 12, finding 4: resuming a web chat reads the whole tracker off the event loop.

``WebchatInput.start_session`` of a returning customer reads every session's events
(``retrieve_full_tracker``); Rasa's ``SQLTrackerStore`` ran that SQL on the event loop, so a
long history (or a slow database) held every other conversation. In the style of
tests/actions/test_off_loop.py: one slow read must not delay another conversation's turn.
"""
from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

from tests.unit.test_speed import DOMAIN, _conversation

SLOW_S = 1.5


def test_a_slow_history_read_on_resume_does_not_delay_another_conversation(database_url, monkeypatch):
    from bot.storage.stores import ProjectSQLTrackerStore
    from connectors.webchat import WebchatInput

    store = ProjectSQLTrackerStore(domain=DOMAIN)
    channel = WebchatInput()
    channel.app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store)))
    secret, session_id, _, _ = asyncio.run(channel.start_session(None, None, "127.0.0.1"))
    _conversation(store, session_id, 2)  # the returning customer's history
    _conversation(store, "another-conversation", 1)

    real = type(store)._event_query
    slow_reads = []

    def event_query(self, session, sender_id, fetch_events_from_all_sessions):
        if sender_id == session_id and fetch_events_from_all_sessions:
            slow_reads.append(sender_id)
            time.sleep(SLOW_S)  # a long history, a far or locked database
        return real(self, session, sender_id, fetch_events_from_all_sessions)

    monkeypatch.setattr(type(store), "_event_query", event_query)

    async def both() -> tuple[float, float, list]:
        start = time.perf_counter()
        resume = asyncio.create_task(channel.start_session(secret, None, "127.0.0.1"))
        await asyncio.sleep(0.05)  # the resume has started its read
        other = await store.retrieve("another-conversation")  # another customer's turn
        fast_s = time.perf_counter() - start
        assert other is not None and other.sender_id == "another-conversation"
        _, resumed_id, history, _ = await resume
        assert resumed_id == session_id
        return fast_s, time.perf_counter() - start, history

    fast_s, slow_s, history = asyncio.run(both())
    assert slow_reads == [session_id] and slow_s >= SLOW_S  # the slow path was taken
    assert [m["text"] for m in history if m.get("text")][:2] == ["hello 0", "hi"]  # the history came back
    assert fast_s < SLOW_S / 2, f"the other conversation waited {fast_s:.2f} s for the resume"
