"""Issue 14, "read the packet in five seconds, in the agent's language": the desk set to Chinese,
in Debian's Chromium against the real servers, on a ticket from an ENGLISH customer (a packet
built from a real tracker: upset, a billing dispute, an order, two password-reset steps done) and
on one from a Chinese customer (a real REST conversation). Everything the agent reads in the
ticket view is Chinese.

What is checked, precisely: every visible text node and every ``aria-label``, ``title``,
``placeholder`` and optgroup ``label`` inside ``#ticket-panel`` and the notice bar ``#notice``,
plus the options of the panel's selects (language, disposition, transfer to a queue) — after
claiming the ticket, adding a note and provoking a refusal (a note the server rejects: 400).
Left out, because they are not the desk's words:

- ``.msg-text``: what the customer, the bot and agents wrote in the conversation;
- ``.mono``: ids, order numbers, e-mails and phones (the desk sets them in monospace);
- ``.note-text`` / ``.note-author``: a note's text and its author's user name;
- ``#canned-select`` options: the canned replies' titles, in the customer's language (text to send);
- the agents in ``#transfer-target`` (names and user names);
- the customer's own words quoted in the summary (“…”), order numbers (``QX-123456``) and the
  agent's own user name (the history says who claimed).

Whatever remains must hold no Latin letter.
"""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone

from playwright.sync_api import Page, expect

from tests.browser.test_desk_tools import log_in
from tests.conftest import PROJECT_ROOT

AGENT = "agent0"
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "trackers" / "handoff_angry_en.json"

# The desk's words, collected in the page (see the module docstring for what is left out and why).
COLLECT = """() => {
  const skip = '.msg-text, .mono, .note-text, .note-author, #canned-select, #reply-text, #note-text';
  const out = [];
  const visible = (node) => node.checkVisibility ? node.checkVisibility() : node.offsetParent !== null;
  for (const root of [document.querySelector('#ticket-panel'), document.querySelector('#notice')]) {
    if (!root || !visible(root)) continue;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      const element = node.nodeType === 1 ? node : node.parentElement;
      if (element.closest(skip) || element.closest('select, option, optgroup')) continue;
      if (node.nodeType === 3) {
        if (node.textContent.trim() && visible(element)) out.push(['text', node.textContent.trim()]);
      } else if (visible(node)) {
        for (const name of ['aria-label', 'title', 'placeholder']) {
          if (node.getAttribute(name)) out.push([name, node.getAttribute(name)]);
        }
      }
    }
  }
  for (const id of ['canned-language', 'disposition', 'transfer-target']) {
    const select = document.getElementById(id);
    if (select.getAttribute('aria-label')) out.push(['aria-label', select.getAttribute('aria-label')]);
    for (const group of select.querySelectorAll('optgroup')) out.push(['label', group.label]);
    const options = id === 'transfer-target'
      ? select.querySelectorAll('option[value^="skill:"]') : select.querySelectorAll('option');
    for (const option of options) out.push(['option', option.textContent.trim()]);
  }
  return out;
}"""


def latin_left(page: Page) -> list:
    """The desk's words on screen that still hold Latin letters (after the allowed parts are taken out)."""
    found = []
    for kind, text in page.evaluate(COLLECT):
        rest = re.sub(r"“[^”]*”", "", text)              # the customer's own words, quoted
        rest = re.sub(r"\bQX-\d{6}\b", "", rest)          # order numbers
        rest = re.sub(rf"\b{AGENT}\b", "", rest)          # the agent's user name (who claimed)
        if re.search(r"[A-Za-z]", rest):
            found.append((kind, text))
    return found


def english_ticket() -> str:
    """A ticket of an English customer, its packet built from a real tracker as the hand-over builds it
    (both summaries), seeded in the servers' database: upset (negative 0.93), a billing dispute, order
    QX-100002, an e-mail, two of four password-reset steps done."""
    from bot.handover.packet import build_packet
    from bot.handover.policy import decide, load_config, turns_from_events
    from bot.handover.troubleshooting import Progress
    from bot.queue.tickets import new_ticket_id
    from bot.storage.uow import SqlAlchemyUnitOfWork

    tracker = json.loads(FIXTURE.read_text())
    ticket_id = new_ticket_id()
    conversation_id = f"zh-desk-en-{int(time.time() * 1000)}"
    packet = build_packet(
        ticket_id=ticket_id, conversation_id=conversation_id, events=tracker["events"], slots=tracker["slots"],
        decision=decide(turns_from_events(tracker["events"]), load_config()), config=load_config(),
        progress=Progress(conversation_id, "password_reset", steps_done=[1, 2], next_step=3),
        now=datetime.now(timezone.utc))
    assert packet["language"] == "en" and len(packet["reason"]["triggers"]) == 2
    with SqlAlchemyUnitOfWork() as uow:
        uow.tickets.add(packet, "queued")
        uow.commit()
    return ticket_id


def chinese_ticket(servers, agent_token: str) -> str:
    """A real REST conversation of a Chinese customer handed over (someone is online: queued)."""
    sender = f"zh-desk-zh-{int(time.time() * 1000)}"
    servers.say(sender, "我的订单 QX-100002 到哪了")
    servers.say(sender, "我要转人工")
    [ticket] = servers.api("GET", "/tickets", agent_token, params={"conversation_id": sender}).json()
    assert ticket["language"] == "zh"
    return ticket["ticket_id"]


def work_in_chinese(page: Page, ticket_id: str) -> None:
    """Open, claim, note, provoke a refusal; the ticket view stays all Chinese throughout."""
    row = page.locator(f"tr.queue-row[data-ticket-id='{ticket_id}']")
    expect(row).to_be_visible(timeout=15000)
    row.click()
    expect(page.locator("#ticket-id")).to_have_text(ticket_id, timeout=10000)
    expect(page.locator("#packet-summary")).to_contain_text("客户（", timeout=10000)
    assert latin_left(page) == []  # before the claim

    page.click("#ticket-claim")
    expect(page.locator("#ticket-assignee")).to_have_text("已分配给你", timeout=10000)
    expect(page.locator("#history-list")).to_contain_text("已接单", timeout=10000)
    page.fill("#note-text", "已联系快递，周一送达")
    page.click("#add-note")
    expect(page.locator("#notes-list .note-text")).to_have_text(["已联系快递，周一送达"], timeout=10000)
    page.fill("#note-text", "坏的\u0001备注")  # a control character: the server refuses it (400)
    page.click("#add-note")
    expect(page.locator("#notice")).to_contain_text("无法添加备注", timeout=10000)
    expect(page.locator("#notice")).to_contain_text("请求被拒绝")
    left = latin_left(page)
    assert left == [], left


def test_the_desk_in_chinese_on_an_english_and_a_chinese_customers_ticket(servers, page: Page):
    token = servers.login(AGENT, "pass-word-1")  # online: the Chinese customer is queued
    english = english_ticket()
    chinese = chinese_ticket(servers, token)
    try:
        log_in(page, servers, AGENT)
        page.click("#lang-toggle")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

        work_in_chinese(page, english)
        # the English customer's packet, read in Chinese
        expect(page.locator("#packet-summary")).to_contain_text("客户（英文，接口）情绪激动")
        expect(page.locator("#packet-summary")).to_contain_text("主题：账单")
        expect(page.locator("#packet-reason .reason-code")).to_have_text("客户情绪不佳")
        expect(page.locator("#packet-reason .reason-detail")).to_have_text(
            ["第 3 条消息：负面 0.93", "+ 复杂问题: 意图：账单争议"])
        expect(page.locator("#troubleshooting-flow")).to_have_text("流程：密码重置")
        expect(page.locator("#steps-done li")).to_have_text(["打开“忘记密码”", "申请重置链接"])
        expect(page.locator("#next-step")).to_have_text("打开邮件中的链接")
        expect(page.locator("#packet-skills .chip")).to_have_text(["英文", "账单"])
        expect(page.locator("#packet-priority")).to_have_text("1 级")
        expect(page.locator("#packet-channel")).to_have_text("接口 / 英文")
        expect(page.locator("#packet-tags .tag-mood")).to_have_text("情绪类别：生气")

        work_in_chinese(page, chinese)
        expect(page.locator("#packet-summary")).to_contain_text("客户（中文，接口）要求转人工")
        expect(page.locator("#packet-reason .reason-code")).to_have_text("客户要求转人工")
    finally:
        for ticket_id in (english, chinese):
            servers.api("POST", f"/tickets/{ticket_id}/close", token, json={"disposition": "resolved"})
