"""The chat widget on the demo shop page (/chat/), in Debian's Chromium,
against the real Rasa and action servers."""
from __future__ import annotations

import re
import time

import jwt
from playwright.sync_api import Page, expect

from tests.integration.conftest import WEBCHAT_TOKEN_SECRET
from tests.integration.webchat_client import conversation_of

TIMEOUT = 30_000


def open_chat(page: Page, servers, lang: str = "en", query: str = "") -> None:
    page.goto(f"{servers.url}/chat/?lang={lang}{query}")
    page.get_by_role("button", name="打开在线客服" if lang == "zh" else "Open chat").click()
    expect(page.get_by_role("dialog")).to_be_visible()


def say(page: Page, text: str, lang: str = "en") -> None:
    box = page.get_by_role("textbox", name="输入消息" if lang == "zh" else "Your message")
    box.fill(text)
    box.press("Enter")


def bot_messages(page: Page):
    return page.locator(".sc-from-bot .sc-bubble")


def test_english_chat_quick_reply_typing_and_history_after_reload(servers, page: Page):
    open_chat(page, servers)
    expect(page.get_by_role("dialog", name="Customer support")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your message")).to_be_focused()
    greeting = bot_messages(page).first
    expect(greeting).to_contain_text("virtual assistant", timeout=TIMEOUT)
    expect(greeting.locator("strong").first).to_have_text("status of an order")  # markdown rendered
    replies = page.get_by_role("group", name="Suggested replies")
    expect(replies.get_by_role("button")).to_have_text(["Check an order", "Talk to a person"])

    replies.get_by_role("button", name="Check an order").click()
    expect(page.locator(".sc-from-user .sc-bubble").last).to_have_text("Check an order")
    expect(page.get_by_role("group", name="Suggested replies")).to_have_count(0)
    expect(bot_messages(page)).to_have_count(2, timeout=TIMEOUT)
    expect(bot_messages(page).last).to_contain_text("order number")

    page.evaluate("""() => {
        const typing = document.querySelector('.sc-typing');
        window.typingSeen = false;
        new MutationObserver(() => { if (!typing.hidden) window.typingSeen = true; })
            .observe(typing, {attributes: true});
    }""")
    say(page, "QX-100001")
    expect(bot_messages(page).last).to_contain_text("QX-100001", timeout=TIMEOUT)
    assert page.evaluate("window.typingSeen") is True
    expect(page.locator(".sc-typing")).to_be_hidden()
    session_id = page.evaluate("SupportChat.sessionId")
    shown = page.locator(".sc-message").all_inner_texts()

    page.reload()
    page.get_by_role("button", name="Open chat").click()
    expect(page.locator(".sc-message")).to_have_count(len(shown), timeout=TIMEOUT)
    assert page.locator(".sc-message").all_inner_texts() == shown
    assert page.evaluate("SupportChat.sessionId") == session_id
    expect(page.locator(".sc-from-user .sc-bubble")).to_have_text(["Check an order", "QX-100001"])


def test_chinese_page_and_conversation(servers, page: Page):
    open_chat(page, servers, lang="zh")
    expect(page.get_by_role("dialog", name="在线客服")).to_be_visible()
    expect(bot_messages(page).first).to_contain_text("您好", timeout=TIMEOUT)
    expect(page.get_by_role("button", name="发送")).to_be_visible()
    say(page, "我想查一下订单 QX-100002 的状态", lang="zh")
    reply = bot_messages(page).last
    expect(reply).to_contain_text("QX-100002", timeout=TIMEOUT)
    expect(reply).to_contain_text(re.compile("订单"))
    # A guided flow answered with buttons.
    say(page, "我忘记密码了", lang="zh")
    expect(bot_messages(page).last).to_contain_text("第 1 步", timeout=TIMEOUT)
    page.get_by_role("group", name="快捷回复").get_by_role("button", name="好了", exact=True).click()
    expect(page.locator(".sc-from-user .sc-bubble").last).to_have_text("好了")
    expect(bot_messages(page).last).to_contain_text("第 2 步", timeout=TIMEOUT)


def test_escalation_live_agent_reply_offline_delivery_and_csat(servers, page: Page, browser):
    agent = servers.login("agent1", "pass-word-1")  # someone is online: the customer is queued
    open_chat(page, servers)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    say(page, "I want to talk to a human")
    status = page.locator(".sc-status")
    expect(status).to_have_text(re.compile(r"you are number \d+ in the queue"), timeout=TIMEOUT)
    session_id = page.evaluate("SupportChat.sessionId")

    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": conversation_of(session_id)}).json()
    ticket_id = ticket["ticket_id"]
    assert servers.api("POST", f"/tickets/{ticket_id}/claim", agent).status_code == 200
    expect(page.locator(".sc-from-system")).to_contain_text("Agent 1 from our support team has joined",
                                                             timeout=TIMEOUT)
    expect(status).to_have_text("You are chatting with Agent 1 from our support team.")
    servers.api("POST", f"/tickets/{ticket_id}/messages", agent, json={"text": "Hello, this is Agent 1. How can I help?"})
    agent_message = page.locator(".sc-from-agent").last
    expect(agent_message.locator(".sc-bubble")).to_have_text("Hello, this is Agent 1. How can I help?",
                                                             timeout=TIMEOUT)
    expect(agent_message.locator(".sc-agent-name")).to_have_text("Agent 1 (support team)")

    # The customer leaves; the agent writes; the customer comes back later.
    page.goto("about:blank")
    sent = servers.api("POST", f"/tickets/{ticket_id}/messages", agent, json={"text": "Your parcel was re-sent today."})
    assert sent.json()["status"] == "queued_for_delivery"
    page.goto(f"{servers.url}/chat/?lang=en")
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher.locator(".sc-badge")).to_have_text("1", timeout=TIMEOUT)  # unread while closed
    launcher.click()
    expect(page.locator(".sc-from-agent .sc-bubble")).to_have_text(
        ["Hello, this is Agent 1. How can I help?", "Your parcel was re-sent today."], timeout=TIMEOUT)

    assert servers.api("POST", f"/tickets/{ticket_id}/close", agent, json={"disposition": "resolved"}).status_code == 200
    rating = page.get_by_role("group", name="Suggested replies")
    expect(rating.get_by_role("button")).to_have_text(["1", "2", "3", "4", "5"], timeout=TIMEOUT)
    rating.get_by_role("button", name="5").click()
    expect(bot_messages(page).last).to_contain_text("Thank you for your rating", timeout=TIMEOUT)
    expect(page.locator(".sc-status")).to_have_text("Virtual assistant")
    ticket = servers.api("GET", f"/tickets/{ticket_id}", agent).json()
    assert ticket["state"] == "closed"


def test_keyboard_and_screen_reader_use(servers, page: Page):
    page.goto(f"{servers.url}/chat/?lang=en")
    launcher = page.get_by_role("button", name="Open chat")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    for _ in range(10):  # reach the launcher with Tab alone
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('sc-launcher')"):
            break
    else:
        raise AssertionError("the chat launcher cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Your message")).to_be_focused()
    expect(page.locator(".sc-launcher")).to_have_attribute("aria-expanded", "true")
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log.locator(".sc-from-bot")).to_have_count(1, timeout=TIMEOUT)
    # Screen readers hear who speaks; the name is visually hidden for the bot.
    expect(log.locator(".sc-from-bot .sc-who")).to_have_text("Assistant:")
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    expect(log.locator(".sc-from-user .sc-bubble")).to_have_text(["hello"])
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_http_fallback_when_websockets_are_blocked_and_a_bad_token_is_refused(servers, page: Page):
    agent = servers.login("agent2", "pass-word-1")
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), lambda ws: ws.close())
    expired = jwt.encode({"sub": "shopper-9", "exp": int(time.time()) - 60}, WEBCHAT_TOKEN_SECRET, algorithm="HS256")
    open_chat(page, servers, query=f"&token={expired}")
    expect(page.get_by_role("alert")).to_contain_text("We couldn't confirm your sign-in, so this chat goes on without it",
                                                      timeout=TIMEOUT)
    expect(bot_messages(page).first).to_contain_text("virtual assistant", timeout=TIMEOUT)
    assert page.evaluate("SupportChat.transport") == "rest"
    say(page, "where is my order QX-100003")
    expect(bot_messages(page).last).to_contain_text("QX-100003", timeout=TIMEOUT)
    # Agent replies arrive by polling.
    say(page, "I want to talk to a human")
    expect(page.locator(".sc-status")).to_have_text(re.compile("in the queue"), timeout=TIMEOUT)
    session_id = page.evaluate("SupportChat.sessionId")
    [ticket] = servers.api("GET", "/tickets", agent, params={"conversation_id": conversation_of(session_id)}).json()
    servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", agent)
    servers.api("POST", f"/tickets/{ticket['ticket_id']}/messages", agent, json={"text": "Polling works too."})
    expect(page.locator(".sc-from-agent .sc-bubble")).to_have_text(["Polling works too."], timeout=TIMEOUT)


def test_signed_in_customer_is_offered_their_unfinished_reset_from_another_channel(servers, page: Page):
    phone = "+447700900321"
    rest_token = jwt.encode({"sub": "shop-rest-7", "exp": int(time.time()) + 600, "phone": phone},
                            WEBCHAT_TOKEN_SECRET, algorithm="HS256")
    for text in ("I forgot my password", "done", "done"):  # steps 1 and 2 done over REST
        servers.say("browser-open-case-rest", text, customer_token=rest_token)
    site_token = jwt.encode({"sub": "shop-web-7", "exp": int(time.time()) + 600, "phone": phone, "name": "Emma"},
                            WEBCHAT_TOKEN_SECRET, algorithm="HS256")
    open_chat(page, servers, query=f"&token={site_token}")
    offer = bot_messages(page).first
    expect(offer).to_contain_text("You were on step 3 of resetting your password in the chat. Shall we continue?",
                                  timeout=TIMEOUT)
    page.get_by_role("group", name="Suggested replies").get_by_role("button", name="Continue").click()
    expect(bot_messages(page).last).to_contain_text("Step 3 of 4", timeout=TIMEOUT)
    expect(page.get_by_role("alert")).to_be_hidden()  # the token was accepted


def test_the_next_person_on_a_shared_computer_does_not_get_the_signed_out_customers_chat(servers, page: Page):
    """Session 48: the widget kept one session in the browser; after the customer signed out, the next person to
    open the chat on the same computer got hers, with what she wrote, and when she signed in again she got theirs.
    Now the widget keeps one chat per signed-in customer and one for signed-out visits, and the server refuses her
    chat to a signed-out page even when her session id is copied into the signed-out slot."""
    site_token = jwt.encode({"sub": "shop-shared-9", "exp": int(time.time()) + 600, "name": "Emma"},
                            WEBCHAT_TOKEN_SECRET, algorithm="HS256")
    open_chat(page, servers, query=f"&token={site_token}")
    expect(bot_messages(page).first).to_contain_text("virtual assistant", timeout=TIMEOUT)
    say(page, "where is my order QX-100001")
    expect(bot_messages(page).last).to_contain_text("QX-100001", timeout=TIMEOUT)
    stored = "Object.keys(localStorage).filter(k => k.startsWith('supportchat.session.')).sort()" \
             ".map(k => [k, localStorage.getItem(k)])"
    [[her_slot, hers]] = page.evaluate(stored)
    assert her_slot.endswith("|shop-shared-9")

    open_chat(page, servers)  # signed out: the page has no token now
    expect(bot_messages(page).first).to_contain_text("virtual assistant", timeout=TIMEOUT)
    expect(page.locator(".sc-from-user")).to_have_count(0)
    say(page, "what are your opening hours?")
    expect(bot_messages(page).last).to_contain_text("available", timeout=TIMEOUT)
    [[anonymous_slot, visitor], [_, still_hers]] = page.evaluate(stored)
    assert anonymous_slot == her_slot.split("|")[0] and visitor != hers and still_hers == hers

    # the next person copies her session id into the signed-out slot: the server still gives them a new chat
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [anonymous_slot, hers])
    open_chat(page, servers)
    expect(bot_messages(page).first).to_contain_text("virtual assistant", timeout=TIMEOUT)
    expect(page.get_by_text("where is my order QX-100001")).to_have_count(0)

    open_chat(page, servers, query=f"&token={site_token}")  # she signs in again: her chat, not the visitor's
    expect(page.locator(".sc-from-user .sc-bubble")).to_have_text(["where is my order QX-100001"], timeout=TIMEOUT)

    # a page with a refused token naming her (forged here) opens the signed-out chat, the visitor's (helper-222:
    # it opened a new one in its place), and leaves her slot alone (helper-221: a stranger's chat was put there)
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [anonymous_slot, visitor])
    forged = jwt.encode({"sub": "shop-shared-9", "exp": int(time.time()) + 600}, "not-the-secret-" * 3,
                        algorithm="HS256")
    open_chat(page, servers, query=f"&token={forged}")
    expect(page.get_by_role("alert")).to_contain_text("couldn't confirm your sign-in", timeout=TIMEOUT)
    expect(page.locator(".sc-from-user .sc-bubble")).to_have_text(["what are your opening hours?"], timeout=TIMEOUT)
    assert dict(page.evaluate(stored)) == {her_slot: hers, anonymous_slot: visitor}
    open_chat(page, servers, query=f"&token={site_token}")
    expect(page.locator(".sc-from-user .sc-bubble")).to_have_text(["where is my order QX-100001"], timeout=TIMEOUT)


def test_a_refused_sign_in_is_explained_in_the_pages_language(servers, page: Page):
    """helper-220 (session 48): a Chinese page showed "Sign-in not accepted: the customer token has expired", in
    English and in the developers' words."""
    expired = jwt.encode({"sub": "shopper-zh", "exp": int(time.time()) - 60}, WEBCHAT_TOKEN_SECRET, algorithm="HS256")
    open_chat(page, servers, lang="zh", query=f"&token={expired}")
    expect(page.get_by_role("alert")).to_have_text("未能确认您的登录状态，本次对话将在未登录状态下继续。如需以登录身份咨询，请在网站上重新登录。",
                                                   timeout=TIMEOUT)


def test_a_message_typed_while_the_connection_is_down_is_sent_when_it_is_back(servers, page: Page):
    sockets = []

    def through_to_server(ws):
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), through_to_server)
    open_chat(page, servers)
    expect(bot_messages(page).first).to_contain_text("virtual assistant", timeout=TIMEOUT)
    sockets[-1].close()  # the network drops the connection
    expect(page.locator(".sc-panel")).to_have_attribute("data-offline", "", timeout=TIMEOUT)
    say(page, "where is my order QX-100001")
    expect(page.locator(".sc-from-user .sc-bubble")).to_have_text(["where is my order QX-100001"])
    # The widget reconnects on its own, gets the history, then sends what waited.
    expect(bot_messages(page).last).to_contain_text("QX-100001", timeout=TIMEOUT)
    assert len(sockets) == 2
    expect(page.locator(".sc-from-user .sc-bubble")).to_have_text(["where is my order QX-100001"])


def test_two_tabs_of_one_session_show_the_same_conversation(servers, page: Page):
    open_chat(page, servers)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    other = page.context.new_page()  # same browser storage: the same chat session
    try:
        other.goto(f"{servers.url}/chat/?lang=en")
        other.get_by_role("button", name="Open chat").click()
        expect(bot_messages(other)).to_have_count(1, timeout=TIMEOUT)
        say(page, "where is my order QX-100002")
        for tab in (page, other):
            expect(tab.locator(".sc-from-user .sc-bubble")).to_have_text(["where is my order QX-100002"],
                                                                       timeout=TIMEOUT)
            expect(bot_messages(tab).last).to_contain_text("QX-100002", timeout=TIMEOUT)
    finally:
        other.close()
