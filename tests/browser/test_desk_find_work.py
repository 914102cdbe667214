"""Finding work in the agent desk, in Chromium (issue 14 "Agents → Find work"): the queue's search
box and channel / language / assigned filters, the search of past tickets, the Chinese labels, and
every priority badge's contrast (at least 4.5:1, from getComputedStyle)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_desk_tools import log_in
from tests.browser.test_supervisor_view import contrast

# (ticket id, channel, language, priority, order number, state, summary): seeded in the database
SEEDED = (
    ("TF1D00000001", "web", "en", 1, "QX-731001", "queued", "Kettle arrived with a cracked lid"),
    ("TF1D00000002", "wechat", "zh", 2, "QX-731002", "queued", "快递显示已签收但没有收到"),
    ("TF1D00000003", "wechat", "en", 3, "QX-731003", "queued", "Wants to change the delivery address"),
    ("TF1D00000004", "web", "zh", 4, "QX-731004", "queued", "发票抬头写错了"),
    ("TF1D00000005", "ivr", "en", 5, "QX-731005", "with_agent", "Caller asks for a toaster refund"),
    ("TF1D00000009", "rest", "en", 2, "QX-731009", "closed", "Refund for the broken toaster was sent"),
)
QUEUED = [row for row in SEEDED if row[5] == "queued"]


def seed_tickets() -> None:
    """Tickets on four channels in both languages (one held by agent4, one closed) straight into the DB."""
    from sqlalchemy import text

    from tests.rows import RowsUnitOfWork

    now = datetime.now(timezone.utc)
    with RowsUnitOfWork() as uow:
        for i, (ticket_id, channel, language, priority, order, state, summary) in enumerate(SEEDED):
            created = now - timedelta(minutes=30 - i)
            packet = {
                "schema": "handoff/v1", "ticket_id": ticket_id, "conversation_id": f"find-work-{ticket_id}",
                "channel": channel, "language": language, "priority": priority,
                "reason": {"code": "customer_request", "detail": "asked for a person"}, "skills": [language],
                "summary": summary, "created_at": created.isoformat(),
                "customer": {"id": None, "identities": [], "verification": "none"},
                "sla": {"target_wait_s": 3600, "due_at": (created + timedelta(hours=2)).isoformat()},
                "intake": {"order_number": order, "email": None, "phone": None, "topic": "orders"},
                "troubleshooting": None, "emotion": {"label": "neutral", "score": 0.1, "history": []},
                "transcript": [{"from": "customer", "text": summary, "at": created.isoformat(), "channel": channel}],
            }
            uow.tickets.add(packet, state)
            if state in ("with_agent", "closed"):
                uow.execute(text("UPDATE tickets SET assigned_to = 'agent4' WHERE id = :id"), {"id": ticket_id})
        uow.commit()


def rows(page):
    return page.locator("#queue-body tr.queue-row")


def row_of(page, ticket_id: str):
    return page.locator(f"#queue-body tr.queue-row[data-ticket-id='{ticket_id}']")


def test_filters_search_chinese_labels_and_past_tickets(servers, page):
    seed_tickets()
    log_in(page, servers, "agent4")
    for ticket_id, *_ in QUEUED:
        expect(row_of(page, ticket_id)).to_be_visible(timeout=15000)
    expect(row_of(page, "TF1D00000005")).to_have_count(0)  # held by an agent: not waiting
    expect(row_of(page, "TF1D00000009")).to_have_count(0)  # closed

    # channel WeChat: only WeChat tickets, in both languages
    page.select_option("#filter-channel", "wechat")
    expect(row_of(page, "TF1D00000001")).to_have_count(0)
    expect(row_of(page, "TF1D00000004")).to_have_count(0)
    expect(row_of(page, "TF1D00000002")).to_be_visible()
    expect(row_of(page, "TF1D00000003")).to_be_visible()
    expect(rows(page).locator(".col-channel")).to_have_text(["WeChat"] * rows(page).count())
    # and Chinese: the one WeChat ticket in Chinese
    page.select_option("#filter-language", "zh")
    expect(rows(page)).to_have_count(1)
    expect(row_of(page, "TF1D00000002")).to_be_visible()
    expect(row_of(page, "TF1D00000002").locator(".col-language")).to_have_text("Chinese")
    expect(page.locator("#filter-status")).to_have_text("1 ticket matches")
    expect(page.locator("#queue-summary")).to_contain_text("1 ticket matches")
    # the 2 s refresh keeps the filters
    page.wait_for_timeout(2500)
    expect(rows(page)).to_have_count(1)
    expect(row_of(page, "TF1D00000002")).to_be_visible()

    # language alone: every row in Chinese
    page.select_option("#filter-channel", "")
    expect(row_of(page, "TF1D00000004")).to_be_visible()
    expect(row_of(page, "TF1D00000003")).to_have_count(0)
    expect(rows(page).locator(".col-language")).to_have_text(["Chinese"] * rows(page).count())

    # an order number: the one ticket
    page.click("#filter-clear")
    expect(page.locator("#filter-channel")).to_have_value("")
    expect(page.locator("#filter-language")).to_have_value("")
    expect(page.locator("#filter-q")).to_be_focused()
    page.fill("#filter-q", "QX-731003")
    expect(rows(page)).to_have_count(1)
    expect(row_of(page, "TF1D00000003")).to_be_visible()
    expect(page.locator("#filter-status")).to_have_text("1 ticket matches")
    # an empty result says so
    page.fill("#filter-q", "QX-799999")
    expect(page.locator("#queue-empty")).to_be_visible()
    expect(page.locator("#queue-empty")).to_have_text("No tickets match these filters.")
    expect(page.locator("#filter-status")).to_have_text("No tickets match these filters.")
    expect(rows(page)).to_have_count(0)

    # mine: the ticket agent4 holds (no Claim button on it); any: waiting and held together
    page.fill("#filter-q", "")
    page.select_option("#filter-assigned", "me")
    expect(row_of(page, "TF1D00000005")).to_be_visible()
    expect(row_of(page, "TF1D00000001")).to_have_count(0)
    expect(row_of(page, "TF1D00000005").locator("button.claim-button")).to_be_hidden()
    page.select_option("#filter-assigned", "any")
    expect(row_of(page, "TF1D00000005")).to_be_visible()
    expect(row_of(page, "TF1D00000001")).to_be_visible()

    # every priority badge reads at 4.5:1 at least: those in the queue (P1..P5 seeded) and each class
    for n in range(1, 6):
        expect(rows(page).locator(f".priority-{n}").first).to_be_visible()
    badges = page.evaluate("""() => {
      const probe = document.createElement('div');
      document.body.append(probe);
      const out = [];
      const look = (node) => {
        const style = getComputedStyle(node);
        out.push([node.className, node.textContent, style.color, style.backgroundColor]);
      };
      document.querySelectorAll('#queue-body .priority').forEach(look);
      for (const n of ['1', '2', '3', '4', '5', 'x']) {
        const span = document.createElement('span');
        span.className = `priority priority-${n}`;
        span.textContent = `P${n}`;
        probe.append(span);
        look(span);
      }
      probe.remove();
      return out;
    }""")
    assert len(badges) >= 11
    for name, text, colour, background in badges:
        assert contrast(colour, background) >= 4.5, (name, text, colour, background, contrast(colour, background))
    page.screenshot(path=str(ARTIFACTS / "agent-desk-find-work.png"), full_page=True)

    # Chinese: the controls' labels and options, the rows' channel names
    page.click("#lang-toggle")
    expect(page.locator("label[for='filter-q']")).to_have_text("搜索：订单号、电话、邮箱或文字")
    expect(page.locator("label[for='filter-channel']")).to_have_text("渠道")
    expect(page.locator("label[for='filter-language']")).to_have_text("语言")
    expect(page.locator("label[for='filter-assigned']")).to_have_text("分配")
    expect(page.locator("#filter-channel option")).to_have_text(["全部渠道", "网页聊天", "微信", "电话", "接口"])
    expect(page.locator("#filter-language option")).to_have_text(["全部语言", "英文", "中文"])
    expect(page.locator("#filter-assigned option")).to_have_text(["未分配（等待中）", "我的", "全部未关闭工单"])
    expect(page.locator("#filter-clear")).to_have_text("清除筛选")
    expect(page.locator("#queue-filters")).to_have_attribute("aria-label", "在队列中查找工单")
    expect(page.locator("#past-title")).to_have_text("搜索历史工单")
    expect(page.locator("#past-submit")).to_have_text("搜索")
    expect(row_of(page, "TF1D00000002").locator(".col-channel")).to_have_text("微信")
    page.select_option("#filter-channel", "wechat")
    page.select_option("#filter-language", "zh")
    expect(rows(page)).to_have_count(1)
    expect(page.locator("#filter-status")).to_have_text("1 个工单符合条件")

    # past tickets: the closed one by its order number, with its state, channel and summary
    page.fill("#past-q", "QX-731009")
    page.click("#past-submit")
    result = page.locator("#past-results li.past-item")
    expect(result).to_have_count(1)
    expect(page.locator("#past-status")).to_have_text("找到 1 个工单")
    expect(result.locator(".state-badge")).to_have_text("已关闭")
    page.click("#lang-toggle")
    expect(page.locator("#past-status")).to_have_text("1 ticket found")
    expect(result.locator(".state-badge")).to_have_text("Closed")
    expect(result.locator(".past-channel")).to_have_text("API")
    expect(result.locator(".past-language")).to_have_text("English")
    expect(result.locator(".reason-code")).to_have_text("Asked for a person")
    expect(result.locator(".past-summary")).to_have_text("Refund for the broken toaster was sent")
    expect(result.locator("time")).to_have_text(re.compile(r"\d{2}:\d{2}:\d{2}"))
    # by text, several (newest first), and a search nothing matches
    page.fill("#past-q", "toaster")
    page.click("#past-submit")
    expect(page.locator("#past-results button.past-open")).to_have_text(["TF1D00000009", "TF1D00000005"])
    page.fill("#past-q", "no such parcel zzqx")
    page.click("#past-submit")
    expect(page.locator("#past-status")).to_have_text("No tickets match “no such parcel zzqx”.")
    expect(page.locator("#past-results li")).to_have_count(0)

    # open the closed ticket from the results: read-only
    page.fill("#past-q", "QX-731009")
    page.click("#past-submit")
    page.click("#past-results button[data-ticket-id='TF1D00000009']")
    expect(page.locator("#ticket-id")).to_have_text("TF1D00000009", timeout=10000)
    expect(page.locator("#ticket-state")).to_have_text("Closed")
    expect(page.locator("#packet-summary")).to_have_text("Refund for the broken toaster was sent")
    expect(page.locator("#reply-text")).to_be_disabled()
    expect(page.locator("#close-ticket")).to_be_disabled()
    expect(page.locator("#ticket-claim")).to_be_hidden()
    expect(page.locator("#reply-hint")).to_have_text("This ticket is closed.")
    page.screenshot(path=str(ARTIFACTS / "agent-desk-past-search.png"), full_page=True)
    assert page.dialogs == []
