"""The agent's view on the real servers (s20eng2 #5): a hand-over from the "Talk to a person" button keeps a
transcript line; ESC/BEL in a REST message are refused as NUL is."""
from __future__ import annotations

from tests.rows import RowsUnitOfWork


def test_a_hand_over_from_the_button_payload_has_a_transcript_line(servers):
    servers.login("agent1", "pass-word-1")
    servers.say("view-button", "/request_human")
    with RowsUnitOfWork() as uow:
        [ticket] = uow.tickets.for_conversation("view-button")
        said = [line.get("text") for line in uow.tickets.transcript(ticket) if line.get("from") == "customer"]
    assert "[button] Talk to a person" in said, said
    assert ticket.packet["transcript"], ticket.packet


def test_esc_and_bel_in_a_rest_message_are_refused(servers):
    for text in ("\x1b[2Jhello", "ring\x07"):
        response = servers.rest("POST", json={"sender": "view-ctl", "message": text})
        assert response.status_code == 400 and "control character" in response.text
