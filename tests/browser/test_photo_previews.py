"""Photo previews (issue 14, rev14 review) in Debian's Chromium against the real servers: a large photo
shows as its 480-px preview in the widget and in the desk, and the full picture opens on click."""
from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.test_webchat import TIMEOUT
from tests.browser.test_webchat_live import desk_login, hand_over_from_widget


MEASURE = ("src => new Promise((done, failed) => { const image = new Image(); "
           "image.onload = () => done([image.naturalWidth, image.naturalHeight]); image.onerror = failed; "
           "image.src = src; })")


def big_png(color=(20, 120, 60), size=(1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def test_a_large_photo_shows_as_a_preview_and_opens_full_size(servers, page: Page, browser):
    agent = servers.login("agent1", "pass-word-1")
    ticket = hand_over_from_widget(page, servers, agent, "en")
    desk = desk_login(browser, servers, "agent1")
    try:
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Attach a photo").click()
        chooser.value.set_files({"name": "parcel.png", "mimeType": "image/png", "buffer": big_png()})
        mine = page.locator(".sc-from-user img.sc-image").last
        expect(mine).to_be_visible(timeout=TIMEOUT)
        page.wait_for_function("img => img.complete && img.naturalWidth === 480", arg=mine.element_handle(),
                               timeout=TIMEOUT)
        assert "size=thumb" in mine.get_attribute("src")
        assert "size=thumb" not in page.locator(".sc-from-user a.sc-image-link").last.get_attribute("href")

        desk.locator(f'tr.queue-row[data-ticket-id="{ticket["ticket_id"]}"]').click(timeout=TIMEOUT)
        seen = desk.locator("#transcript .msg-customer img.msg-photo-img").last
        expect(seen).to_be_visible(timeout=TIMEOUT)
        desk.wait_for_function("img => img.complete && img.naturalWidth === 480", arg=seen.element_handle(),
                               timeout=TIMEOUT)
        with desk.context.expect_page(timeout=TIMEOUT) as opened:
            desk.locator("#transcript .msg-customer a.msg-photo").last.click()
        full = opened.value
        full.wait_for_load_state()
        full.wait_for_function("() => location.href.startsWith('blob:')", timeout=TIMEOUT)
        link = desk.locator("#transcript .msg-customer a.msg-photo").last
        expect(link).to_have_attribute("href", re.compile("^blob:"), timeout=TIMEOUT)
        assert full.url == link.get_attribute("href")  # the tab shows what the link now holds
        size = desk.evaluate(MEASURE, link.get_attribute("href"))  # (the desk's CSP allows blob: images only)
        assert size == [1200, 900]  # the full picture, not the preview
        assert desk.evaluate(MEASURE, seen.get_attribute("src")) == [480, 360]
    finally:
        servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", agent, json={"disposition": "resolved"})
        desk.context.close()
