"""Demo data only where it cannot hurt (bot/storage/seed.py, `python -m bot.cli seed | demo-agent`).

`make run` and `make scale-up` run both on every start: on a database in use
they must neither add demo orders nor create or reset the `demo` supervisor,
unless DEMO=1 asks for it, and they say what they did.
"""
import shutil

import pytest

from bot.cli import main as cli
from bot.storage.uow import SqlAlchemyUnitOfWork


@pytest.fixture
def empty_database(tmp_path, monkeypatch, migrated_template) -> str:
    """A migrated SQLite database with nothing in it (what `make run` sees the first time)."""
    shutil.copyfile(migrated_template, tmp_path / "bot.db")
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("DEMO", raising=False)
    monkeypatch.delenv("AGENT_DEMO_PASSWORD", raising=False)
    return url


def orders() -> list:
    with SqlAlchemyUnitOfWork() as uow:
        return uow.orders.list_numbers()


def signs_in(username: str, password: str) -> bool:
    with SqlAlchemyUnitOfWork() as uow:
        return uow.agents.authenticate(username, password) is not None


def demo_password(out: str) -> str:
    return out.split("password: ", 1)[1].split()[0]


def test_a_new_database_gets_the_demo_orders_and_the_demo_supervisor(empty_database, capsys):
    assert cli(["seed"]) == 0
    assert "demo orders added: 6" in capsys.readouterr().out and len(orders()) == 6
    assert cli(["demo-agent"]) == 0
    out = capsys.readouterr().out
    assert "created" in out and signs_in("demo", demo_password(out))


def test_restarting_never_resets_the_demo_password(empty_database, capsys):
    cli(["seed"]), cli(["demo-agent"])
    first = demo_password(capsys.readouterr().out)
    assert cli(["seed"]) == 0 and cli(["demo-agent"]) == 0  # the second `make run`
    out = capsys.readouterr().out
    assert "password unchanged" in out and "password: " not in out
    assert signs_in("demo", first)


def test_a_database_in_use_gets_no_demo_orders_and_no_demo_supervisor(empty_database, capsys):
    assert cli(["create-agent", "li.wei", "--display-name", "Li Wei", "--password", "pass-word-1"]) == 0
    capsys.readouterr()
    assert cli(["seed"]) == 0
    assert "not added" in capsys.readouterr().out and orders() == []
    assert cli(["demo-agent"]) == 0
    assert "no demo agent created" in capsys.readouterr().out
    with SqlAlchemyUnitOfWork() as uow:
        assert [a["username"] for a in uow.agents.all()] == ["li.wei"]


def test_an_existing_agent_called_demo_keeps_its_password(empty_database, capsys, monkeypatch):
    # a production desk whose supervisor happens to be called `demo`, and AGENT_DEMO_PASSWORD left in the environment
    assert cli(["create-agent", "demo", "--display-name", "Ops", "--role", "supervisor",
                "--password", "the-real-one"]) == 0
    monkeypatch.setenv("AGENT_DEMO_PASSWORD", "known-to-everyone")
    assert cli(["demo-agent"]) == 0
    assert "password unchanged" in capsys.readouterr().out
    assert signs_in("demo", "the-real-one") and not signs_in("demo", "known-to-everyone")


def test_demo_1_seeds_and_resets_on_purpose_and_says_so(empty_database, capsys, monkeypatch):
    assert cli(["create-agent", "demo", "--display-name", "Demo Agent", "--role", "supervisor",
                "--password", "old-pass-word"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("DEMO", "1")
    monkeypatch.setenv("AGENT_DEMO_PASSWORD", "new-pass-word")
    assert cli(["seed"]) == 0 and len(orders()) == 6
    assert cli(["demo-agent"]) == 0
    out = capsys.readouterr().out
    assert "password RESET because DEMO=1" in out and "new-pass-word" in out
    assert signs_in("demo", "new-pass-word") and not signs_in("demo", "old-pass-word")


def test_a_short_demo_password_is_refused_as_the_agent_api_refuses_it(empty_database, capsys, monkeypatch):
    # a fresh new user's finding (issue 11, sixteenth pass): AGENT_DEMO_PASSWORD=a made a supervisor with password "a"
    monkeypatch.setenv("AGENT_DEMO_PASSWORD", "a")
    assert cli(["demo-agent"]) == 2
    assert "AGENT_DEMO_PASSWORD needs at least 8 characters" in capsys.readouterr().err
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.agents.all() == []
    monkeypatch.setenv("DEMO", "1")  # nor with DEMO=1, which would reset an existing demo's password to it
    assert cli(["demo-agent"]) == 2


def test_the_readme_says_which_contact_belongs_to_which_demo_order():
    """Fresh-user report 26 #2: the proof-of-ownership question ("the e-mail address or mobile number on order
    QX-100002?") could not be answered from the README; its demo-order table must match the seeded data."""
    from datetime import datetime, timezone
    from pathlib import Path

    from bot.storage.seed import demo_orders

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("Demo orders (`make run` seeds them", 1)[1].split("\n### ", 1)[0]
    rows = {cells[0].strip("` "): [c.strip("` ") for c in cells]
            for cells in (line.strip("|").split("|") for line in section.splitlines() if line.startswith("| `QX-"))}
    for order in demo_orders(datetime.now(timezone.utc)):
        row = rows.get(order["order_number"])
        assert row is not None, f"{order['order_number']} is not in the README's demo-order table"
        assert order["email"] in row and order["phone"] in row, row
