"""Issue 16, fourth pass: SQLite commits without an fsync each (``SQLITE_SYNCHRONOUS``).

With WAL, ``synchronous=NORMAL`` syncs the log at checkpoints instead of at every commit: a
commit that returned survives the process being killed (the operating system holds the pages)
but not necessarily a power cut. The level is a setting, "normal" by default.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from bot.storage.db import make_engine

NORMAL, FULL = 1, 2  # PRAGMA synchronous answers


def _pragma(engine, name: str):
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_commits_are_not_fsynced_each_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("SQLITE_SYNCHRONOUS", raising=False)
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert _pragma(engine, "journal_mode") == "wal"
    assert _pragma(engine, "synchronous") == NORMAL


def test_sqlite_synchronous_full_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "FULL")
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert _pragma(engine, "synchronous") == FULL


def test_another_sqlite_synchronous_level_is_refused_by_name(monkeypatch):
    from bot.settings import Settings

    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "off")
    with pytest.raises(ValueError, match="SQLITE_SYNCHRONOUS"):
        Settings.from_env()


def test_the_tracker_store_engine_uses_the_setting(database_url, monkeypatch):
    monkeypatch.delenv("SQLITE_SYNCHRONOUS", raising=False)
    from bot.storage.stores import ProjectSQLTrackerStore
    from tests.unit.test_speed import DOMAIN

    store = ProjectSQLTrackerStore(domain=DOMAIN)
    assert _pragma(store.engine, "synchronous") == NORMAL


def test_a_commit_survives_the_process_being_killed(tmp_path, monkeypatch):
    """What NORMAL keeps: a server killed (SIGKILL, no clean-up) right after a turn's commit
    loses nothing of it."""
    monkeypatch.delenv("SQLITE_SYNCHRONOUS", raising=False)
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    child = textwrap.dedent(f"""
        import os, signal, sqlalchemy as sa
        from bot.storage.db import make_engine
        engine = make_engine({url!r})
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO t (v) VALUES ('the turn')")
        assert engine.connect().exec_driver_sql("PRAGMA synchronous").scalar() == 1
        print("committed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    done = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert "committed" in done.stdout
    assert (tmp_path / "killed.db-wal").exists()  # killed before any checkpoint or clean close
    engine = sa.create_engine(url, future=True)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT v FROM t").scalars().all() == ["the turn"]


def test_a_saved_turn_is_in_the_database_when_save_returns(database_url):
    """The reply goes out after ``save`` (Rasa's processor): the turn's events are committed by then,
    seen by a connection of its own."""
    from bot.storage.stores import ProjectSQLTrackerStore
    from tests.unit.test_speed import DOMAIN, _conversation

    store = ProjectSQLTrackerStore(domain=DOMAIN)
    tracker = _conversation(store, "fourth-1", 3)
    other = sa.create_engine(database_url, future=True)
    with other.connect() as conn:
        last = conn.exec_driver_sql(
            "SELECT data FROM events WHERE sender_id = 'fourth-1' ORDER BY id DESC LIMIT 1").scalar()
    assert json.loads(last) == tracker.events[-1].as_dict()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_loaded_model_leaves_the_garbage_collector_and_a_replaced_one_is_collected():
    """After ``Agent.load_model`` the heap is frozen (full collections no longer walk the model);
    the next load unfreezes first, so garbage frozen with the previous model is freed."""
    import gc
    import weakref

    from rasa.core.agent import Agent

    from bot import rasa_patches

    rasa_patches.install_all()
    gc.unfreeze()
    try:
        old = _Cycle()
        gone = weakref.ref(old)
        gc.freeze()  # as after an earlier load: the cycle frozen with that model
        del old
        assert gone() is not None and gc.get_freeze_count() > 0
        with pytest.raises(Exception):
            Agent().load_model("/nonexistent/model.tar.gz")  # frozen again even when loading fails
        assert gone() is None  # unfrozen and collected
        assert gc.get_freeze_count() > 0
        kept = gc.get_freeze_count()
        with pytest.raises(Exception):
            Agent().load_model("/nonexistent/model.tar.gz")
        assert gc.get_freeze_count() >= kept // 2  # the heap frozen again, not lost
    finally:
        gc.unfreeze()
