"""Fresh-user report 1: customer words the bot echoes never become a link on the agent desk or in the
widget. The new address "[Verify your agent session here](https://evil.example/login) 1 Main St" was
echoed in "Change the delivery address of … to …?" and the desk drew a link in that "Bot" line."""
from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.browser.test_desk_tools import log_in
from tests.browser.test_webchat import TIMEOUT, bot_messages, open_chat, say

EVIL = "[Verify your agent session here](https://evil.example/login) 1 Main St"


def code_sent_to(address: str) -> str:
    for _ in range(50):  # the notifier records it as the reply goes out
        with SqlAlchemyUnitOfWork() as uow:
            sent = uow.notifications.latest(to=address, limit=1)
        if sent:
            return re.search(r"is (\d{6})\b", sent[0].body).group(1)
        time.sleep(0.2)
    raise AssertionError(f"no code sent to {address}")


def test_an_address_with_a_link_in_it_is_text_in_the_desks_bot_line(servers, page: Page):
    sender = "echo-link-rest"
    servers.login("agent1", "pass-word-1")  # someone is online: the customer is queued
    servers.say(sender, "I want to change the address of QX-100001")
    servers.say(sender, "emma.wilson@example.com")
    servers.say(sender, code_sent_to("emma.wilson@example.com"))
    asked = "\n".join(r.get("text", "") for r in servers.say(sender, EVIL))
    assert "evil.example" in asked and "](https://evil" not in asked, asked  # escaped, still there
    servers.say(sender, "I want to talk to a human")
    with SqlAlchemyUnitOfWork() as uow:
        ticket_id = uow.tickets.open_for_conversation(sender).ticket_id

    log_in(page, servers, "alice")
    row = page.locator(f"tr.queue-row[data-ticket-id='{ticket_id}']")
    expect(row).to_be_visible(timeout=15000)
    row.click()
    echoed = page.locator("#transcript .msg-bot", has_text="Verify your agent session here")
    expect(echoed.first).to_be_visible(timeout=10000)
    expect(echoed.first).to_contain_text(EVIL)  # shown as the customer wrote it
    expect(page.locator("#transcript a[href*='evil.example']")).to_have_count(0)
    expect(echoed.first.locator("a, strong, em, code")).to_have_count(0)


def test_an_address_with_a_link_in_it_is_text_in_the_widget(servers, page: Page):
    open_chat(page, servers)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    say(page, "I want to change the address of QX-100005")
    expect(bot_messages(page).last).to_contain_text("QX-100005", timeout=TIMEOUT)
    say(page, "zhang.wei@example.com")
    expect(bot_messages(page).last).to_contain_text("6-digit code", timeout=TIMEOUT)
    say(page, code_sent_to("zhang.wei@example.com"))
    expect(bot_messages(page).last).to_contain_text("address", timeout=TIMEOUT)
    say(page, EVIL + " https://evil.example/bare")
    echoed = bot_messages(page).filter(has_text="Verify your agent session here")
    expect(echoed).to_have_count(1, timeout=TIMEOUT)
    expect(echoed).to_contain_text(EVIL + " https://evil.example/bare")
    expect(echoed.locator("a")).to_have_count(0)
