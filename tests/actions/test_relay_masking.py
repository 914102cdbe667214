"""What the customer writes after the hand-over is masked before the agent sees it (DESIGN.md §6)."""
import json

from rasa_sdk import Tracker

from actions.handoff import ActionHandoff, ActionRelayToAgent
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.actions.conftest import run_action, FIXTURES


def said_after_handover(text: str) -> Tracker:
    state = json.loads((FIXTURES / "request_human_zh.json").read_text(encoding="utf-8"))
    state["slots"].update(handoff_state="queued")
    state["latest_message"] = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
    state["events"].append({"event": "user", "text": text, "parse_data": state["latest_message"],
                            "input_channel": "rest"})
    return Tracker.from_dict(state)


def test_messages_after_the_handover_reach_the_ticket_masked(
    database_url, always_open, agent_online, tracker_from, dispatcher
):
    run_action(ActionHandoff(), dispatcher, tracker_from("request_human_zh"), {})
    said = [
        "卡号 4111 1111 1111 1111 123，有效期12/28",
        "我的手机：１３８１２３４５６７８，邮箱li＠example．com",
        "reach me on +1 (415) 555-2671 about QX-100002, SF1234567890, ¥1,299.00 on 2026-11-30 14:30",  # not "call me": a call-back
        "身份证 11010519491231002X",
    ]
    for text in said:
        assert run_action(ActionRelayToAgent(), dispatcher, said_after_handover(text), {}) == []

    with SqlAlchemyUnitOfWork() as uow:
        ticket = uow.tickets.open_for_conversation("fx-human-zh")
        live = [m["text"] for m in uow.tickets.transcript(ticket) if m["from"] == "customer"][-4:]
    assert live == [
        "卡号 [card …1111]，有效期12/28",
        "我的手机：[phone …5678]，邮箱[email]",
        "reach me on [phone …2671] about QX-100002, SF1234567890, ¥1,299.00 on 2026-11-30 14:30",
        "身份证 [ID …002X]",
    ]
