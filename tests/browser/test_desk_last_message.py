"""A new user's finding on the agent desk, in Debian's Chromium against the real servers: the ticket summary's
"Last message" never changed while the customer wrote more as they waited. Now the queue row and the open
ticket's summary show the customer's latest message, in the desk's English and Chinese; and the desk page's
icon loads (/favicon.ico answered 404, an error in the browser's console on every page view)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_desk_customer_typing import set_desk_language
from tests.browser.test_desk_tools import log_in

TIMEOUT = 20_000


def test_the_summary_shows_the_customers_latest_message_while_they_wait(servers, page):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.text} {m.location.get('url')}") if m.type == "error" else None)
    sender = "desk-last-message-1"
    agent = servers.login("agent3", "pass-word-1")  # someone is online: the customer is queued
    servers.say(sender, "I want to talk to a human")
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": sender}).json()
    ticket_id = ticket["ticket_id"]
    try:
        log_in(page, servers, "agent3")
        set_desk_language(page, "en")
        row = page.locator(f"#queue-body tr.queue-row[data-ticket-id='{ticket_id}'] .col-summary")
        expect(row).to_contain_text('Last message: "I want to talk to a human"', timeout=TIMEOUT)
        page.locator(f"#queue-body tr.queue-row[data-ticket-id='{ticket_id}']").click()
        summary = page.locator("#packet-summary")
        expect(summary).to_contain_text('Last message: "I want to talk to a human"', timeout=TIMEOUT)

        # the customer writes more while waiting: the open ticket and the queue follow, masked as the transcript
        servers.say(sender, "The parcel is still not here, call me on 13900139000")
        latest = 'Last message: "The parcel is still not here, call me on [phone …9000]"'
        expect(summary).to_contain_text(latest, timeout=TIMEOUT)
        expect(summary).not_to_contain_text("I want to talk to a human")
        expect(row).to_contain_text(latest, timeout=TIMEOUT)
        servers.say(sender, "hello? anyone?")
        expect(summary).to_contain_text('Last message: "hello? anyone?"', timeout=TIMEOUT)

        # the desk in Chinese: the same latest message in the Chinese summary
        set_desk_language(page, "zh")
        expect(summary).to_contain_text("最后一句：“hello? anyone?”", timeout=TIMEOUT)
        expect(row).to_contain_text("最后一句：“hello? anyone?”", timeout=TIMEOUT)
        set_desk_language(page, "en")
    finally:
        servers.api("POST", f"/tickets/{ticket_id}/claim", agent)
        servers.api("POST", f"/tickets/{ticket_id}/close", agent, json={"disposition": "resolved"})
    assert not [p for p in problems if "favicon" in p], problems  # the browser's own request for the icon
    # and the icon is an image the browser draws (an SVG, served by the page's own server)
    drawn = page.evaluate("""() => new Promise((done) => {
        const img = new Image();
        img.onload = () => done(img.naturalWidth);
        img.onerror = () => done(-1);
        img.src = '/favicon.ico';
    })""")
    assert drawn > 0, drawn
