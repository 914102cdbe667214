"""Shared fixtures: a fresh SQLite database per test, project paths, and the real servers
several tests share: a redis-server (`make redis-deps`) and a private PostgreSQL 15 cluster
(`make postgres-deps`), one per session."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
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
    from tests.rows import RowsUnitOfWork

    return RowsUnitOfWork()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL.exists():
        pytest.fail("models/current.tar.gz is missing: run `make train` (make test does it)")
    return MODEL


@pytest.fixture(scope="session")
def emotion_model(trained_model):
    """The trained emotion component (``bot.nlu.emotion.EmotionModel``) out of models/current.tar.gz, loaded once."""
    from bench.reading_latency import load_emotion_model

    return load_emotion_model(trained_model)


@pytest.fixture
def always_open(tmp_path, monkeypatch) -> None:
    """escalation.yml with a 24/7 team, so tests do not depend on the hour."""
    config = (PROJECT_ROOT / "escalation.yml").read_text().replace("always_open: false", "always_open: true")
    path = tmp_path / "escalation.yml"
    path.write_text(config)
    monkeypatch.setenv("ESCALATION_CONFIG", str(path))


@pytest.fixture
def outside_support_hours(monkeypatch) -> None:
    """The hand-over's words as outside support hours (the call-back's "next shift" text), whatever
    the hour the test runs at (rev14d #4: inside them, with nobody online, the words differ)."""
    monkeypatch.setattr("bot.handover.handover_dialogue.within_support_hours", lambda moment, config: False)


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
def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server on a free port for the session: its ``redis://`` URL."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: `make redis-deps` installs it")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    import redis

    client = redis.Redis(port=port)
    deadline = time.time() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert process.poll() is None and time.time() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def postgres():
    """A private PostgreSQL 15 cluster for the session (``bench.desk.PrivateCluster``: its own
    data folder and port, run as the ``postgres`` user when root). Call the fixture's value
    with a name to create an empty database: it returns its SQLAlchemy URL."""
    from bench.desk import PG_BIN, PrivateCluster

    if not (PG_BIN / "initdb").exists():
        pytest.fail("PostgreSQL 15 is missing: `make postgres-deps` installs it")
    folder = Path(tempfile.mkdtemp(prefix="qx-pg-"))  # not under pytest's 0700 folders:
    folder.chmod(0o755)                              # the postgres user reaches its cluster
    cluster = PrivateCluster(folder / "pg")
    first = cluster.start()

    def database(name: str) -> str:
        import sqlalchemy as sa

        engine = sa.create_engine(first, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return first.rsplit("/", 1)[0] + f"/{name}"

    try:
        yield database
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def supervisor_servers(request, tmp_path_factory, trained_model):
    """Real servers on a fresh database with the supervisor view's tickets seeded once they are up
    (tests/integration/supervisor_seed.py): the API test and the browser test of the supervisor
    view share it. ``seeded_at`` (UTC) is when the tickets' ages were counted from."""
    from datetime import datetime, timezone

    from tests.integration.conftest import run_servers
    from tests.integration.supervisor_seed import seed_supervisor_tickets
    from tests.rows import RowsUnitOfWork

    for running in run_servers(tmp_path_factory, request.module.__name__.rsplit(".", 1)[-1]):
        running.seeded_at = datetime.now(timezone.utc)
        seed_supervisor_tickets(RowsUnitOfWork, running.seeded_at)
        yield running
