"""Issue 14, "the summaries translated for a Chinese-speaking agent" in every list: an English and a
Chinese agent, in two Chromium pages, see the SAME new ticket's summary each in their own language in
the queue, in the new-ticket notification, in past-ticket search and (after a claim) under
"My tickets" — from the columns migration 0011 added, chosen by the desk's language switch."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_desk_tools import NOTIFICATION_STUB, log_in

ENGLISH, CHINESE = "agent1", "agent4"


def test_an_english_and_a_chinese_agent_see_one_tickets_summary_each_in_their_language(servers, page, browser):
    page.add_init_script(NOTIFICATION_STUB)
    log_in(page, servers, ENGLISH)
    second = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        zh = second.new_page()
        zh.add_init_script(NOTIFICATION_STUB)
        log_in(zh, servers, CHINESE)
        zh.click("#lang-toggle")
        expect(zh.locator("html")).to_have_attribute("lang", "zh-CN")
        for desk in (page, zh):
            expect(desk.locator("#notify-button")).to_be_visible()
        page.wait_for_timeout(2500)  # the first poll is the baseline: no alert for what was waiting already

        sender = "desk-summary-lang-1"
        servers.say(sender, "I want to talk to a human")
        token = servers.login(ENGLISH, "pass-word-1")
        [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": sender}).json()
        ticket_id = ticket["ticket_id"]
        english = "Customer (en, API) asked for a person after 1 message."
        chinese = "客户（英文，接口）要求转人工，共 1 条消息。"

        # the queue
        for desk, words in ((page, english), (zh, chinese)):
            row = desk.locator(f"#queue-body tr.queue-row[data-ticket-id='{ticket_id}'] .col-summary")
            expect(row).to_contain_text(words, timeout=15000)
        # the notification
        for desk, words, other in ((page, english, "客户"), (zh, chinese, "Customer (")):
            expect(desk.locator("body")).to_have_attribute("data-alerts", re.compile(r"[1-9]"), timeout=15000)
            [body] = desk.evaluate("(id) => window.__notifications.filter(n => n.title.includes(id))"
                                   ".map(n => n.body)", ticket_id)
            assert words in body and other not in body, body
        # past-ticket search
        for desk, words in ((page, english), (zh, chinese)):
            desk.fill("#past-q", ticket_id)
            desk.click("#past-submit")
            expect(desk.locator("#past-results .past-summary")).to_contain_text([words], timeout=10000)
        # the switch: the Chinese agent's desk turned to English shows English at once, and back
        zh.click("#lang-toggle")
        expect(zh.locator(f"#queue-body tr.queue-row[data-ticket-id='{ticket_id}'] .col-summary")).to_contain_text(
            english, timeout=10000)
        expect(zh.locator("#past-results .past-summary")).to_contain_text([english])
        zh.click("#lang-toggle")
        # "My tickets" once the Chinese agent holds it
        holder = servers.login(CHINESE, "pass-word-1")
        servers.api("POST", f"/tickets/{ticket_id}/claim", holder)
        expect(zh.locator("#mine-list")).to_contain_text(chinese, timeout=15000)
        servers.api("POST", f"/tickets/{ticket_id}/close", holder, json={"disposition": "resolved"})
    finally:
        second.close()
