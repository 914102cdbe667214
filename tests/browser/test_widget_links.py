"""rev14d #4: the widget renders a ``[text](mailto:address)`` link (the contact FAQ's e-mail showed
its raw markdown), and only a plain ``mailto:`` address besides http(s): no ``javascript:``, no
mailto with a query; the address is set as an attribute (never HTML)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_webchat import TIMEOUT, bot_messages, open_chat, say
from tests.browser.test_webchat_live import hand_over_from_widget


@pytest.mark.parametrize("lang,question", [("en", "what's your email address"), ("zh", "你们的邮箱是什么")])
def test_the_contact_faqs_email_is_a_mailto_link(servers, page: Page, lang: str, question: str):
    open_chat(page, servers, lang=lang)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    say(page, question, lang)
    link = page.locator('.sc-from-bot .sc-bubble a[href="mailto:support@qxshop.example"]')
    expect(link).to_have_count(1, timeout=TIMEOUT)
    expect(link).to_have_text("support@qxshop.example")
    assert link.get_attribute("target") is None  # the mail program, not a new tab
    assert "](mailto:" not in bot_messages(page).last.inner_text()


def test_only_a_plain_mailto_address_becomes_a_link_from_an_agent(servers, page: Page):
    agent = servers.login("agent1", "pass-word-1")
    ticket = hand_over_from_widget(page, servers, agent, "en")
    try:
        assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", agent).status_code == 200
        text = ('Write to [us](mailto:help@qxshop.example), not [this](javascript:alert(1)) nor '
                '[that](mailto:a@b.example?bcc=c@d.example) nor [quote](mailto:x"onmouseover=alert(1)@y.example).')
        sent = servers.api("POST", f"/tickets/{ticket['ticket_id']}/messages", agent, json={"text": text})
        assert sent.status_code == 200, sent.text[:300]
        bubble = page.locator(".sc-bubble", has_text="Write to")
        expect(bubble).to_be_visible(timeout=TIMEOUT)
        links = bubble.locator("a")
        expect(links).to_have_count(1)
        assert links.first.get_attribute("href") == "mailto:help@qxshop.example"
        assert links.first.inner_text() == "us"
        assert "[this](javascript:alert(1))" in bubble.inner_text()  # left as text
        assert bubble.locator("[onmouseover]").count() == 0
    finally:
        servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", agent, json={"disposition": "resolved"})
