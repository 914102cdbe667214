"""Agents (bot/queue/agents.py, bot/cli.py): a new password or role ends sessions, disabled agents, user names."""
import pytest

from bot.cli import main as cli
from bot.storage.uow import SqlAlchemyUnitOfWork


def sign_in(username: str, password: str):
    with SqlAlchemyUnitOfWork() as uow:
        agent = uow.agents.authenticate(username, password)
        token = uow.agents.issue_token(agent.username) if agent else None
        uow.commit()
    return token


def holder(token: str):
    with SqlAlchemyUnitOfWork() as uow:
        agent = uow.agents.agent_for_token(token)
        uow.commit()
    return agent


def save(username="li.wei", password="pass-word-1", role="agent", **kwargs):
    with SqlAlchemyUnitOfWork() as uow:
        saved = uow.agents.save(username, password, "Li Wei", role, **kwargs)
        uow.commit()
    return saved


def test_saving_with_a_new_password_or_role_ends_the_agents_sessions(uow):
    first = save()
    assert first.created and first.sessions_ended == 0 and first.agent.active
    kept = sign_in("li.wei", "pass-word-1")
    again = save()  # same password and role: an update that ends nothing
    assert not again.created and again.sessions_ended == 0 and holder(kept).username == "li.wei"

    second = sign_in("li.wei", "pass-word-1")
    reset = save(password="pass-word-2")
    assert not reset.created and reset.sessions_ended == 2
    assert holder(kept) is None and holder(second) is None
    assert sign_in("li.wei", "pass-word-1") is None

    third = sign_in("li.wei", "pass-word-2")
    promoted = save(password="pass-word-2", role="supervisor")
    assert promoted.sessions_ended == 1 and promoted.agent.role == "supervisor" and holder(third) is None


def test_a_disabled_agent_cannot_log_in_and_their_tokens_are_refused(uow):
    save()
    save("other", "pass-word-9")
    token, others = sign_in("li.wei", "pass-word-1"), sign_in("other", "pass-word-9")
    with SqlAlchemyUnitOfWork() as unit:
        assert unit.agents.set_active("li.wei", False, "alice") == 1
        assert unit.agents.set_active("nobody", False) is None
        unit.commit()
    assert holder(token) is None and sign_in("li.wei", "pass-word-1") is None
    assert holder(others).username == "other"  # nobody else's sessions end
    with SqlAlchemyUnitOfWork() as unit:
        listed = {a["username"]: a["active"] for a in unit.agents.all()}
        assert listed == {"li.wei": False, "other": True}
        assert unit.agents.online_count() == 1  # a disabled agent is not online
    # saving them again (a new password) keeps them disabled unless told otherwise
    assert save(password="pass-word-3").agent.active is False
    assert sign_in("li.wei", "pass-word-3") is None
    assert save(password="pass-word-3", active=True).agent.active is True
    assert holder(sign_in("li.wei", "pass-word-3")).username == "li.wei"


def test_an_agent_who_logs_out_everywhere_is_offline_at_once(uow):
    save()
    save("other", "pass-word-9")
    laptop, phone = sign_in("li.wei", "pass-word-1"), sign_in("li.wei", "pass-word-1")
    sign_in("other", "pass-word-9")

    def online() -> dict:
        with SqlAlchemyUnitOfWork() as unit:
            return {"count": unit.agents.online_count(),
                    **{a["username"]: a["online"] for a in unit.agents.all()}}

    assert online() == {"count": 2, "li.wei": True, "other": True}
    with SqlAlchemyUnitOfWork() as unit:
        assert unit.agents.revoke_token(laptop) is True
        unit.commit()
    assert online()["li.wei"] is True  # still signed in on the phone
    with SqlAlchemyUnitOfWork() as unit:
        assert unit.agents.revoke_token(phone) is True and unit.agents.revoke_token(phone) is False
        unit.commit()
    assert online() == {"count": 1, "li.wei": False, "other": True}  # no call-back wait for an empty desk
    assert holder(sign_in("li.wei", "pass-word-1")).username == "li.wei" and online()["li.wei"] is True


@pytest.mark.parametrize("username", ["x\u0000y", "zz\n", "", "a b", "-lead", "李伟", "x" * 65, "a\u202eb"])
def test_user_names_are_letters_digits_and_a_few_marks(uow, username):
    with pytest.raises(ValueError, match="user name"):
        save(username)


@pytest.mark.parametrize("username", ["agent0", "li.wei", "li_wei-2", "ops@example.com", "x" * 64])
def test_sane_user_names_are_accepted(uow, username):
    assert save(username).agent.username == username


def test_cli_disables_enables_and_says_whether_it_created_or_updated(uow, capsys):
    assert cli(["create-agent", "li.wei", "--display-name", "Li Wei", "--password", "pass-word-1"]) == 0
    assert "created" in capsys.readouterr().out
    token = sign_in("li.wei", "pass-word-1")
    assert cli(["create-agent", "li.wei", "--display-name", "Li Wei", "--password", "pass-word-2"]) == 0
    assert "updated (1 session(s) ended)" in capsys.readouterr().out and holder(token) is None
    token = sign_in("li.wei", "pass-word-2")
    assert cli(["disable-agent", "li.wei"]) == 0
    assert "disabled (1 session(s) ended)" in capsys.readouterr().out
    assert holder(token) is None and sign_in("li.wei", "pass-word-2") is None
    assert cli(["enable-agent", "li.wei"]) == 0 and sign_in("li.wei", "pass-word-2")
    assert cli(["disable-agent", "nobody"]) == 1
    assert cli(["create-agent", "zz\n", "--display-name", "Z", "--password", "pass-word-1"]) == 2
    assert "user name" in capsys.readouterr().err


def test_an_unknown_user_name_costs_one_hash_like_a_known_one(uow, monkeypatch):
    """helper-210 (session 45): an unknown user name cost two scrypt runs (building a dummy hash, then checking it)
    against one for a real name, 74 against 39 ms, so the login's timing listed the desk's user names."""
    import hashlib

    from bot.queue import agents

    save("li.wei", "pass-word-1")
    runs = []
    real_scrypt = hashlib.scrypt
    monkeypatch.setattr(agents.hashlib, "scrypt", lambda *a, **k: runs.append(1) or real_scrypt(*a, **k))
    for username in ("li.wei", "nobody", "li.wei", "admin"):
        runs.clear()
        assert sign_in(username, "wrong-password") is None
        assert len(runs) == 1, username
    assert sign_in("li.wei", "pass-word-1")
