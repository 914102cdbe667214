"""A fresh new user and attacker: a customer's bidirectional control characters (U+202E RIGHT-TO-LEFT
OVERRIDE) made a file name and an order number look reversed on the agent desk ("invoice_\u202efdp.exe" read
"invoice_exe.pdf"). The desk, in Debian's Chromium against the real servers, shows a visible marker instead."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_desk_tools import log_in

OVERRIDE = "\u202e"


def test_a_customer_message_with_a_right_to_left_override_shows_the_marker_on_the_desk(servers, page: Page):
    sender = "desk-bidi-browser"
    servers.login("agent1", "pass-word-1")  # someone is online: the customer is queued
    servers.say(sender, f"please check the attachment invoice_{OVERRIDE}fdp.exe")
    servers.say(sender, "I want to talk to a human")
    [ticket] = servers.api("GET", "/tickets", servers.login("agent1", "pass-word-1"),
                           params={"conversation_id": sender}).json()

    log_in(page, servers, "agent1")
    row = page.locator(f"tr.queue-row[data-ticket-id='{ticket['ticket_id']}']")
    expect(row).to_be_visible(timeout=15000)
    row.click()
    line = page.locator("#transcript .msg-text", has_text="please check the attachment")
    expect(line.first).to_be_visible(timeout=10000)
    expect(line.first).to_contain_text("invoice_[U+202E]fdp.exe")  # in the order it was typed, the control seen
    shown = page.locator("#desk-view").inner_text()
    assert OVERRIDE not in shown and "[U+202E]" in shown
    assert OVERRIDE not in page.locator("#transcript").inner_text()
