"""A slow database call in one conversation does not hold up another (actions run off the event loop)."""
import asyncio
import json
import time

from rasa_sdk.executor import ActionExecutor

from bot.queue.tickets import SqlAlchemyTicketRepository
from tests.actions.conftest import FIXTURES

SLOW_S = 1.5


def relay_call(sender_id: str) -> dict:
    state = json.loads((FIXTURES / "request_human_zh.json").read_text(encoding="utf-8"))
    state["sender_id"] = sender_id
    state["slots"].update(handoff_state="queued")
    state["latest_message"] = {"text": "still there?", "intent": {"name": "inform", "confidence": 0.9},
                               "entities": []}
    return {"next_action": "action_relay_to_agent", "sender_id": sender_id, "tracker": state, "domain": {}}


def test_a_slow_query_in_one_conversation_does_not_delay_another(database_url, monkeypatch):
    real = SqlAlchemyTicketRepository.open_for_conversation

    def open_for_conversation(self, conversation_id):
        if conversation_id == "slow-conversation":
            time.sleep(SLOW_S)  # a query stuck on a lock or a far database
        return real(self, conversation_id)

    monkeypatch.setattr(SqlAlchemyTicketRepository, "open_for_conversation", open_for_conversation)
    executor = ActionExecutor()
    executor.register_package("actions")

    async def both() -> tuple[float, float]:
        start = time.perf_counter()
        slow = asyncio.create_task(executor.run(relay_call("slow-conversation")))
        await asyncio.sleep(0)  # the slow action starts first
        fast_answer = await executor.run(relay_call("fast-conversation"))
        fast_s = time.perf_counter() - start
        slow_answer = await slow
        assert fast_answer["events"] == slow_answer["events"]  # neither has a ticket: the bot is back
        return fast_s, time.perf_counter() - start

    fast_s, slow_s = asyncio.run(both())
    assert slow_s >= SLOW_S
    assert fast_s < SLOW_S / 2, f"the fast conversation waited {fast_s:.2f} s for the slow one"
