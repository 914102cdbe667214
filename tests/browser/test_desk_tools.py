"""The desk's work tools in Chromium (issue 14 "Work it", "Read the packet in five seconds"):
an agent adds a note, inserts canned replies in English and Chinese, transfers the ticket to
a second agent who finds it under "My tickets"; the packet reads with human labels, one
channel name, tags, steps numbered once and safe markdown; a new ticket chimes and notifies."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

NOTE = "Checked with the courier: the parcel is at the Shanghai depot"

# Records what the page asks of the Notification API (headless Chromium shows nothing).
NOTIFICATION_STUB = """
window.__notifications = [];
window.Notification = class {
  constructor(title, options) { window.__notifications.push({ title, body: (options || {}).body }); }
  static get permission() { return 'granted'; }
  static requestPermission() { return Promise.resolve('granted'); }
};
"""


def log_in(page, servers, username: str) -> None:
    page.goto(f"{servers.url}/agent/")
    page.fill("#username", username)
    page.fill("#password", "pass-word-1")
    page.click("#login-button")
    expect(page.locator("#desk-view")).to_be_visible(timeout=10000)


def test_note_canned_replies_in_both_languages_and_transfer_to_a_second_agent(servers, page, browser):
    sender = "desk-tools-browser-1"
    servers.login("agent1", "pass-word-1")  # someone is online: the customer is queued
    servers.say(sender, "hi, my order QX-100002 is late")
    servers.say(sender, "real person please")

    log_in(page, servers, "agent1")
    row = page.locator("tr.queue-row", has_text="QX-100002").first
    expect(row).to_be_visible(timeout=15000)
    ticket_id = row.get_attribute("data-ticket-id")
    expect(row.locator(".col-reason")).to_have_text("Asked for a person")  # not customer_request
    expect(row.locator(".col-reason .reason-code")).to_have_attribute("data-code", "customer_request")
    row.locator("button.claim-button").click()
    expect(page.locator("#ticket-assignee")).to_have_text("Assigned to you", timeout=10000)

    # a canned reply in the ticket's language (English), inserted into the reply box, then sent
    expect(page.locator("#canned-language")).to_have_value("en")
    page.select_option("#canned-select", label="Greeting")
    page.click("#canned-insert")
    expect(page.locator("#reply-text")).to_have_value(re.compile("won't need to repeat anything"))
    page.click("#send-reply")
    expect(page.locator("#transcript .msg-agent").last).to_contain_text("won't need to repeat", timeout=10000)
    # and one in Chinese: the agent switches the canned replies' language
    page.select_option("#canned-language", "zh")
    page.select_option("#canned-select", label="问候")
    page.click("#canned-insert")
    expect(page.locator("#reply-text")).to_have_value(re.compile("您好，感谢您的耐心等待"))
    page.fill("#reply-text", "")

    # an internal note: in the desk, never with the customer
    page.fill("#note-text", NOTE)
    page.click("#add-note")
    expect(page.locator("#notes-list .note")).to_contain_text(NOTE, timeout=10000)
    expect(page.locator("#notes-list .note-author")).to_have_text("agent1")
    answers = servers.say(sender, "hello?")
    assert any("repeat anything" in a.get("text", "") for a in answers)
    assert NOTE not in str(answers) and NOTE not in str(servers.tracker(sender))
    expect(page.locator("#transcript")).not_to_contain_text("Shanghai depot")

    # transfer to agent2, who finds it under "My tickets"
    page.select_option("#transfer-target", "agent:agent2")
    page.click("#transfer-button")
    expect(page.locator("#ticket-assignee")).to_have_text("Held by agent2", timeout=10000)
    expect(page.locator("#history-list")).to_contain_text("agent1 transferred it to agent2")
    expect(page.locator("#reply-text")).to_be_disabled()
    page.screenshot(path=str(ARTIFACTS / "agent-desk-tools.png"), full_page=True)

    second = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        other = second.new_page()
        log_in(other, servers, "agent2")
        mine = other.locator(f"#mine-list button[data-ticket-id='{ticket_id}']")
        expect(mine).to_be_visible(timeout=15000)
        mine.click()
        expect(other.locator("#ticket-assignee")).to_have_text("Assigned to you", timeout=10000)
        expect(other.locator("#notes-list")).to_contain_text(NOTE)
        expect(other.locator("#transcript")).to_contain_text("won't need to repeat")  # the history came along
        other.fill("#reply-text", "Agent 2 here, I'll finish this for you.")
        other.click("#send-reply")
        expect(other.locator("#transcript .msg-agent").last).to_contain_text("Agent 2 here", timeout=10000)
    finally:
        second.close()
    assert any("Agent 2 here" in a.get("text", "") for a in servers.say(sender, "ok"))


def web_ticket(servers) -> str:
    """A web chat ticket whose live messages carry Rasa's channel names (webchat, socketio), with
    numbered steps, an angry mood, an order number and bot markdown (seeded in the database)."""
    from bot.storage.uow import SqlAlchemyUnitOfWork

    now = datetime.now(timezone.utc)
    ticket_id = "TBR0WSERWEB1"
    packet = {
        "schema": "handoff/v1", "ticket_id": ticket_id, "conversation_id": "desk-tools-web-1", "channel": "web",
        "language": "en", "priority": 1, "reason": {"code": "negative_emotion", "detail": "anger 0.91 on turn 3"},
        "skills": ["en"], "summary": "Angry about a late parcel QX-100003", "created_at": now.isoformat(),
        "customer": {"id": None, "identities": [], "verification": "none"},
        "sla": {"target_wait_s": 60, "due_at": (now + timedelta(minutes=5)).isoformat()},
        "intake": {"order_number": "QX-100003", "email": None, "phone": None, "topic": "orders"},
        "troubleshooting": {"flow": "late_parcel", "steps_done": ["1. Checked the tracking page",
                                                                  "2) Waited 24 hours"], "next_step": "Refund"},
        "emotion": {"label": "anger", "score": 0.91, "history": [0.2, 0.6, 0.91]},
        "transcript": [{"from": "customer", "text": "where is my parcel", "at": now.isoformat(), "channel": "web"}],
    }
    with SqlAlchemyUnitOfWork() as uow:
        uow.tickets.add(packet, "queued")
        uow.tickets.add_event(ticket_id, "message", "customer", "still nothing", {"from": "customer",
                                                                                 "channel": "webchat"})
        uow.tickets.add_event(ticket_id, "message", "bot", "**Sorry!** See [tracking](https://example.com/t) "
                              "or [this](javascript:alert(1))\n- first\n- second", {"from": "bot", "channel": "socketio"})
        uow.commit()
    return ticket_id


def test_the_packet_reads_in_five_seconds_in_english_and_chinese(servers, page):
    ticket_id = web_ticket(servers)
    log_in(page, servers, "alice")
    row = page.locator(f"tr.queue-row[data-ticket-id='{ticket_id}']")
    expect(row).to_be_visible(timeout=15000)
    expect(row.locator(".col-channel")).to_have_text("Web chat")
    expect(row.locator(".col-reason")).to_have_text("Upset customer")
    row.click()
    expect(page.locator("#packet-channel")).to_have_text("Web chat / English", timeout=10000)
    # one channel name everywhere: the packet's line and the live ones (Rasa's webchat / socketio)
    expect(page.locator("#transcript .msg-channel")).to_have_text(["Web chat"] * 3)
    expect(page.locator("#packet-tags .tag-mood")).to_have_text("Emotion: Angry")
    # the chart says what it plots: the calibrated anger-or-frustration figure of each turn, not the label's score
    expect(page.locator("#emotion-history svg")).to_have_attribute(
        "aria-label", "Mood over the conversation (probability of anger or frustration): 20%, 60%, 91%")
    expect(page.locator("#packet-tags .tag-order")).to_have_text("Order QX-100003")
    expect(page.locator("#steps-done li")).to_have_text(["Checked the tracking page", "Waited 24 hours"])
    bot = page.locator("#transcript .msg-bot").last
    expect(bot.locator("strong")).to_have_text("Sorry!")
    expect(bot.locator("a")).to_have_attribute("href", "https://example.com/t")
    expect(bot.locator("a")).to_have_count(1)  # the javascript: link stays text
    expect(bot.locator("li")).to_have_text(["first", "second"])
    assert page.dialogs == []

    page.click("#lang-toggle")
    expect(row.locator(".col-reason")).to_have_text("客户情绪不佳")
    expect(page.locator("#packet-channel")).to_have_text("网页聊天 / 英文")
    expect(page.locator("#packet-tags .tag-mood")).to_have_text("情绪类别：生气")
    expect(page.locator("#transcript .msg-channel").first).to_have_text("网页聊天")
    page.screenshot(path=str(ARTIFACTS / "agent-desk-packet-zh.png"), full_page=True)
    page.click("#lang-toggle")


def test_a_new_ticket_in_the_agents_skills_chimes_and_notifies(servers, page):
    page.add_init_script(NOTIFICATION_STUB)
    log_in(page, servers, "agent3")
    expect(page.locator("#notify-button")).to_have_text("Alerts on")
    page.wait_for_timeout(2500)  # the first poll is the baseline: no alert for what was waiting already
    assert page.evaluate("() => window.__notifications.length") == 0
    sender = "desk-tools-alert-1"
    servers.say(sender, "I want to talk to a human")
    [ticket] = servers.api("GET", "/tickets", servers.login("agent3", "pass-word-1"),
                           params={"conversation_id": sender}).json()
    expect(page.locator("body")).to_have_attribute("data-alerts", re.compile(r"[1-9]"), timeout=15000)
    titles = page.evaluate("() => window.__notifications.map(n => n.title)")
    assert f"New ticket {ticket['ticket_id']}" in titles
    expect(page.locator("#new-ticket-alert")).to_contain_text("Asked for a person")
    expect(page.locator("body")).to_have_attribute("data-chimes", re.compile(r"[1-9]"))


def test_a_supervisor_edits_canned_replies_an_agent_cannot(servers, page, browser):
    log_in(page, servers, "alice")
    page.click("#canned-admin summary")
    page.select_option("#canned-admin-language", "zh")
    expect(page.locator("#canned-admin-list")).to_contain_text("问候")
    page.fill("#canned-title", "物流延误")
    page.fill("#canned-text", "很抱歉，快递公司出现延误，预计明天送达。")
    page.click("#canned-save")
    expect(page.locator("#notice-text")).to_have_text("Canned reply saved.")
    item = page.locator(".canned-admin-item", has_text="物流延误")
    expect(item).to_be_visible()
    item.locator("button[data-edit]").click()
    expect(page.locator("#canned-text")).to_have_value("很抱歉，快递公司出现延误，预计明天送达。")
    page.fill("#canned-text", "很抱歉，快递延误了，预计后天送达。")
    page.click("#canned-save")
    expect(item).to_contain_text("预计后天送达")
    # the reply box's picker (shown with a ticket) offers it too
    expect(page.locator("#canned-select option", has_text="物流延误")).to_have_count(0)  # picker still on en
    page.evaluate("() => { const s = document.getElementById('canned-language'); s.value = 'zh';"
                  " s.dispatchEvent(new Event('change')); }")
    expect(page.locator("#canned-select option", has_text="物流延误")).to_have_count(1)
    replies = servers.api("GET", "/canned", servers.login("agent0", "pass-word-1"), params={"language": "zh"}).json()
    assert [r["text"] for r in replies if r["title"] == "物流延误"] == ["很抱歉，快递延误了，预计后天送达。"]
    item.locator("button[data-delete]").click()
    expect(page.locator(".canned-admin-item", has_text="物流延误")).to_have_count(0)

    second = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        other = second.new_page()
        log_in(other, servers, "agent0")
        expect(other.locator("#canned-admin")).to_be_hidden()
    finally:
        second.close()
