"""An IVR caller waiting for a person shows in the agent desk as a live call (real servers, real browser)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, browser, page  # noqa: F401  (module-scoped Playwright fixtures)
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

    page.goto(f"{ivr_servers.url}/agent/")
    page.fill("#username", "alice")
    page.fill("#password", "pass-word-1")
    page.click("#login-button")

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
