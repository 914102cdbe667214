"""An agent works a ticket in the desk, in a real browser."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, open_desk

XSS = "<img src=x onerror=alert(1)> where is QX-100002? I want a human"


def test_agent_claims_reads_replies_and_closes(servers, page):
    sender = "desk-browser-1"
    servers.login("alice", "pass-word-1")  # alice is online: the ticket is queued
    servers.say(sender, "hi, my order QX-100002 is late")
    servers.say(sender, XSS)
    servers.say(sender, "real person please")

    page.goto(f"{servers.url}/agent/")
    page.fill("#username", "alice")
    page.fill("#password", "wrong-password")
    page.click("#login-button")
    expect(page.locator("#login-error")).to_contain_text("Wrong")
    page.fill("#password", "pass-word-1")
    page.click("#login-button")

    row = page.locator("tr.queue-row", has_text="QX-100002").first
    expect(row).to_be_visible(timeout=15000)
    ticket_id = row.get_attribute("data-ticket-id")
    expect(row.locator(".col-reason")).to_contain_text("Asked for a person")  # a label, not the code
    row.locator("button.claim-button").click()

    expect(page.locator("#ticket-state")).to_contain_text(re.compile("with_agent|with agent", re.I), timeout=10000)
    expect(page.locator("#packet-summary")).to_contain_text("QX-100002")
    expect(page.locator("#packet-intake")).to_contain_text("QX-100002")
    # an anonymous REST sender: the desk says the customer is not verified (packet customer.verification)
    expect(page.locator("#customer-verification")).to_have_attribute("data-level", "none")
    expect(page.locator("#customer-verification")).to_contain_text("Not verified")
    # the XSS payload is shown as text, never run
    expect(page.locator("#transcript")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("#transcript img").count() == 0
    assert page.dialogs == []

    page.screenshot(path=str(ARTIFACTS / "agent-desk-ticket.png"), full_page=True)
    page.fill("#reply-text", "Hello from Alice, your parcel is with SF Express.")
    page.click("#send-reply")
    expect(page.locator("#transcript .msg-agent").last).to_contain_text("Hello from Alice", timeout=10000)
    replies = servers.say(sender, "thank you")
    assert any("Hello from Alice" in r.get("text", "") for r in replies)
    expect(page.locator("#transcript .msg-customer").last).to_contain_text("thank you", timeout=10000)

    page.select_option("#disposition", "resolved")
    page.click("#close-ticket")
    expect(page.locator("#ticket-state")).to_have_class(re.compile("state-closed"), timeout=10000)
    detail = servers.api("GET", f"/tickets/{ticket_id}", servers.login("alice", "pass-word-1")).json()
    assert detail["state"] == "closed"


def test_supervisor_view_shows_metrics_and_charts(servers, page):
    servers.login("alice", "pass-word-1")
    servers.say("desk-browser-2", "转人工")
    open_desk(page, servers.url)
    page.click("#tab-supervisor")
    expect(page.locator("#metric-escalations")).not_to_have_text(re.compile(r"^\s*[-–]?\s*$"), timeout=10000)
    expect(page.locator("svg#chart-reasons rect.bar").first).to_be_visible(timeout=10000)
    expect(page.locator("svg#chart-reasons g.bar-group[data-key='customer_request']")).to_have_count(1)
    expect(page.locator("svg#chart-waits rect.bar").first).to_be_attached()  # a 0 s wait has no height
    page.screenshot(path=str(ARTIFACTS / "agent-desk-supervisor.png"), full_page=True)


def test_an_agent_sees_no_metrics_is_throttled_after_failed_logins_and_logout_revokes_the_token(servers, page):
    page.goto(f"{servers.url}/agent/")
    page.fill("#username", "agent2")
    for _ in range(4):  # three free failures, then a 1 s block
        page.fill("#password", "wrong-password")
        page.click("#login-button")
        expect(page.locator("#login-error")).to_contain_text("Wrong")
        page.fill("#password", "")
    page.fill("#password", "pass-word-1")
    page.click("#login-button")
    expect(page.locator("#login-error")).to_contain_text(re.compile(r"Too many failed logins. Try again in \d+ s"))
    page.wait_for_timeout(2100)
    page.click("#login-button")
    expect(page.locator("#agent-name")).to_have_text("Agent 2", timeout=10000)
    expect(page.locator("#tab-supervisor")).to_be_hidden()  # metrics are for supervisors
    token = page.evaluate("() => sessionStorage.getItem('agentDesk.token')")
    assert servers.api("GET", "/queue", token).status_code == 200
    page.click("#logout-button")
    expect(page.locator("#login-view")).to_be_visible()
    for _ in range(50):
        if servers.api("GET", "/queue", token).status_code == 401:
            break
        page.wait_for_timeout(100)
    assert servers.api("GET", "/queue", token).status_code == 401  # revoked on the server


def test_a_reply_whose_answer_was_lost_is_sent_again_with_its_id_and_delivered_once(servers, page):
    """The first POST of a reply reaches the server but its answer is lost (a dead link): the
    desk sends it again with the same ``message_id`` and the customer gets it once (DESIGN.md §8)."""
    sender = "desk-browser-retry"
    servers.login("alice", "pass-word-1")
    servers.say(sender, "real person please")
    sent: list = []

    def lose_first_answer(route):
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.fetch()  # the server records and queues the reply ...
            route.abort("connectionreset")  # ... and the desk never hears back
        else:
            route.continue_()

    page.route(re.compile(r".*/agent/api/tickets/[^/]+/messages$"), lose_first_answer)
    open_desk(page, servers.url)
    ticket_id = [t for t in servers.api("GET", "/tickets", servers.login("alice", "pass-word-1"),
                                        params={"conversation_id": sender}).json() if t["state"] == "queued"][0]["ticket_id"]
    row = page.locator(f"tr.queue-row[data-ticket-id='{ticket_id}']")
    expect(row).to_be_visible(timeout=15000)
    row.locator("button.claim-button").click()
    expect(page.locator("#ticket-state")).to_contain_text(re.compile("with_agent|with agent", re.I), timeout=10000)

    page.fill("#reply-text", "Your parcel left the depot this morning.")
    page.click("#send-reply")
    expect(page.locator("#transcript .msg-agent", has_text="left the depot")).to_have_count(1, timeout=15000)
    assert len(sent) == 2 and sent[0]["message_id"] == sent[1]["message_id"], sent
    assert re.fullmatch(r"desk-[0-9a-f]{24}", sent[0]["message_id"])
    expect(page.locator("#reply-text")).to_have_value("")
    got = [m for m in servers.outbox(sender) if "left the depot" in (m.get("text") or "")]
    assert len(got) == 1, got


def test_an_sla_due_on_another_day_shows_the_date_and_hours(servers, page):
    # a fresh new user saw an out-of-hours call-back due the next morning as "01:01:00 (in 662:02)"
    from datetime import datetime, timedelta, timezone

    sender = "desk-browser-sla"
    servers.login("alice", "pass-word-1")  # alice is online: the ticket is queued
    servers.say(sender, "real person please, about QX-100001")
    page.clock.set_fixed_time(datetime.now(timezone.utc) - timedelta(hours=30))  # the desk's clock, a day earlier
    open_desk(page, servers.url)
    row = page.locator("tr.queue-row", has_text="QX-100001").first
    expect(row).to_be_visible(timeout=15000)
    row.click()  # opened, still queued: the clock runs
    due = page.locator("#packet-sla")
    expect(due).to_contain_text(re.compile(r"\d{4}"), timeout=10000)  # the date (its year), not the time alone
    expect(due).to_contain_text(re.compile(r"in (29|30):\d\d:\d\d"))  # hours, not 1800 minutes
    row.locator("button.claim-button").click()
    expect(page.locator("#ticket-state")).to_contain_text(re.compile("with_agent|with agent", re.I), timeout=10000)
    # claimed in time: the clock stopped, "met" (a fresh new user, session 45: a closed ticket answered in time
    # showed "0:39 overdue", and the count kept rising)
    expect(due).to_contain_text("(met)")
    expect(due).not_to_have_class(re.compile("overdue"))
    # its own line in "Tickets of this conversation" follows the claim (a fresh tester, session 45: still "Queued")
    expect(page.locator("#related-tickets li").first).to_contain_text("With agent")


def test_a_ticket_claimed_after_its_sla_shows_by_how_much_it_was_missed(servers, page):
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from bot.storage.db import TicketRow
    from tests.rows import RowsUnitOfWork

    sender = "desk-browser-sla-missed"
    token = servers.login("alice", "pass-word-1")
    servers.say(sender, "real person please, about QX-100002")
    [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": sender}).json()
    with RowsUnitOfWork() as uow:  # it has waited 10 minutes already
        uow.execute(update(TicketRow).where(TicketRow.id == ticket["ticket_id"]).values(
            created_at=datetime.now(timezone.utc) - timedelta(minutes=10),
            sla_due_at=datetime.now(timezone.utc) - timedelta(minutes=5)))
        uow.commit()
    open_desk(page, servers.url)
    row = page.locator(f"tr.queue-row[data-ticket-id='{ticket['ticket_id']}']")
    expect(row).to_be_visible(timeout=15000)
    row.locator("button.claim-button").click()
    expect(page.locator("#ticket-state")).to_contain_text(re.compile("with_agent|with agent", re.I), timeout=10000)
    expect(page.locator("#packet-sla")).to_contain_text(re.compile(r"missed by [45]:\d\d"))


def test_the_conversation_pane_shows_the_bots_safety_advice_as_the_bots(servers, page):
    # a fresh user: the pane showed the customer's messages, the advice the bot gave only as "advice given"
    sender = "desk-browser-safety"
    token = servers.login("alice", "pass-word-1")
    servers.say(sender, "我家里有很浓的煤气味")
    servers.say(sender, "我要不要离开房子？")
    [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": sender}).json()

    open_desk(page, servers.url)
    page.locator(f"tr.queue-row[data-ticket-id='{ticket['ticket_id']}']").click(timeout=15000)
    messages = page.locator("#transcript li.msg")
    expect(messages.filter(has_text="我要不要离开房子")).to_have_count(1, timeout=10000)
    advice = page.locator("#transcript .msg-bot", has_text="请立即离开并让其他人也离开")
    expect(advice).to_have_count(2)  # at the hand-over, and again after the question
    expect(advice.first.locator(".msg-from")).to_have_text("Bot")
    expect(advice.first).to_contain_text("不要开关电灯或电器")  # exactly what the customer was told
    # in order: the report, the bot's advice, the question, the advice again
    classes = messages.evaluate_all("(items) => items.map((li) => [li.className, li.textContent])")
    order = [("report" if "煤气味" in text and "msg-customer" in cls else "question" if "离开房子" in text else
              "advice" if "msg-bot" in cls and "请立即离开" in text else None) for cls, text in classes]
    assert [step for step in order if step] == ["report", "advice", "question", "advice"]
    page.screenshot(path=str(ARTIFACTS / "agent-desk-safety-advice.png"), full_page=True)


def test_a_call_back_is_told_apart_in_the_queue(servers, page):
    # a fresh new user's finding (issue 11, sixteenth pass): a call-back looked like any queued chat in the queue
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from bot.storage.db import AgentRow
    from tests.rows import RowsUnitOfWork

    with RowsUnitOfWork() as uow:  # nobody online: a request for a person becomes a call-back
        uow.execute(update(AgentRow).values(last_seen_at=datetime.now(timezone.utc) - timedelta(days=1)))
        uow.commit()
    sender = "desk-browser-callback"
    servers.say(sender, "my order QX-100004 is late, please call me back on 13900139000")
    servers.say(sender, "real person please")
    open_desk(page, servers.url)
    row = page.locator("tr.queue-row", has_text="QX-100004").first
    expect(row).to_be_visible(timeout=15000)
    expect(row.locator(".callback-badge")).to_have_text(re.compile(r"^Callback(, asked \d+:\d\d ago)?$"))
    others = page.locator("tr.queue-row", has_text="QX-100002")
    if others.count():
        assert others.first.locator(".callback-badge").count() == 0


def test_the_customer_panel_shows_the_name_the_site_signed(servers, page):
    """A fresh new user (session 45): the packet had ``customer.display_name`` ("Li Na", from the signed token), the
    desk showed only the customer id. Shown as text: markup in a name stays text."""
    from tests.integration.test_customers import token

    sender = "desk-browser-customer-name"
    agent = servers.login("alice", "pass-word-1")
    servers.say(sender, "real person please", customer_token=token("site-name-1", name="Li Na <b>VIP</b>"))
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": sender}).json()
    open_desk(page, servers.url)
    page.locator(f"tr.queue-row[data-ticket-id='{ticket['ticket_id']}']").click(timeout=15000)
    name = page.locator("#customer-name")
    expect(name).to_have_text("Li Na <b>VIP</b>", timeout=10000)
    expect(name).to_be_visible()
    expect(page.locator("#customer-name b")).to_have_count(0)


def test_the_troubleshooting_panel_shows_the_steps_that_failed(servers, page):
    """A fresh new user (session 45): the panel listed only the steps done, not that step 4 had failed twice."""
    sender = "desk-browser-failed-steps"
    agent = servers.login("alice", "pass-word-1")
    for message in ("I forgot my password", "done", "done", "done", "it didn't work", "it didn't work"):
        servers.say(sender, message)
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": sender}).json()
    open_desk(page, servers.url)
    page.locator(f"tr.queue-row[data-ticket-id='{ticket['ticket_id']}']").click(timeout=15000)
    failed = page.locator("#steps-failed li")
    expect(failed).to_have_count(1, timeout=10000)
    expect(failed.first).to_contain_text("(2×)")
    expect(page.locator("#steps-failed-label")).to_be_visible()


def test_a_ticket_closed_before_anyone_claimed_it_says_so(servers, page):
    """Session 45's reviewer: a ticket a supervisor closed unclaimed still said "Not claimed yet"."""
    sender = "desk-browser-closed-unclaimed"
    token = servers.login("alice", "pass-word-1")
    servers.say(sender, "real person please, about QX-100003")
    [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": sender}).json()
    open_desk(page, servers.url)
    page.locator(f"tr.queue-row[data-ticket-id='{ticket['ticket_id']}']").click(timeout=15000)
    expect(page.locator("#ticket-assignee")).to_have_text("Not claimed yet", timeout=10000)
    closed = servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", token, json={"disposition": "no_response"})
    assert closed.status_code == 200  # a supervisor closes an unclaimed ticket (the desk shows it on its next poll)
    expect(page.locator("#ticket-state")).to_contain_text(re.compile("closed", re.I), timeout=20000)
    expect(page.locator("#ticket-assignee")).to_have_text("Ended without being claimed")
    expect(page.locator("#ticket-claim")).to_be_hidden()


def test_the_history_says_where_the_customer_continued(servers, page):
    """Session 46: a queued request follows the customer to their other chat; the agent reads where it went."""
    from tests.integration.test_open_case import queued_then_written_elsewhere

    agent = servers.login("alice", "pass-word-1")
    ticket = queued_then_written_elsewhere(servers, agent, "+447700900919", "desk-browser-continued-a",
                                           "desk-browser-continued-b", "real person please",
                                           "any news about my refund?")
    open_desk(page, servers.url)
    page.locator(f"tr.queue-row[data-ticket-id='{ticket['ticket_id']}']").click(timeout=15000)
    expect(page.locator("#history-list li.history-continued")).to_contain_text("The customer continued on",
                                                                               timeout=10000)
    expect(page.locator("#transcript .msg-customer").last).to_contain_text("any news about my refund?")
