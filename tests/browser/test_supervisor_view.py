"""The supervisor view (issue 14 "Supervisors") in Chromium, English and Chinese, on tickets
seeded at known times (tests/integration/supervisor_seed.py): 3 waiting, the longest 42 min,
2 of 3 past their SLA; a plain agent is refused."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import requests
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

def minutes_waited(base_min: int, seeded_at: datetime) -> set[str]:
    """The whole minutes the 42-minute ticket can show between its seeding (``seeded_at``) and now."""
    late = int((datetime.now(timezone.utc) - seeded_at).total_seconds() // 60)
    return {str(base_min + extra) for extra in range(late + 1)}


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two computed ``rgb(r, g, b)`` colours."""
    def luminance(css: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def log_in_at_the_desk(page, url: str, username: str) -> None:
    page.goto(f"{url}/agent/")
    page.evaluate("() => localStorage.setItem('agentDesk.lang', 'en')")
    page.fill("#username", username)
    page.fill("#password", "pass-word-1")
    page.click("#login-button")
    expect(page.locator("#logout-button")).to_be_visible(timeout=15000)


def test_a_supervisor_sees_whether_we_are_ok_in_english_and_chinese(supervisor_servers, page):
    problems: list[str] = []
    # every console error, the browser's own request for /favicon.ico included (served now: a new user's finding)
    page.on("console", lambda m: problems.append(f"{m.text} {m.location.get('url')}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in_at_the_desk(page, supervisor_servers.url, "alice")
    link = page.locator("#supervisor-link")
    expect(link).to_be_visible()
    expect(link).to_have_text("Supervisor view")
    link.click()
    expect(page).to_have_url(f"{supervisor_servers.url}/agent/supervisor")

    # right now
    expect(page.locator("#now-waiting")).to_have_text("3", timeout=15000)
    longest = page.locator("#now-longest").inner_text()
    assert re.fullmatch(r"(\d+) min", longest) and longest.split()[0] in minutes_waited(42, supervisor_servers.seeded_at), longest
    expect(page.locator("#now-over-sla")).to_have_text("2 of 3")
    expect(page.locator("#now-over-sla-rate")).to_have_text("66.7%")
    expect(page.locator("#now-with-agent")).to_have_text("1")
    # the histogram counts the people still waiting by how long they have waited
    bars = page.locator("#histogram g.bar-group")
    expect(bars).to_have_count(7)
    assert [bars.nth(i).get_attribute("data-count") for i in range(7)] == ["0", "1", "0", "1", "1", "0", "0"]
    expect(bars.nth(4)).to_contain_text("30–60 min")
    expect(page.locator("#histogram-desc")).to_contain_text("15–30 min: 1")
    # the period (last 24 hours)
    expect(page.locator("#period-escalations")).to_have_text("8")
    expect(page.locator("#period-breach-rate")).to_have_text("50%")
    expect(page.locator("#period-breaches")).to_have_text("(4 of 8)")
    expect(page.locator("#period-abandoned")).to_have_text("1")
    expect(page.locator("#period-abandoned-rate")).to_contain_text("12.5%")
    expect(page.locator("#period-average-wait")).to_have_text("4 min")  # 258 s
    # escalations by reason, with human labels
    reason = page.locator("#reasons g.bar-group[data-key='customer_request']")
    expect(reason).to_contain_text("Asked for a person")
    assert reason.get_attribute("data-count") == "3"
    expect(page.locator("#reasons g.bar-group[data-key='no_input']")).to_contain_text("No usable answer on the phone")
    # per agent: handled, average handle time, CSAT
    agent1 = page.locator("#agents-body tr[data-agent='agent1']")
    expect(agent1.locator("th")).to_have_text("Agent 1")
    expect(agent1.locator(".agent-handled")).to_have_text("2")
    expect(agent1.locator(".agent-handle")).to_have_text("7 min")  # 450 s
    expect(agent1.locator(".agent-csat")).to_have_text("4.0 (2)")
    expect(page.locator("#agents-body tr[data-agent='agent2'] .agent-handle")).to_have_text("15 min")
    # the oldest waiting first, with badges that can be read (>= 4.5:1)
    oldest = page.locator("#oldest-body tr")
    expect(oldest).to_have_count(3)
    expect(oldest.first).to_contain_text("Parcel QX-100002 is a week late")
    expect(oldest.first.locator(".sup-breached")).to_have_text("past SLA")
    for badge in page.locator("#oldest-body .badge").all():
        colours = badge.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
        assert contrast(*colours) >= 4.5, (badge.inner_text(), colours)
    page.screenshot(path=str(ARTIFACTS / "supervisor-view-en.png"), full_page=True)

    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text("主管看板")
    expect(page.locator("#updated")).to_contain_text("更新于")
    expect(page.locator("#now-waiting")).to_have_text("3")
    longest = page.locator("#now-longest").inner_text()
    assert re.fullmatch(r"(\d+) 分钟", longest) and longest.split()[0] in minutes_waited(42, supervisor_servers.seeded_at), longest
    expect(page.locator("#now-over-sla")).to_have_text("3 人中 2 人")
    expect(page.locator("#period-breaches")).to_have_text("（8 个中 4 个）")
    expect(page.locator("#reasons g.bar-group[data-key='customer_request']")).to_contain_text("要求转人工")
    expect(page.locator("#reasons g.bar-group[data-key='negative_emotion']")).to_contain_text("客户情绪激动")
    expect(page.locator("#histogram g.bar-group").nth(4)).to_contain_text("30–60 分钟")
    expect(page.locator("#agents-body tr[data-agent='agent1'] .agent-handle")).to_have_text("7 分钟")
    expect(page.locator("#oldest-body tr").first.locator(".sup-breached")).to_have_text("已超响应时限")
    # the waiting tickets' summaries in the view's language too (issue 14)
    expect(page.locator("#oldest-body tr").first).to_contain_text("包裹 QX-100002 迟到了一周")
    page.screenshot(path=str(ARTIFACTS / "supervisor-view-zh.png"), full_page=True)

    # a chosen period: the last 7 days take in the ticket closed 3 days ago
    page.select_option("#period", "7d")
    expect(page.locator("#period-escalations")).to_have_text("9", timeout=10000)
    expect(page.locator("#agents-body tr[data-agent='agent2'] .agent-csat")).to_have_text("2.5（2）")
    expect(page.locator("#now-waiting")).to_have_text("3")
    assert problems == []  # no CSP violation, no script error


def test_the_page_is_served_with_the_strict_content_security_policy(supervisor_servers):
    page = requests.get(f"{supervisor_servers.url}/agent/supervisor", timeout=30)
    assert page.status_code == 200 and "supervisor.js" in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page.text and " style=" not in page.text  # nothing inline for the CSP to block
    # the helpers shared with the desk come from common.js, loaded first by both pages
    desk = requests.get(f"{supervisor_servers.url}/agent/", timeout=30).text
    for html in (page.text, desk):
        assert html.index("/agent/static/common.js") < max(html.find("/agent/static/supervisor.js"),
                                                            html.find("/agent/static/app.js"))
    for name in ("supervisor.js", "common.js"):
        script = requests.get(f"{supervisor_servers.url}/agent/static/{name}", timeout=30).text
        assert not re.search(r"\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write", script)
    for name in ("supervisor.js", "app.js"):  # defined once, in common.js
        script = requests.get(f"{supervisor_servers.url}/agent/static/{name}", timeout=30).text
        assert "function el(" not in script and "async function api(" not in script


def test_an_ended_session_on_the_supervisor_view_asks_to_log_in_again(supervisor_servers, page):
    log_in_at_the_desk(page, supervisor_servers.url, "alice")
    page.evaluate("() => sessionStorage.setItem('agentDesk.token', 'no-longer-valid')")
    page.goto(f"{supervisor_servers.url}/agent/supervisor")
    expect(page.locator("#login-view")).to_be_visible(timeout=10000)
    expect(page.locator("#login-error")).to_have_text("Your session has ended. Please log in again.")
    assert page.evaluate("() => sessionStorage.getItem('agentDesk.token')") is None


def test_a_plain_agent_has_no_link_and_is_refused_even_when_the_page_is_told_otherwise(supervisor_servers, page):
    log_in_at_the_desk(page, supervisor_servers.url, "agent1")
    expect(page.locator("#supervisor-link")).to_be_hidden()
    page.goto(f"{supervisor_servers.url}/agent/supervisor")
    expect(page.locator("#refused-view")).to_be_visible(timeout=10000)
    expect(page.locator("#refused-view")).to_contain_text("For supervisors only")
    expect(page.locator("#dashboard")).to_be_hidden()
    # the browser's idea of the role is not what protects the figures: the API answers 403
    page.evaluate("""() => {
        const agent = JSON.parse(sessionStorage.getItem('agentDesk.agent'));
        sessionStorage.setItem('agentDesk.agent', JSON.stringify({...agent, role: 'supervisor'}));
    }""")
    with page.expect_response(lambda r: "/agent/api/metrics" in r.url) as answer:
        page.reload()
    assert answer.value.status == 403
    expect(page.locator("#refused-view")).to_be_visible(timeout=10000)
    expect(page.locator("#dashboard")).to_be_hidden()
    expect(page.locator("#now-waiting")).to_have_text("—")
