"""The repositories' contract (review rev12 #6): every repository of the unit of work has a Protocol in
``bot.storage.repositories``; the SQLAlchemy class and the in-memory fake both subclass it, with the
same signature for every method, and the same behavioural checks pass on both (cosmicpython's
contract tests) for the repositories the services use most: tickets, outbox, attachments, customers."""
from __future__ import annotations

import inspect
import re
import typing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.channels.attachments import check_image
from bot.queue.tickets import ClaimConflict
from bot.storage import repositories
from bot.storage.fakes import FakeUnitOfWork
from bot.storage.uow import AbstractUnitOfWork, SqlAlchemyUnitOfWork
from tests.unit.test_attachments import picture
from tests.unit.test_tickets import make_ticket

ROOT = Path(__file__).resolve().parents[2]

#: Public methods of a SQL repository outside the contract: used by the CLI, the benchmark or tests
#: only, or helpers the class calls itself. The fakes need not have them.
SQL_ONLY = {
    "tickets": {"metrics", "waiting"},          # the desk's figures go through uow.queue; waiting: tests
    "agents": {"upsert", "seen", "is_disabled"},  # upsert: bench/fuzz seeding; the others: internal steps
    "reasons": {"for_conversation"},            # tests read the recorded reasons
}
#: Seeding helpers of the fakes (what a SQL test does with rows or the CLI).
FAKE_ONLY = {"agents": {"add"}, "customers": {"seed", "add_events"}}

REPOSITORIES = sorted(name for name in typing.get_type_hints(AbstractUnitOfWork) if not name.startswith("_"))


def _public(cls: type) -> dict:
    return {name: fn for name, fn in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")}


def _shape(fn) -> list:
    """A signature without annotations: each parameter's name, kind and default."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


def _classes(name: str):
    contract = typing.get_type_hints(AbstractUnitOfWork)[name]
    return contract, typing.get_type_hints(SqlAlchemyUnitOfWork)[name], type(getattr(FakeUnitOfWork(), name))


def test_every_repository_attribute_is_typed_by_its_contract():
    assert len(REPOSITORIES) == 17
    for name in REPOSITORIES:
        contract, sql, fake = _classes(name)
        assert contract.__module__ == repositories.__name__, name
        assert contract in sql.__mro__ and contract in fake.__mro__, name  # declared, not just alike
        assert not inspect.isabstract(sql) and not inspect.isabstract(fake), name


@pytest.mark.parametrize("name", REPOSITORIES)
def test_the_sql_repository_and_its_fake_have_the_contracts_signatures(name):
    contract, sql, fake = _classes(name)
    methods = _public(contract)
    assert methods, name
    for method, fn in methods.items():
        assert method in vars(sql) or any(method in vars(base) for base in sql.__mro__[1:sql.__mro__.index(contract)]), \
            f"{sql.__name__}.{method} is only the contract's stub"
        assert _shape(getattr(sql, method)) == _shape(fn), f"{sql.__name__}.{method}{inspect.signature(getattr(sql, method))}"
        assert _shape(getattr(fake, method)) == _shape(fn), f"{fake.__name__}.{method}{inspect.signature(getattr(fake, method))}"
    assert set(_public(sql)) - set(methods) <= SQL_ONLY.get(name, set()), f"{sql.__name__}: add it to the contract"
    assert set(_public(fake)) - set(methods) <= FAKE_ONLY.get(name, set()), f"{fake.__name__}: add it to the contract"


def test_every_repository_method_bot_calls_is_in_its_contract():
    called = set()
    for path in (ROOT / "bot").rglob("*.py"):
        called |= set(re.findall(r"\buow\.([a-z_]+)\.([a-z_]+)\(", path.read_text(encoding="utf-8")))
    assert called
    contracts = typing.get_type_hints(AbstractUnitOfWork)
    missing = sorted(f"{repo}.{method}" for repo, method in called
                     if repo in contracts and method not in _public(contracts[repo]))
    assert missing == []


# ---- the same behaviour on both ---------------------------------------------------------------

@pytest.fixture(params=["sql", "fake"])
def any_uow(request):
    """The unit of work on a fresh migrated SQLite database, then the fake."""
    if request.param == "fake":
        return FakeUnitOfWork()
    return request.getfixturevalue("uow")


def test_tickets_contract(any_uow):
    uow = any_uow
    first = make_ticket(uow, "contract-1", minutes_ago=5)
    second = make_ticket(uow, "contract-2")
    with uow:
        assert uow.tickets.get(first.ticket_id).conversation_id == "contract-1"
        assert uow.tickets.get("T000000000000") is None
        assert uow.tickets.open_for_conversation("contract-2").ticket_id == second.ticket_id
        assert uow.tickets.position(uow.tickets.get(second.ticket_id)) == 2
        claimed = uow.tickets.claim(first.ticket_id, "ann")
        uow.commit()
    assert (claimed.state, claimed.assigned_to) == ("with_agent", "ann")
    with uow:
        with pytest.raises(ClaimConflict):
            uow.tickets.claim(first.ticket_id, "bob")
        assert uow.tickets.position(uow.tickets.get(second.ticket_id)) == 1
        event_id = uow.tickets.add_event(first.ticket_id, "message", "ann", "hello", {"from": "agent"}, client_id="m-1")
        uow.commit()
    with uow:
        found = uow.tickets.event_by_client_id(first.ticket_id, "ann", "m-1")
        assert (found["id"], found["text"]) == (event_id, "hello")
        assert uow.tickets.event_by_client_id(first.ticket_id, "bob", "m-1") is None
        closed = uow.tickets.close(first.ticket_id, "ann", "resolved")
        uow.commit()
    assert closed.state == "closed"
    with uow:
        assert uow.tickets.open_for_conversation("contract-1") is None
        assert [t.ticket_id for t in uow.tickets.for_conversation("contract-1")] == [first.ticket_id]


def test_a_queue_place_counts_live_customers_not_call_backs(any_uow):
    """Fresh-user report 26 #7: a call-back (older and more urgent) is not ahead of a live customer."""
    uow = any_uow
    make_ticket(uow, "contract-night", "negative_emotion", state="callback", minutes_ago=600)
    live = make_ticket(uow, "contract-live")
    with uow:
        assert uow.tickets.position(uow.tickets.get(live.ticket_id)) == 1
    make_ticket(uow, "contract-ahead", minutes_ago=1)
    with uow:
        assert uow.tickets.position(uow.tickets.get(live.ticket_id)) == 2


def test_a_callback_request_time_is_noted_once_on_a_callback_ticket_only(any_uow):
    """``note_callback_requested`` (a hand-over that was itself a call-back request): the request time and the
    call-back's SLA as ``request_callback`` keeps them; the first one stays; a queued ticket is not changed."""
    uow = any_uow
    queued = make_ticket(uow, "contract-cb-q")
    callback = make_ticket(uow, "contract-cb", state="callback")
    asked = callback.created_at + timedelta(seconds=1)
    sla = {"target_wait_s": 300, "due_at": (asked + timedelta(minutes=5)).isoformat()}
    with uow:
        assert uow.tickets.note_callback_requested(queued.ticket_id, asked, sla) is False
        assert uow.tickets.note_callback_requested(callback.ticket_id, asked, sla) is True
        assert uow.tickets.note_callback_requested(callback.ticket_id, asked + timedelta(hours=1), sla) is True
        uow.commit()
    with uow:
        noted, untouched = uow.tickets.get(callback.ticket_id), uow.tickets.get(queued.ticket_id)
    assert noted.callback_requested_at == asked and noted.sla_due_at == asked + timedelta(minutes=5)
    assert noted.packet["callback_requested_at"] == asked.isoformat() and noted.packet["callback_sla"] == sla
    assert noted.packet["sla"] == sla
    assert untouched.callback_requested_at is None and "callback_sla" not in untouched.packet


def test_outbox_contract(any_uow):
    uow = any_uow
    old = datetime.now(timezone.utc) - timedelta(minutes=5)
    with uow:
        ids = uow.outbox.add("contract-c", "wechat", [{"text": "one"}, {"text": "two"}])
        stale = uow.outbox.add("contract-c", "wechat", [{"text": "old"}], created_at=old)
        uow.outbox.add("contract-other", "wechat", [{"text": "not mine"}])
        uow.commit()
    assert len(ids) == 2 and ids[0] < ids[1]
    with uow:
        assert uow.outbox.claim_stale("contract-c", "wechat", old + timedelta(seconds=1)) == [(stale[0], {"text": "old"})]
        uow.outbox.release(stale)
        uow.commit()
    with uow:
        assert not uow.outbox.delivered(ids)
        assert uow.outbox.take_pending("contract-c", "wechat") == [{"text": "one"}, {"text": "two"}, {"text": "old"}]
        uow.commit()
    with uow:
        assert uow.outbox.take_pending("contract-c") == []
        assert uow.outbox.delivered(ids)
        assert [m["delivered"] for m in uow.outbox.all_for("contract-c")] == [True, True, True]


def test_moved_replies_keep_their_ids_and_are_claimed_once(any_uow):
    """A ticket that follows its customer takes the replies not yet delivered on the chat it left
    (``move_pending``: their ids); the Rasa server then claims exactly those to push them (``claim``)."""
    uow = any_uow
    with uow:
        delivered = uow.outbox.add("move-a", "rest", [{"text": "seen already"}])
        uow.outbox.mark_delivered(delivered)
        pending = uow.outbox.add("move-a", "rest", [{"text": "reply one"}, {"text": "reply two"}])
        other = uow.outbox.add("move-other", "rest", [{"text": "someone else's"}])
        uow.commit()
    with uow:
        assert uow.outbox.move_pending("move-a", "move-b", "wechat") == pending
        uow.commit()
    with uow:
        assert uow.outbox.move_pending("move-a", "move-c", "wechat") == []  # nothing left to move
        assert [m["message"]["text"] for m in uow.outbox.all_for("move-b")] == ["reply one", "reply two"]
        claimed = uow.outbox.claim("move-b", pending + delivered + other + [10_000])  # not someone else's
        assert [(i, m["text"]) for i, m in claimed] == [(pending[0], "reply one"), (pending[1], "reply two")]
        # shown in its place: when it was written, not when it was pushed
        assert all(abs(m["timestamp"] - datetime.now(timezone.utc).timestamp()) < 60 for _, m in claimed)
        uow.commit()
    with uow:
        assert uow.outbox.claim("move-b", pending) == []  # claimed once: no second push
        assert uow.outbox.claim("move-b", []) == []
        assert uow.outbox.take_pending("move-b", "wechat") == []
        uow.outbox.release(pending)  # the push failed: they wait for the customer's next chance
        uow.commit()
    with uow:
        assert uow.outbox.take_pending("move-b", "wechat") == [{"text": "reply one"}, {"text": "reply two"}]
        assert not uow.outbox.delivered(other)


def test_attachments_contract(any_uow):
    uow = any_uow
    image = check_image(picture(), 5_000_000, 40_000_000)
    since = datetime.now(timezone.utc) - timedelta(minutes=1)
    with uow:
        stored = uow.attachments.add(image, "contract-p", "webchat", "customer")
        uow.commit()
    with uow:
        got = uow.attachments.get(stored.attachment_id)
        assert (got.conversation_id, got.uploader, got.ticket_id, got.data) == ("contract-p", "customer", None, image.data)
        assert uow.attachments.get("not an id") is None
        count, size, oldest = uow.attachments.usage("contract-p", "customer", since)
        assert (count, size) == (1, got.size) and oldest is not None
        assert uow.attachments.usage("contract-p", "agent", since)[:2] == (0, 0)
        uow.attachments.link_ticket(stored.attachment_id, "T1")
        uow.attachments.link_ticket(stored.attachment_id, "T2")  # the first ticket wins
        uow.commit()
    with uow:
        assert uow.attachments.get(stored.attachment_id).ticket_id == "T1"
        loose = uow.attachments.add(image, "contract-p", "webchat", "customer")
        uow.commit()
    with uow:
        assert uow.attachments.delete_unfiled(datetime.now(timezone.utc) + timedelta(seconds=1)) == 1
        uow.commit()
    with uow:
        assert uow.attachments.get(loose.attachment_id) is None
        assert uow.attachments.get(stored.attachment_id) is not None


def test_customers_contract(any_uow):
    uow = any_uow
    with uow:
        ann = uow.customers.create("Ann")
        other = uow.customers.create()
        uow.customers.link(ann.customer_id, "email", "ann@example.com", True, "token")
        uow.customers.link(other.customer_id, "phone", "+447700900111", False)
        uow.commit()
    with uow:
        assert uow.customers.find("email", "ann@example.com").customer_id == ann.customer_id
        assert uow.customers.find("phone", "+447700900111", verified_only=True) is None
        assert uow.customers.find("phone", "+447700900111").customer_id == other.customer_id
        assert uow.customers.oldest_first([other.customer_id, ann.customer_id, "nobody"]) \
            == [ann.customer_id, other.customer_id]
        uow.customers.merge(ann.customer_id, other.customer_id)
        uow.customers.set_display_name(ann.customer_id, "Ann Lee")
        uow.commit()
    with uow:
        merged = uow.customers.get(ann.customer_id)
        assert merged.display_name == "Ann Lee"
        assert {(i.kind, i.value) for i in merged.identities} == {("email", "ann@example.com"), ("phone", "+447700900111")}
        assert uow.customers.get(other.customer_id) is None
        assert uow.customers.find("phone", "+447700900111").customer_id == ann.customer_id
