"""The domain vocabulary: ticket states and their transitions, channels, reason codes, the typed packet."""
import json

import pytest

from bot.domain import (
    CONVERSATION_KINDS, HUMAN_STATES, IDENTITY_CHANNEL, OPEN_STATES, REASON_CODES, WAITING_STATES, Channel,
    HandoffPacket, IllegalTransition, ReasonCode, TicketState,
)
from tests.unit.test_packet import packet
from tests.unit.test_tickets import make_ticket


@pytest.mark.parametrize("current,target", [
    ("bot", "queued"), ("bot", "callback"), ("queued", "with_agent"), ("queued", "abandoned"),
    ("queued", "callback"), ("callback", "with_agent"), ("with_agent", "queued"), ("with_agent", "with_agent"),
    ("with_agent", "closed"), ("closed", "bot"),
])
def test_design_transitions_are_allowed(current, target):
    assert TicketState(current).to(target) == target
    assert TicketState(current).can_become(target)


@pytest.mark.parametrize("current,target", [
    ("closed", "with_agent"), ("closed", "queued"), ("abandoned", "with_agent"), ("bot", "with_agent"),
    ("callback", "queued"), ("bot", "closed"),
])
def test_illegal_transitions_raise(current, target):
    with pytest.raises(IllegalTransition, match=f"from {current} to {target}"):
        TicketState(current).to(target)
    assert not TicketState(current).can_become(target)


def test_states_are_their_words():
    assert str(TicketState.WITH_AGENT) == "with_agent" and f"{TicketState.QUEUED}" == "queued"
    assert json.dumps({"s": TicketState.CALLBACK}) == '{"s": "callback"}'
    assert set(WAITING_STATES) == {"queued", "callback"}
    assert set(OPEN_STATES) == {"queued", "callback", "with_agent"}
    assert set(HUMAN_STATES) == {"queued", "with_agent"}
    with pytest.raises(ValueError):
        TicketState("escalated")


def test_one_channel_mapping():
    assert Channel.owning("webchat") == Channel.owning("socketio") == Channel.WEB
    assert Channel.owning(None) is None and Channel.owning("cmdline") is None and Channel.owning(3) is None
    assert Channel.from_input("WEBCHAT") == "web" and Channel.from_input("web") == "web"
    assert Channel.from_input(None) == Channel.from_input("cmdline") == Channel.REST
    assert [c.delivery for c in Channel] == ["webchat", "wechat", "ivr", "rest"]
    assert {c.value: c.identity_kind for c in Channel} == dict(CONVERSATION_KINDS)
    assert all(Channel.from_identity_kind(c.identity_kind) is c for c in Channel)
    assert Channel.from_identity_kind("email") is None
    assert IDENTITY_CHANNEL["web_session"] == "web" and IDENTITY_CHANNEL["phone"] == "phone"


def test_reason_codes_in_default_precedence():
    assert REASON_CODES == ("customer_request", "negative_emotion", "complex_intent", "flow_exhausted",
                            "nlu_failure", "no_input", "system_error")
    assert ReasonCode("no_input") is ReasonCode.NO_INPUT


def test_packet_round_trips_byte_for_byte():
    built = packet()
    typed = HandoffPacket.from_dict(built)
    assert json.dumps(typed.as_dict(), ensure_ascii=False) == json.dumps(built, ensure_ascii=False)
    assert list(built) == list(HandoffPacket.KEYS)
    assert typed.reason_code is ReasonCode.NEGATIVE_EMOTION


def test_packet_rejects_another_schema_or_a_missing_field():
    built = packet()
    with pytest.raises(ValueError, match="schema"):
        HandoffPacket.from_dict({**built, "schema": "handoff/v2"})
    with pytest.raises(ValueError, match="sla"):
        HandoffPacket.from_dict({k: v for k, v in built.items() if k != "sla"})


def test_repository_refuses_an_illegal_move(uow):
    ticket = make_ticket(uow)
    with uow:
        uow.tickets.close(ticket.ticket_id, "demo", "resolved")
        with pytest.raises(IllegalTransition):
            uow.tickets.set_state(ticket.ticket_id, "with_agent")
        uow.commit()


def test_the_channel_names_are_listed_once_in_the_domain():
    """bot.domain.CHANNELS is the one list: the conversations module and the desk's filter use it."""
    import connectors.agent_desk as desk
    from bot import domain
    from bot.channels import conversations

    assert domain.CHANNELS == ("web", "wechat", "ivr", "rest")
    assert conversations.CHANNELS is domain.CHANNELS and desk.CHANNELS is domain.CHANNELS
