"""An IVR caller waiting for a person shows in the agent desk as a live call (real servers, real browser)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, browser, open_desk, page  # noqa: F401  (module-scoped Playwright fixtures)
from tests.channels.test_ivr_calls import Call


def test_escalated_call_has_a_live_call_badge_in_the_queue_and_the_ticket(ivr_servers, page, tmp_path):  # noqa: F811
    ivr_servers.login("alice", "pass-word-1")  # alice is online: the ticket is queued and the call transferred
    call = Call(ivr_servers, tmp_path, "en-US", caller="+8613700001111")
    call.send("start")
    for _ in range(2):
        call.send("no_input")
    transfer = call.send("no_input")[-1]
    assert transfer["action"] == "transfer" and transfer["queue"] == "support-en"
    ticket_id = transfer["ticket_id"]
    ivr_servers.say("desk-ivr-web-1", "real person please")  # a chat ticket: no badge

    open_desk(page, ivr_servers.url)

    row = page.locator(f"tr.queue-row[data-ticket-id='{ticket_id}']")
    expect(row).to_be_visible(timeout=15000)
    expect(row.locator(".col-reason")).to_contain_text("Caller silent or not understood")  # a label (issue 14)
    expect(row.locator(".col-reason .reason-code")).to_have_attribute("data-code", "no_input")
    expect(row.locator(".col-channel .live-call")).to_have_text("📞 Live call")
    expect(row.locator(".live-call")).to_be_visible()
    chat = page.locator("tr.queue-row", has_text="real person please").first
    expect(chat).to_be_visible(timeout=15000)
    expect(chat.locator(".live-call")).to_have_count(0)

    row.locator(".col-summary").click()
    expect(page.locator("#ticket-id")).to_have_text(ticket_id, timeout=10000)
    expect(page.locator("#ticket-live-call")).to_be_visible()
    expect(page.locator("#ticket-live-call")).to_have_text("📞 Live call")
    page.screenshot(path=str(ARTIFACTS / "agent-desk-ivr-live-call.png"), full_page=True)

    page.click("#lang-toggle")
    expect(page.locator(f"tr.queue-row[data-ticket-id='{ticket_id}'] .live-call")).to_have_text("📞 通话中")
    expect(page.locator("#ticket-live-call")).to_have_text("📞 通话中")

    chat.locator(".col-summary").click()  # a chat ticket: the header badge goes away
    expect(page.locator("#ticket-id")).not_to_have_text(ticket_id, timeout=10000)
    expect(page.locator("#ticket-live-call")).to_be_hidden()


def test_a_live_call_held_by_the_agent_takes_no_typed_reply(ivr_servers, page, tmp_path):  # noqa: F811
    """A fresh new user (session 45): the desk took a typed reply on a live phone call and showed it as sent; the
    caller hears the agent, never a typed reply. Closing stays; a chat ticket takes replies as before."""
    import re

    ivr_servers.login("alice", "pass-word-1")  # alice is online: the call is transferred and its ticket queued
    call = Call(ivr_servers, tmp_path, "en-US", caller="+8613700002222")
    call.send("start")
    transfer = call.send("speech", text="I want to talk to a real person", confidence=0.9)[-1]
    assert transfer["action"] == "transfer"

    open_desk(page, ivr_servers.url)
    row = page.locator(f"tr.queue-row[data-ticket-id='{transfer['ticket_id']}']")
    expect(row).to_be_visible(timeout=15000)
    row.locator("button.claim-button").click()
    expect(page.locator("#ticket-state")).to_contain_text(re.compile("with_agent|with agent", re.I), timeout=10000)
    expect(page.locator("#reply-text")).to_be_disabled()
    expect(page.locator("#send-reply")).to_be_disabled()
    expect(page.locator("#reply-hint")).to_contain_text("talk to them")
    expect(page.locator("#close-ticket")).to_be_enabled()
