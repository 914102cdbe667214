"""Shared fixtures: a fresh SQLite database per test, project paths."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL = PROJECT_ROOT / "models" / "current.tar.gz"

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An empty SQLite database at the newest schema revision (bot/storage/migrations), made once."""
    from bot.storage.schema import upgrade

    path = tmp_path_factory.mktemp("template") / "bot.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(tmp_path, monkeypatch, migrated_template) -> str:
    """A new SQLite file with the schema (a copy of the migrated template) and
    demo orders; DATABASE_URL points at it."""
    import shutil

    from bot.storage.seed import seed_demo_orders
    from bot.storage.uow import SqlAlchemyUnitOfWork

    shutil.copyfile(migrated_template, tmp_path / "bot.db")
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    seed_demo_orders(SqlAlchemyUnitOfWork())
    return url


@pytest.fixture
def uow(database_url):
    from bot.storage.uow import SqlAlchemyUnitOfWork

    return SqlAlchemyUnitOfWork()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL.exists():
        pytest.fail("models/current.tar.gz is missing: run `make train` (make test does it)")
    return MODEL


@pytest.fixture
def always_open(tmp_path, monkeypatch) -> None:
    """escalation.yml with a 24/7 team, so tests do not depend on the hour."""
    config = (PROJECT_ROOT / "escalation.yml").read_text().replace("always_open: false", "always_open: true")
    path = tmp_path / "escalation.yml"
    path.write_text(config)
    monkeypatch.setenv("ESCALATION_CONFIG", str(path))


@pytest.fixture
def agent_online(database_url) -> None:
    from bot.storage.uow import SqlAlchemyUnitOfWork

    with SqlAlchemyUnitOfWork() as uow:
        uow.agents.upsert("alice", "pass-word-1", "Alice")
        uow.agents.issue_token("alice")
        uow.commit()


@pytest.fixture(scope="session")
def wechat_fake():
    """The local fake of WeChat's API (tests/channels/wechat_fake.py), running on a free port for the session.

    Shared by every module that starts servers with the WeChat channel; tests keep apart by
    using their own openid (``messages_to(user)``)."""
    from tests.channels.wechat_fake import BackgroundLoop, FakeWeChatApi

    loop = BackgroundLoop()
    fake = loop.run(FakeWeChatApi().start())
    yield fake
    loop.run(fake.stop())
    loop.stop()
