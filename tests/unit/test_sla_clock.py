"""The SLA clock of a case handed over outside support hours starts when they next open
(Issue 11 follow-up): ``next_opening`` and the packet's ``sla.due_at`` on a fixed clock."""
from datetime import datetime, timedelta, timezone

import pytest

from bot.handover.packet import build_packet
from bot.handover.policy import (Decision, EscalationConfig, EscalationConfigError, load_config, next_opening,
                                 sla_due_at, within_support_hours)

SHANGHAI = load_config()  # Mon-Fri 09:00-18:00, Sat 10:00-16:00, Sunday closed, Asia/Shanghai (UTC+8)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def variant(**support_hours) -> EscalationConfig:
    raw = SHANGHAI.raw
    return EscalationConfig({**raw, "support_hours": {**raw["support_hours"], **support_hours}})


@pytest.mark.parametrize("moment, opens", [
    # Wednesday 25 Nov 2026 10:00 Shanghai (02:00 UTC): open, the clock starts now
    (utc(2026, 11, 25, 2, 0), utc(2026, 11, 25, 2, 0)),
    # Wednesday 18:00 Shanghai sharp: closed (the end is excluded) -> Thursday 09:00 Shanghai = 01:00 UTC
    (utc(2026, 11, 25, 10, 0), utc(2026, 11, 26, 1, 0)),
    # Wednesday 23:30 Shanghai, still Wednesday 15:30 UTC: the next day in Shanghai, not in UTC
    (utc(2026, 11, 25, 15, 30), utc(2026, 11, 26, 1, 0)),
    # Thursday 00:30 Shanghai is Wednesday 16:30 UTC: later the same Shanghai day
    (utc(2026, 11, 25, 16, 30), utc(2026, 11, 26, 1, 0)),
    # Thursday 07:00 Shanghai, before opening: 09:00 that day
    (utc(2026, 11, 25, 23, 0), utc(2026, 11, 26, 1, 0)),
    # Friday 19:00 Shanghai -> Saturday's shorter day, 10:00 Shanghai = 02:00 UTC
    (utc(2026, 11, 27, 11, 0), utc(2026, 11, 28, 2, 0)),
    # Saturday 17:00 Shanghai -> Sunday is closed -> Monday 09:00 Shanghai = Monday 01:00 UTC
    (utc(2026, 11, 28, 9, 0), utc(2026, 11, 30, 1, 0)),
    # Sunday noon Shanghai -> Monday 09:00
    (utc(2026, 11, 29, 4, 0), utc(2026, 11, 30, 1, 0)),
])
def test_the_next_opening_in_shanghai(moment, opens):
    assert next_opening(moment, SHANGHAI) == opens
    assert within_support_hours(opens, SHANGHAI)


def test_always_open_means_now():
    night = utc(2026, 11, 29, 20, 0)  # Monday 04:00 Shanghai
    assert next_opening(night, variant(always_open=True)) == night


def test_the_time_zone_is_the_configured_one():
    new_york = variant(timezone="America/New_York", weekly={0: "09:00-17:00"})
    # Monday 30 Nov 2026 06:00 in New York (EST, UTC-5) -> 09:00 that day = 14:00 UTC
    assert next_opening(utc(2026, 11, 30, 11, 0), new_york) == utc(2026, 11, 30, 14, 0)
    # Monday 17:00 New York -> the next Monday, a week later
    assert next_opening(utc(2026, 11, 30, 22, 0), new_york) == utc(2026, 12, 7, 14, 0)
    # across the change to summer time: Monday 9 March 2026 09:00 EDT (UTC-4) = 13:00 UTC
    assert next_opening(utc(2026, 3, 7, 12, 0), new_york) == utc(2026, 3, 9, 13, 0)


def test_a_window_to_midnight_and_a_team_with_no_hours():
    late = variant(weekly={0: "20:00-24:00", 1: "00:00-02:00"})
    assert within_support_hours(utc(2026, 11, 30, 15, 59), late)  # Monday 23:59 Shanghai
    assert next_opening(utc(2026, 11, 30, 16, 0), late) == utc(2026, 11, 30, 16, 0)  # Tuesday 00:00: open
    assert next_opening(utc(2026, 11, 30, 18, 0), late) == utc(2026, 12, 7, 12, 0)  # Tuesday 02:00 -> Monday 20:00
    nobody = variant(weekly={})
    assert next_opening(utc(2026, 11, 30, 18, 0), nobody) == utc(2026, 11, 30, 18, 0)  # nothing to wait for


@pytest.mark.parametrize("window", ["18:00-09:00", "09:00-09:00", "09:00-24:30"])
def test_a_window_that_ends_before_it_starts_is_refused(window):
    with pytest.raises(EscalationConfigError, match="support_hours.weekly"):
        variant(weekly={0: window})


def sla_of(now: datetime, config: EscalationConfig = SHANGHAI) -> tuple[datetime, timedelta]:
    """The packet's ``sla`` of a hand-over at ``now``: ``(due_at, target)``."""
    events = [{"event": "user", "text": "agent please", "timestamp": now.timestamp(), "input_channel": "rest",
               "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
    packet = build_packet(ticket_id="T1", conversation_id="c1", events=events, slots={"language": "en"},
                          decision=Decision("customer_request", "asked"), config=config, now=now)
    return datetime.fromisoformat(packet["sla"]["due_at"]), timedelta(seconds=packet["sla"]["target_wait_s"])


def test_the_packet_is_due_the_target_after_the_next_opening():
    # inside hours (whether queued or a call-back for want of an agent): from the hand-over
    due, target = sla_of(utc(2026, 11, 25, 2, 0))
    assert due == utc(2026, 11, 25, 2, 0) + target and target == timedelta(seconds=300)
    # Wednesday 22:00 Shanghai: from Thursday 09:00 Shanghai
    due, target = sla_of(utc(2026, 11, 25, 14, 0))
    assert due == utc(2026, 11, 26, 1, 0) + target
    # a 24/7 team: from the hand-over
    due, target = sla_of(utc(2026, 11, 25, 14, 0), variant(always_open=True))
    assert due == utc(2026, 11, 25, 14, 0) + target


# Through the real path on a migrated SQLite file: the hand-over service, the desk's queue listing and the
# supervisor's metrics (counters and the exact computation), all on a fixed clock.
DAY = utc(2026, 11, 25, 2, 0)  # Wednesday 10:00 Shanghai
NIGHT = utc(2026, 11, 25, 14, 0)  # Wednesday 22:00 Shanghai


def hand_over_at(now: datetime, conversation_id: str):
    from bot.services.handover import Conversation, hand_over
    from bot.storage.uow import SqlAlchemyUnitOfWork

    events = [{"event": "user", "text": "I want a person", "timestamp": now.timestamp(), "input_channel": "rest",
               "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
    conversation = Conversation(conversation_id, events, {"language": "en"}, latest_text="I want a person",
                                latest_channel="rest")
    return hand_over(SqlAlchemyUnitOfWork(), conversation, Decision("customer_request", "asked"), SHANGHAI,
                     now=now).ticket


def desk_and_metrics(now: datetime) -> tuple[dict, dict, dict]:
    """``({ticket_id: sla_breached} of the queue listing, metrics, exact metrics)`` as of ``now``."""
    from bot.queue.queue_queries import QueueQuery
    from bot.services import tickets as service
    from bot.storage.uow import SqlAlchemyUnitOfWork

    listed = service.queue_page(SqlAlchemyUnitOfWork(), QueueQuery(viewer="alice"), now).items
    since = DAY - timedelta(minutes=1)
    with SqlAlchemyUnitOfWork() as uow:
        exact = uow.queue.metrics(now, since, exact=True)
    return ({t["ticket_id"]: t["sla_breached"] for t in listed},
            service.metrics(SqlAlchemyUnitOfWork(), now, since), exact)


def test_a_case_handed_over_at_night_is_not_late_until_the_hours_open(database_url):
    from bot.storage.uow import SqlAlchemyUnitOfWork

    nobody_online = hand_over_at(DAY, "sla-day-callback")  # in hours, no agent: a call-back, clock running
    with SqlAlchemyUnitOfWork() as uow:
        uow.agents.upsert("alice", "pass-word-1", "Alice")
        uow.agents.issue_token("alice")  # seen now: online at every moment of this test
        uow.commit()
    queued = hand_over_at(DAY + timedelta(minutes=1), "sla-day-queued")
    night = hand_over_at(NIGHT, "sla-night")  # out of hours: a call-back although alice is online
    assert (nobody_online.state, queued.state, night.state) == ("callback", "queued", "callback")

    breached, figures, exact = desk_and_metrics(NIGHT + timedelta(minutes=10))
    assert breached == {nobody_online.ticket_id: True, queued.ticket_id: True, night.ticket_id: False}
    for m in (figures, exact):
        assert m["waiting_count"] == 3 and m["waiting_over_sla"] == 2
        assert m["sla_breaches"] == 2 and m["sla_breach_rate"] == 0.6667

    # Thursday 09:00 Shanghai (01:00 UTC) the clock starts: past its 5 minutes it is late like the others
    breached, figures, exact = desk_and_metrics(utc(2026, 11, 26, 1, 4))
    assert breached[night.ticket_id] is False
    breached, figures, exact = desk_and_metrics(utc(2026, 11, 26, 1, 6))
    assert breached[night.ticket_id] is True
    assert figures["waiting_over_sla"] == exact["waiting_over_sla"] == 3
    assert figures["sla_breaches"] == exact["sla_breaches"] == 3


@pytest.mark.parametrize("moment, target_s, due", [
    # Wednesday 10:00 Shanghai, 5 minutes: inside the window
    (utc(2026, 11, 25, 2, 0), 300, utc(2026, 11, 25, 2, 5)),
    # Wednesday 17:58:30 Shanghai, 5 minutes: 1.5 before closing, 3.5 from Thursday 09:00 (a fresh new user saw
    # such a ticket "breached" all night)
    (utc(2026, 11, 25, 9, 58, 30), 300, utc(2026, 11, 26, 1, 3, 30)),
    # Saturday 15:50 Shanghai, 15 minutes: 10 on Saturday, 5 on Monday (Sunday closed)
    (utc(2026, 11, 28, 7, 50), 900, utc(2026, 11, 30, 1, 5)),
    # Wednesday night: the whole target from Thursday 09:00
    (utc(2026, 11, 25, 15, 30), 60, utc(2026, 11, 26, 1, 1)),
])
def test_the_sla_clock_stops_at_closing_time_and_runs_on_at_the_next_opening(moment, target_s, due):
    assert sla_due_at(moment, target_s, SHANGHAI) == due
    assert sla_due_at(moment, target_s, variant(always_open=True)) == moment + timedelta(seconds=target_s)
