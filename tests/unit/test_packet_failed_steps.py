"""The steps a customer said failed, in the packet (bot/handover/packet.py ``failed_steps``): a fresh new user
(session 45) found only the steps done listed, so the agent had to read the transcript to learn what failed."""
from bot.handover.packet import failed_steps, summary, troubleshooting
from bot.handover.troubleshooting import Progress


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def test_each_failure_is_listed_once_per_time_it_failed():
    events = [slot("reset_retry_step", 2.0), slot("reset_retry_step", None), slot("reset_retry_step", 4.0)]
    progress = Progress("c", "password_reset", steps_done=[1, 2, 3], next_step=4, status="exhausted")
    assert failed_steps(progress, events) == [2, 4, 4]
    packet_part = troubleshooting(progress, events)
    assert packet_part["steps_failed"] == ["2. request the reset link", "4. set a new password",
                                           "4. set a new password"]


def test_an_earlier_session_and_a_flow_still_running_count_right():
    events = [slot("reset_retry_step", 3.0), {"event": "session_started"}, slot("reset_retry_step", 1.0)]
    running = Progress("c", "password_reset", steps_done=[], next_step=1, status="in_progress")
    assert failed_steps(running, events) == [1]
    assert failed_steps(None, events) == []
    assert troubleshooting(running, [])["steps_failed"] == []


def test_the_summary_says_which_steps_failed_and_how_often():
    progress = Progress("c", "password_reset", steps_done=[1, 2, 3], next_step=4, status="exhausted")
    facts = {"reason": {"code": "flow_exhausted"}, "language": "en", "channel": "rest", "turns": 6,
             "intake": {"topic": "account"}, "emotion": None, "last_message": "still not working",
             "troubleshooting": troubleshooting(progress, [slot("reset_retry_step", 4.0)])}
    assert "Failed: step 4 (2×)." in summary("en", facts)
    assert "未成功：第 4 步（2 次）。" in summary("zh", facts)


def test_a_resolved_ticket_ends_only_the_flows_it_was_about():
    """helper-212 (session 45): any ticket closed "resolved" (a refund, say) ended a half-done password reset."""
    from bot.services.troubleshooting import flows_of

    assert flows_of({"intake": {"topic": "billing"}, "troubleshooting": None}) == []
    assert flows_of({"intake": {"topic": "account"}, "troubleshooting": None}) == ["password_reset"]
    assert flows_of({"intake": {"topic": None}, "troubleshooting": {"flow": "password_reset"}}) == ["password_reset"]
    assert flows_of(None) == [] and flows_of({"troubleshooting": {"flow": "unknown"}}) == []
