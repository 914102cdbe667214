"""Regenerate docs/screenshots/*.png (``make screenshots``): the web chat widget on a desktop and a
phone (English and Chinese; the English phone with an agent: the customer's photo, the agent's
photo and "… is typing"), the agent desk with that ticket claimed, photos in its conversation (en,
and zh on the same English customer's ticket), the supervisor view (en, zh).

Starts the real action and Rasa servers on a fresh SQLite database in a temporary directory,
as the browser tests do (tests/integration/conftest.py ``Servers``), seeds the supervisor's
tickets at known times (tests/integration/supervisor_seed.py), and drives Debian's chromium
with Playwright (never a downloaded browser). Needs the trained model (``make train``).

A PNG over ``MAX_BYTES`` is re-saved with a 256-colour palette (Pillow) to keep the repository small.

Usage: ``python scripts/screenshots.py [--out docs/screenshots]``
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_BYTES = 200 * 1024
TIMEOUT = 60_000
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESK = {"viewport": {"width": 1400, "height": 900}}


def shrink(path: Path) -> None:
    """Re-save ``path`` as a palette PNG when it is over ``MAX_BYTES``."""
    if path.stat().st_size <= MAX_BYTES:
        return
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def start_servers(workdir: Path):
    """A fresh database (demo orders, agents alice/agent0..4, password pass-word-1), real servers up."""
    url = f"sqlite:///{workdir / 'bot.db'}"
    os.environ["DATABASE_URL"] = url
    from bot.storage.schema import upgrade
    from bot.storage.seed import seed_demo_orders
    from bot.storage.uow import SqlAlchemyUnitOfWork
    from tests.integration.conftest import Servers
    from tests.integration.supervisor_seed import seed_supervisor_tickets

    upgrade(url)
    seed_demo_orders(SqlAlchemyUnitOfWork())
    with SqlAlchemyUnitOfWork() as uow:
        for i in range(5):
            uow.agents.upsert(f"agent{i}", "pass-word-1", f"Agent {i}", "agent")
        uow.agents.upsert("alice", "pass-word-1", "Alice", "supervisor")
        uow.commit()
    servers = Servers(workdir, url).start()
    seed_supervisor_tickets(SqlAlchemyUnitOfWork, datetime.now(timezone.utc))
    servers.login("alice", "pass-word-1")  # an agent online: hand-overs are queued, not call-backs
    return servers


def chat(browser, servers, out: Path, name: str, device: dict, lang: str, lines: list[str]) -> None:
    """Open the widget, type ``lines`` (each waits for a new bot bubble), save ``name``."""
    from playwright.sync_api import expect

    context = browser.new_context(**device, locale="zh-CN" if lang == "zh" else "en-GB")
    page = context.new_page()
    page.goto(f"{servers.url}/chat/?lang={lang}")
    page.get_by_role("button", name="打开在线客服" if lang == "zh" else "Open chat").click()
    bot = page.locator(".sc-from-bot .sc-bubble")
    expect(bot.first).to_be_visible(timeout=TIMEOUT)
    box = page.get_by_role("textbox", name="输入消息" if lang == "zh" else "Your message")
    for line in lines:
        seen = bot.count()
        box.fill(line)
        box.press("Enter")
        expect(bot).not_to_have_count(seen, timeout=TIMEOUT)
        page.wait_for_timeout(1500)  # a turn may answer in several bubbles
    page.wait_for_timeout(500)  # let the typing indicator and scrolling settle
    page.screenshot(path=str(out / name))
    shrink(out / name)
    context.close()


def photo(color: tuple, label: str) -> bytes:
    """A picture a customer might send: a parcel with a crack, and a label (Pillow)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (236, 232, 224))
    draw = ImageDraw.Draw(image)
    draw.rectangle((90, 70, 390, 260), fill=color, outline=(60, 50, 40), width=4)
    draw.line((150, 70, 210, 160, 180, 200, 250, 260), fill=(40, 30, 20), width=6)
    draw.rectangle((260, 100, 370, 150), fill=(250, 250, 250), outline=(60, 60, 60), width=2)
    draw.text((270, 115), label, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def phone_with_agent(browser, servers, out: Path) -> str:
    """The English phone customer hands over; Alice claims; the customer sends a photo of the damaged
    parcel, Alice a photo back and starts typing: ``widget-phone-en.png``. Returns the ticket id."""
    from playwright.sync_api import expect

    from tests.integration.webchat_client import conversation_of

    context = browser.new_context(**PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(f"{servers.url}/chat/?lang=en")
    page.get_by_role("button", name="Open chat").click()
    bot = page.locator(".sc-from-bot .sc-bubble")
    expect(bot.first).to_be_visible(timeout=TIMEOUT)
    box = page.get_by_role("textbox", name="Your message")
    for line in ("hi, my order QX-100002 arrived damaged", "real person please"):
        seen = bot.count()
        box.fill(line)
        box.press("Enter")
        expect(bot).not_to_have_count(seen, timeout=TIMEOUT)
        page.wait_for_timeout(1500)
    token = servers.login("alice", "pass-word-1")
    conversation = conversation_of(page.evaluate("SupportChat.sessionId"))
    found = servers.api("GET", "/tickets", token, params={"conversation_id": conversation}).json()
    if not found:
        raise SystemExit("the phone customer's hand-over made no ticket (see the servers' logs)")
    ticket_id = found[-1]["ticket_id"]
    servers.api("POST", f"/tickets/{ticket_id}/claim", token)
    expect(page.locator(".sc-from-system").last).to_contain_text("Alice", timeout=TIMEOUT)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Attach a photo").click()
    chooser.value.set_files({"name": "parcel.png", "mimeType": "image/png",
                             "buffer": photo((196, 150, 96), "QX-100002")})
    expect(page.locator(".sc-from-user img.sc-image").last).to_be_visible(timeout=TIMEOUT)
    servers.api("POST", f"/tickets/{ticket_id}/messages", token,
                json={"text": "Thanks, I can see the damage. Where should the label go when you send it back?"})
    servers.api("POST", f"/tickets/{ticket_id}/attachments", token, data=photo((120, 170, 210), "RETURN"),
                params={"text": "Stick the return label here, on the top:"}, headers={"Content-Type": "image/png"})
    expect(page.locator(".sc-from-agent img.sc-image").last).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('img.sc-image')].every(i => i.complete)",
                           timeout=TIMEOUT)
    servers.api("POST", f"/tickets/{ticket_id}/typing", token)
    expect(page.locator(".sc-typing")).to_be_visible(timeout=TIMEOUT)
    # the pictures loaded after the last scroll: the newest messages (the agent's photo) in view
    page.evaluate("() => { const log = document.querySelector('[role=log]'); log.scrollTop = log.scrollHeight; }")
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / "widget-phone-en.png"))
    shrink(out / "widget-phone-en.png")
    context.close()
    return ticket_id


def desk(browser, servers, out: Path, ticket_id: str) -> None:
    """The agent desk with the phone customer's ticket (QX-100002: their photo, Alice's) open and answered."""
    from playwright.sync_api import expect

    context = browser.new_context(**DESK)
    page = context.new_page()
    page.goto(f"{servers.url}/agent/")
    page.evaluate("() => localStorage.setItem('agentDesk.lang', 'en')")
    page.fill("#username", "alice")
    page.fill("#password", "pass-word-1")
    page.click("#login-button")
    # the phone customer's ticket, held by Alice: under "My tickets"
    mine = page.locator(f"#mine-list button[data-ticket-id='{ticket_id}']")
    expect(mine).to_be_visible(timeout=TIMEOUT)
    mine.click()
    expect(page.locator("#ticket-state")).to_have_class(re.compile("with_agent"), timeout=TIMEOUT)
    page.fill("#reply-text", "A courier will collect the parcel tomorrow between 9 and 12; a new one goes out today.")
    page.click("#send-reply")
    expect(page.locator("#transcript .msg-agent").last).to_contain_text("A courier will collect", timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('#transcript img.msg-photo-img')]"
                           ".filter(i => i.complete && i.naturalWidth > 0).length >= 2", timeout=TIMEOUT)
    # the conversation from the customer's photo on: both photos in view
    page.locator("#transcript .msg-customer img.msg-photo-img").last.evaluate(
        "img => img.closest('li.msg').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "agent-desk.png"), full_page=True)
    shrink(out / "agent-desk.png")
    # the same English customer's ticket read by a Chinese-speaking agent (issue 14)
    page.click("#lang-toggle")
    expect(page.locator("#packet-summary")).to_contain_text("客户", timeout=TIMEOUT)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "agent-desk-zh.png"), full_page=True)
    shrink(out / "agent-desk-zh.png")
    page.click("#lang-toggle")

    page.click("#supervisor-link")
    for lang, name in (("en", "supervisor-en.png"), ("zh", "supervisor-zh.png")):
        if lang == "zh":
            page.click("#lang-toggle")
        expect(page.locator("#now-waiting")).not_to_have_text("—", timeout=TIMEOUT)
        expect(page.locator("#reasons g.bar-group").first).to_be_visible(timeout=TIMEOUT)
        page.wait_for_timeout(300)
        page.screenshot(path=str(out / name), full_page=True)
        shrink(out / name)
    page.evaluate("() => localStorage.setItem('agentDesk.lang', 'en')")
    context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    executable = shutil.which("chromium")
    if executable is None:
        print("Debian's chromium is needed (make browser-deps)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS

    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        servers = start_servers(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
                chat(browser, servers, out, "widget-desktop-en.png", DESKTOP, "en",
                     ["Where is my order QX-100001?"])
                chat(browser, servers, out, "widget-desktop-zh.png", DESKTOP, "zh",
                     ["我想查一下订单 QX-100003 的状态"])
                ticket_id = phone_with_agent(browser, servers, out)
                chat(browser, servers, out, "widget-phone-zh.png", PHONE, "zh", ["我忘记密码了"])
                desk(browser, servers, out, ticket_id)
                browser.close()
        finally:
            servers.stop()
    for path in sorted(out.glob("*.png")):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
