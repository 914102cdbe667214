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


def store_photo(conversation_id: str, channel: str = "rest", color=(200, 30, 30)) -> str:
    """A customer photo of ``conversation_id`` as the channels store them (bot.services.attachments.store)."""
    import io

    from PIL import Image

    from bot.services import attachments as attachments_service

    data = io.BytesIO()
    Image.new("RGB", (24, 16), color).save(data, "PNG")
    return attachments_service.store(RowsUnitOfWork(), data.getvalue(), conversation_id, channel,
                                     "customer").attachment_id


def test_words_sent_with_a_photo_are_read_and_a_request_for_a_person_hands_over(servers):
    servers.login("agent1", "pass-word-1")  # someone online: queued
    replies = servers.say("m4-photo", "I want to talk to a human", attachment_id=store_photo("m4-photo"))
    said = "\n".join(r.get("text", "") for r in replies)
    assert "Thank you for the photo" not in said, said
    with RowsUnitOfWork() as uow:
        [ticket] = uow.tickets.for_conversation("m4-photo")
    assert ticket.state in ("queued", "callback") and ticket.reason["code"] == "customer_request"


def test_another_conversations_photo_is_refused_400_as_on_the_web_chat(servers):
    """Review chan29 #3: REST took any well-formed id, the web chat refuses a photo its session did not
    upload (connectors.photos.check_own_photo, one check for both)."""
    import requests

    from tests.integration.webchat_client import conversation_of

    session = requests.post(f"{servers.url}/chat/api/session", json={}, timeout=30).json()["session_id"]
    theirs = store_photo(conversation_of(session), "webchat", (10, 10, 200))
    # a web chat customer's photo, nobody's, another REST conversation's
    for photo in (theirs, new_attachment_id(), store_photo("rest-other")):
        response = servers.rest("POST", json={"sender": "rest-thief", "message": "here is my photo",
                                              "metadata": {"attachment_id": photo}})
        assert response.status_code == 400, (photo, response.text)
        assert response.json() == {"error": "metadata.attachment_id names no photo this conversation's customer "
                                            "sent"}
    assert [e for e in servers.tracker("rest-thief")["events"] if e["event"] == "user"] == []
    with RowsUnitOfWork() as uow:
        assert uow.tickets.for_conversation("rest-thief") == []
    own = store_photo("rest-owner")
    assert servers.say("rest-owner", "here is my photo", attachment_id=own)  # its own: answered
    [user] = [e for e in servers.tracker("rest-owner")["events"] if e["event"] == "user"]
    assert user["metadata"]["attachment_id"] == own
