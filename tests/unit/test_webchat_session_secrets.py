"""Web chat sessions (issue 13 review): the session id a browser holds is a secret; the
conversation id every agent sees is a one-way hash of it and resumes nothing; sessions expire
after WEBCHAT_SESSION_TTL_S idle; sessions issued before secrets (public ids) resume nothing."""
from datetime import timedelta

from sqlalchemy import select, update

from bot.channels.webchat import photo_key, public_id
from bot.services import webchat as webchat_service
from bot.settings import Settings
from bot.storage.db import WebchatSessionRow, utcnow
from tests.rows import RowsUnitOfWork


def rows() -> dict:
    with RowsUnitOfWork() as uow:
        return {r.id: r.photo_key for r in uow.execute(select(WebchatSessionRow)).scalars()}


def test_the_secret_is_never_stored_and_the_public_id_resumes_nothing(uow):
    secret, conversation_id, resumed = webchat_service.open_session(RowsUnitOfWork(), None, "https://shop")
    assert not resumed and conversation_id == public_id(secret) != secret
    stored = rows()
    assert stored == {conversation_id: photo_key(secret)} and secret not in str(stored)
    assert webchat_service.open_session(RowsUnitOfWork(), secret, None) == (secret, conversation_id, True)
    assert webchat_service.known_session(RowsUnitOfWork(), secret) == conversation_id
    # the id on the agent's desk: a new session, never the customer's
    again, other, resumed = webchat_service.open_session(RowsUnitOfWork(), conversation_id, None)
    assert not resumed and again != secret and other != conversation_id
    assert webchat_service.known_session(RowsUnitOfWork(), conversation_id) is None


def test_an_idle_session_expires_after_the_configured_time(uow, monkeypatch):
    monkeypatch.setenv("WEBCHAT_SESSION_TTL_S", "3600")
    secret, conversation_id, _ = webchat_service.open_session(RowsUnitOfWork(), None, None)

    def idle(seconds: float) -> None:
        with RowsUnitOfWork() as unit:
            unit.execute(update(WebchatSessionRow).where(WebchatSessionRow.id == conversation_id)
                         .values(last_seen_at=utcnow() - timedelta(seconds=seconds)))
            unit.commit()

    idle(3500)
    assert webchat_service.known_session(RowsUnitOfWork(), secret) == conversation_id  # and touched
    idle(3700)
    assert webchat_service.known_session(RowsUnitOfWork(), secret) is None
    monkeypatch.setenv("WEBCHAT_SESSION_TTL_S", "0")  # 0: never
    assert webchat_service.known_session(RowsUnitOfWork(), secret) == conversation_id


def test_a_session_from_before_secrets_cannot_be_resumed_with_its_public_id(uow):
    legacy = "ab" * 16  # its id was the conversation id agents saw
    with RowsUnitOfWork() as unit:
        unit.add(WebchatSessionRow(id=legacy, origin=None))
        unit.commit()
    assert webchat_service.known_session(RowsUnitOfWork(), legacy) is None
    secret, conversation_id, resumed = webchat_service.open_session(RowsUnitOfWork(), legacy, None)
    assert not resumed and conversation_id != legacy


def test_the_session_lifetime_setting():
    assert Settings.from_env({}).webchat_session_ttl_s == 30 * 24 * 3600
    assert Settings.from_env({"WEBCHAT_SESSION_TTL_S": "86400"}).webchat_session_ttl_s == 86400
