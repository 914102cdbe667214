"""The handoff packet has one typed model (bot.domain): built, stored and read with the same types."""
from __future__ import annotations

import json
import typing

import pytest

from bot import domain
from bot.domain import HandoffPacket, PacketJSON
from tests.unit.test_packet import packet


def _keys(typed_dict) -> set:
    return set(typing.get_type_hints(typed_dict))


def _packet_with_a_known_customer():
    customer = {"id": "C1", "display_name": "Li Na", "verification": "token",
                "identities": [{"channel": "web", "id": "li.na@example.com", "kind": "email", "verified": True}]}
    return packet(customer=customer, related=[("other-conv", [
        {"event": "user", "text": "hello", "timestamp": 1764064000.0, "input_channel": "wechat",
         "metadata": {}}])])


@pytest.mark.parametrize("make", [packet, _packet_with_a_known_customer])
def test_to_json_and_from_json_round_trip_byte_for_byte(make):
    built = make()
    text = json.dumps(built, ensure_ascii=False)
    assert HandoffPacket.from_json(text).to_json() == text
    assert HandoffPacket.from_json(text.encode("utf-8")).to_json() == text
    assert HandoffPacket.from_json(built).as_dict() == built  # the object a ticket holds


def test_from_json_refuses_what_is_not_a_packet():
    with pytest.raises(ValueError):
        HandoffPacket.from_json("not json")
    with pytest.raises(ValueError, match="object"):
        HandoffPacket.from_json("[1, 2]")
    with pytest.raises(ValueError, match="schema"):
        HandoffPacket.from_json(json.dumps({**packet(), "schema": "handoff/v0"}))


@pytest.mark.parametrize("make", [packet, _packet_with_a_known_customer])
def test_the_types_name_every_key_a_built_packet_has(make):
    built = make()
    assert set(built) == _keys(PacketJSON) == set(HandoffPacket.KEYS)
    assert set(built["reason"]) == _keys(domain.PacketReason)
    assert all(set(t) == _keys(domain.PacketTrigger) for t in built["reason"]["triggers"])
    assert set(built["intake"]) == _keys(domain.PacketIntake)
    assert set(built["troubleshooting"]) == _keys(domain.PacketTroubleshooting)
    assert set(built["emotion"]) == _keys(domain.PacketEmotion)
    assert set(built["sla"]) == _keys(domain.PacketSla)
    assert set(built["customer"]) <= _keys(domain.PacketCustomer)
    assert all(set(i) <= _keys(domain.PacketIdentity) for i in built["customer"]["identities"])
    assert all(set(c) == _keys(domain.PacketConversation) for c in built["conversations"])
    required_line = domain.TranscriptLine.__required_keys__
    assert required_line == {"from", "text", "at", "channel"}
    for line in built["transcript"]:
        assert required_line <= set(line) <= _keys(domain.TranscriptLine)


def test_the_read_paths_take_the_typed_packet():
    """The ticket, its repositories, the queue's search fields and the builder all speak PacketJSON."""
    from bot.handover.packet import build_packet
    from bot.queue import queue_queries, tickets
    from bot.services import handover
    from bot.storage.fakes import FakeTicketRepository

    assert typing.get_type_hints(tickets.Ticket)["packet"] is PacketJSON
    for add in (tickets.SqlAlchemyTicketRepository.add, FakeTicketRepository.add):
        assert typing.get_type_hints(add)["packet"] is PacketJSON
    for read in (queue_queries.search_text_of, queue_queries.ticket_search_fields):
        assert typing.get_type_hints(read)["packet"] is PacketJSON
    assert typing.get_type_hints(build_packet)["return"] is PacketJSON
    assert typing.get_type_hints(handover._packet)["return"] is PacketJSON
    assert typing.get_type_hints(HandoffPacket)["intake"] is domain.PacketIntake
