"""Issue 14, the widget for customers, in Debian's Chromium against the real servers: message
times, sent → read receipts, "agent is typing" from the desk, the reconnecting banner and the
pending message sent once, focus after a suggested reply, the phone layout. Customer and agent
in two pages, English and Chinese."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_webchat import TIMEOUT, bot_messages, open_chat, say
from tests.integration.webchat_client import conversation_of

WORDS = {
    "en": {"order": "where is my order QX-100001", "human": "I want to talk to a human",
           "queued": "in the queue", "sent": "Sent", "read": "Read", "pending": "Waiting for the connection, will send",
           "offline": "Connection lost, reconnecting…", "check": "Check an order", "thanks": "thank you",
           "typing": "{name} is typing…", "joined": "has joined", "reply": "Let me look at that for you."},
    "zh": {"order": "我想查一下订单 QX-100001 的状态", "human": "转人工",
           "queued": "排在第", "sent": "已发送", "read": "已读", "pending": "等待网络恢复后发送",
           "offline": "连接已断开，正在重新连接…", "check": "查询订单", "thanks": "谢谢",
           "typing": "客服{name}正在输入…", "joined": "已接入", "reply": "我来帮您查一下。"},
}
AGENTS = {"en": ("agent3", "Agent 3"), "zh": ("agent4", "Agent 4")}
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30: a half-hour offset shows the clock is really local


def textbox(page: Page, lang: str):
    return page.get_by_role("textbox", name="输入消息" if lang == "zh" else "Your message")


def mine(page: Page):
    return page.locator(".sc-message.sc-from-user")


@pytest.fixture
def kolkata_page(browser):
    """A customer whose browser is set to India's time (UTC+5:30): times shown must be local."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, timezone_id="Asia/Kolkata")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_message_shows_its_local_time_from_the_server(servers, kolkata_page: Page, lang: str):
    page, words = kolkata_page, WORDS[lang]
    open_chat(page, servers, lang=lang)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    say(page, words["order"], lang)
    expect(bot_messages(page).last).to_contain_text("QX-100001", timeout=TIMEOUT)
    expect(mine(page).last).to_have_attribute("data-receipt", "sent", timeout=TIMEOUT)

    def shown() -> list[tuple[float, str, str]]:
        return [(float(item.get_attribute("data-ts")), item.locator("time").inner_text(),
                 item.locator("time").get_attribute("datetime"))
                for item in page.locator(".sc-message").all()]

    now = datetime.now(timezone.utc).timestamp()
    live = shown()
    assert len(live) >= 3  # greeting, the question, the answer
    for seconds, text, iso in live:  # the server's time, on the customer's clock
        assert now - 300 < seconds <= now + 5
        local = datetime.fromtimestamp(seconds, KOLKATA)
        assert text == local.strftime("%H:%M" if lang == "zh" else "%I:%M %p"), (text, local)
        assert abs(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() - seconds) < 0.002

    page.reload()
    page.get_by_role("button", name="打开在线客服" if lang == "zh" else "Open chat").click()
    expect(page.locator(".sc-message")).to_have_count(len(live), timeout=TIMEOUT)
    again = shown()
    # after a reload the history's times (Rasa's events): the same moments, to the second
    assert all(abs(a[0] - b[0]) < 2 for a, b in zip(live, again)), (live, again)
    expect(mine(page).last).to_have_attribute("data-receipt", "sent")
    expect(mine(page).last.locator(".sc-receipt")).to_have_text(words["sent"])


def hand_over_from_widget(page: Page, servers, agent: str, lang: str) -> dict:
    """Open the widget, ask for a person and wait until queued; the ticket as the agent API (bearer
    ``agent``) gives it."""
    open_chat(page, servers, lang=lang)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    say(page, WORDS[lang]["human"], lang)
    expect(page.locator(".sc-status")).to_contain_text(WORDS[lang]["queued"], timeout=TIMEOUT)
    session_id = page.evaluate("SupportChat.sessionId")
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": conversation_of(session_id)}).json()
    return ticket


def desk_login(browser, servers, username: str) -> Page:
    desk = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    desk.goto(f"{servers.url}/agent/")
    desk.fill("#username", username)
    desk.fill("#password", "pass-word-1")
    desk.click("#login-button")
    return desk


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sent_then_read_when_the_agent_opens_the_ticket_and_agent_typing(servers, page: Page, browser,
                                                                          lang: str):
    words, (username, name) = WORDS[lang], AGENTS[lang]
    agent = servers.login(username, "pass-word-1")  # someone is online: the customer is queued
    open_chat(page, servers, lang=lang)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    say(page, words["human"], lang)
    expect(page.locator(".sc-status")).to_contain_text(words["queued"], timeout=TIMEOUT)
    asked = mine(page).last
    expect(asked).to_have_attribute("data-receipt", "sent", timeout=TIMEOUT)
    expect(asked.locator(".sc-receipt")).to_have_text(words["sent"])
    session_id = page.evaluate("SupportChat.sessionId")
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": conversation_of(session_id)}).json()
    page.wait_for_timeout(1000)
    expect(asked).to_have_attribute("data-receipt", "sent")  # nobody has opened the ticket yet

    desk = desk_login(browser, servers, username)
    try:
        row = desk.locator(f'tr.queue-row[data-ticket-id="{ticket["ticket_id"]}"]')
        expect(row).to_be_visible(timeout=TIMEOUT)
        row.click()  # the agent opens the ticket: what it shows is read
        expect(desk.locator("#transcript")).to_contain_text(words["human"], timeout=TIMEOUT)
        expect(asked).to_have_attribute("data-receipt", "read", timeout=TIMEOUT)
        expect(asked.locator(".sc-receipt")).to_have_text(words["read"])

        desk.click("#ticket-claim")
        expect(page.locator(".sc-from-system").last).to_contain_text(words["joined"], timeout=TIMEOUT)
        # the header at once, not at the widget's next refresh (every 15 s while queued; session 47)
        expect(page.locator(".sc-status")).to_contain_text(name, timeout=5_000)
        typing = page.locator(".sc-typing")
        expect(typing).to_be_hidden()
        expect(desk.locator("#reply-text")).to_be_enabled(timeout=TIMEOUT)
        desk.locator("#reply-text").press_sequentially(words["reply"], delay=40)
        expect(typing).to_be_visible(timeout=TIMEOUT)
        expect(typing).to_have_text(words["typing"].format(name=name))
        expect(typing).to_have_attribute("role", "status")  # announced politely
        expect(typing).to_be_hidden(timeout=15_000)  # the agent stopped typing
        desk.click("#send-reply")
        expect(page.locator(".sc-from-agent .sc-bubble").last).to_have_text(words["reply"], timeout=TIMEOUT)
        expect(typing).to_be_hidden()

        # While the agent has the ticket open, a new message is read as soon as the desk shows it.
        say(page, words["thanks"], lang)
        thanks = mine(page).last
        expect(thanks).to_have_attribute("data-receipt", re.compile("sent|read"), timeout=TIMEOUT)
        expect(desk.locator("#transcript .msg-customer").last).to_contain_text(words["thanks"], timeout=TIMEOUT)
        expect(thanks).to_have_attribute("data-receipt", "read", timeout=TIMEOUT)
        expect(thanks.locator(".sc-receipt")).to_have_text(words["read"])
    finally:
        servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", agent, json={"disposition": "resolved"})
        desk.context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reconnecting_banner_and_a_pending_message_sent_once_when_back(servers, page: Page, lang: str):
    words = WORDS[lang]
    sockets, refused, network = [], [], {"down": False}

    def through_to_server(ws):
        if network["down"]:
            refused.append(ws)
            ws.close()
            return
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), through_to_server)
    open_chat(page, servers, lang=lang)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    banner = page.locator(".sc-banner")
    expect(banner).to_be_hidden()
    expect(banner).to_have_attribute("aria-live", "polite")

    network["down"] = True
    sockets[-1].close()  # the connection drops, and stays down for a while
    expect(banner).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("status").filter(has_text=words["offline"])).to_have_count(1)
    say(page, words["order"], lang)
    waiting = mine(page).last
    expect(waiting).to_have_attribute("data-receipt", "pending")
    expect(waiting.locator(".sc-receipt")).to_have_text(words["pending"])
    expect(textbox(page, lang)).to_have_value("")
    page.wait_for_timeout(2500)
    assert refused, "the widget did not try to reconnect"
    expect(waiting).to_have_attribute("data-receipt", "pending")

    network["down"] = False  # back: history, then what waited, once
    expect(banner).to_be_hidden(timeout=TIMEOUT)
    expect(bot_messages(page).last).to_contain_text("QX-100001", timeout=TIMEOUT)
    expect(mine(page)).to_have_count(1)
    expect(mine(page).last).to_have_attribute("data-receipt", "sent", timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    expect(bot_messages(page).filter(has_text="QX-100001")).to_have_count(1)
    session_id = page.evaluate("SupportChat.sessionId")
    users = [e for e in servers.tracker(conversation_of(session_id))["events"] if e["event"] == "user"]
    assert [e["text"] for e in users if not e["text"].startswith("/")] == [words["order"]]
    assert users[-1]["metadata"]["message_id"] == mine(page).last.get_attribute("data-message-id")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_focus_returns_to_the_input_after_a_suggested_reply(servers, page: Page, lang: str):
    open_chat(page, servers, lang=lang)
    replies = page.get_by_role("group", name="快捷回复" if lang == "zh" else "Suggested replies")
    button = replies.get_by_role("button", name=WORDS[lang]["check"])
    expect(button).to_be_visible(timeout=TIMEOUT)
    button.focus()
    page.keyboard.press("Enter")  # as a keyboard user presses it
    expect(textbox(page, lang)).to_be_focused()
    expect(bot_messages(page)).to_have_count(2, timeout=TIMEOUT)
    expect(textbox(page, lang)).to_be_focused()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_gets_a_full_screen_panel_and_16px_input(servers, browser, lang: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=3)
    page = context.new_page()
    try:
        open_chat(page, servers, lang=lang)
        panel = page.get_by_role("dialog")
        expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
        box = panel.bounding_box()
        assert box == {"x": 0, "y": 0, "width": 390, "height": 844}, box
        expect(page.locator(".sc-launcher")).to_be_hidden()  # nothing covers the send button
        expect(textbox(page, lang)).to_have_css("font-size", "16px")  # iOS zooms into smaller text
        send = page.get_by_role("button", name="发送" if lang == "zh" else "Send")
        assert send.bounding_box()["y"] + send.bounding_box()["height"] <= 844
        page.get_by_role("button", name="关闭聊天窗口" if lang == "zh" else "Close chat").first.click()
        expect(panel).to_be_hidden()
        expect(page.locator(".sc-launcher")).to_be_visible()
        expect(page.locator(".sc-launcher")).to_be_focused()
    finally:
        context.close()


def test_desktop_keeps_the_corner_panel_with_16px_input(servers, page: Page):
    open_chat(page, servers)
    box = page.get_by_role("dialog").bounding_box()
    assert box["width"] == 370 and box["x"] > 900, box
    expect(page.get_by_role("textbox", name="Your message")).to_have_css("font-size", "16px")
