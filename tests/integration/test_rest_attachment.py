"""REST metadata ``attachment_id`` on the real servers (s20eng2 #4): an id our uploads never make is refused
with a reason, and a message with words and a photo is still read (a request for a person hands over)."""
from __future__ import annotations

from bot.channels.attachments import new_attachment_id
from tests.rows import RowsUnitOfWork


def test_a_path_as_attachment_id_is_refused_with_a_clear_error(servers):
    response = servers.rest("POST", json={"sender": "m4", "message": "I want to talk to a human",
                                          "metadata": {"attachment_id": "../../etc/passwd"}})
    assert response.status_code == 400
    assert "attachment_id" in response.text and "32 lower-case hexadecimal" in response.text
    with RowsUnitOfWork() as uow:
        assert uow.tickets.for_conversation("m4") == []


def test_words_sent_with_a_photo_are_read_and_a_request_for_a_person_hands_over(servers):
    servers.login("agent1", "pass-word-1")  # someone online: queued
    replies = servers.say("m4-photo", "I want to talk to a human", attachment_id=new_attachment_id())
    said = "\n".join(r.get("text", "") for r in replies)
    assert "Thank you for the photo" not in said, said
    with RowsUnitOfWork() as uow:
        [ticket] = uow.tickets.for_conversation("m4-photo")
    assert ticket.state in ("queued", "callback") and ticket.reason["code"] == "customer_request"
