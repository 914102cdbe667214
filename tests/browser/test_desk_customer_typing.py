"""Issue 14: "Customer is typing…" on the agent desk, in Debian's Chromium against the real servers.
The customer types in the web chat widget (one page), the agent has the ticket open in the desk
(another page): the indicator appears while the customer types, queued and after the claim, and
goes once they pause or send. English and Chinese (the desk in the agent's language)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_webchat import TIMEOUT
from tests.browser.test_webchat_live import desk_login, hand_over_from_widget, textbox

WORDS = {
    "en": {"human": "I want to talk to a human", "queued": "in the queue", "joined": "has joined",
           "draft": "The parcel says delivered but", "sent": "it is not here", "typing": "Customer is typing…"},
    "zh": {"human": "转人工", "queued": "排在第", "joined": "已接入",
           "draft": "物流显示已签收但是", "sent": "我没有收到", "typing": "客户正在输入…"},
}
AGENTS = {"en": "agent1", "zh": "agent2"}


def set_desk_language(desk: Page, lang: str) -> None:
    """The desk's language switch (the button names the other language)."""
    current = desk.evaluate("document.documentElement.lang")
    if not current.startswith(lang):
        desk.click("#lang-toggle")
    expect(desk.locator("html")).to_have_attribute("lang", "zh-CN" if lang == "zh" else "en", timeout=TIMEOUT)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_desk_shows_the_customer_typing_and_stops(servers, page: Page, browser, lang: str):
    words, username = WORDS[lang], AGENTS[lang]
    agent = servers.login(username, "pass-word-1")  # someone is online: the customer is queued
    ticket = hand_over_from_widget(page, servers, agent, lang)

    desk = desk_login(browser, servers, username)
    try:
        set_desk_language(desk, lang)
        row = desk.locator(f'tr.queue-row[data-ticket-id="{ticket["ticket_id"]}"]')
        expect(row).to_be_visible(timeout=TIMEOUT)
        row.click()
        expect(desk.locator("#transcript")).to_contain_text(words["human"], timeout=TIMEOUT)
        indicator = desk.locator("#customer-typing")
        expect(indicator).to_have_attribute("aria-live", "polite")
        expect(indicator).to_have_text("")

        # Queued: the customer types (no send) -> the desk shows it; they pause -> it goes.
        textbox(page, lang).press_sequentially(words["draft"], delay=120)
        expect(indicator).to_have_text(words["typing"], timeout=TIMEOUT)
        expect(indicator).to_be_visible()
        expect(indicator).to_have_text("", timeout=15_000)

        # With the agent: typing shows again; sending ends it and the message arrives.
        desk.click("#ticket-claim")
        expect(page.locator(".sc-from-system").last).to_contain_text(words["joined"], timeout=TIMEOUT)
        textbox(page, lang).fill("")
        textbox(page, lang).press_sequentially(words["sent"], delay=150)
        expect(indicator).to_have_text(words["typing"], timeout=TIMEOUT)
        textbox(page, lang).press("Enter")
        expect(desk.locator("#transcript .msg-customer").last).to_contain_text(words["sent"], timeout=TIMEOUT)
        expect(indicator).to_have_text("", timeout=TIMEOUT)
    finally:
        servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", agent, json={"disposition": "resolved"})
        desk.context.close()
