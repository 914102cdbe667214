"""Photos (issue 14, rev14 review): decoding work is bounded (JPEG scan limit), picture checks run in
their own pool and never hold the database's threads, an agent's photo is refused before decoding on a
ticket they do not hold, stored photos respect the byte limit, unsent photos expire, thumbnails."""
import asyncio
import io
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from bot.channels import attachments as channel_attachments
from bot.channels.attachments import ImageRefused, check_image, jpeg_scan_count
from bot.services import attachments as attachments_service
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.unit.test_tickets import make_ticket

MB = 1024 * 1024
PIXELS = 25_000_000


def progressive_jpeg(size=(256, 256)) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, 128).save(out, "JPEG", progressive=True, quality=90)
    return out.getvalue()


def scan_bomb(size=(256, 256), repeat: int = 500) -> bytes:
    """A valid progressive JPEG whose smallest AC scan is repeated ``repeat`` times (rev14 #14's file,
    made small): each repeat is a few bytes but makes the decoder walk every block again."""
    data = progressive_jpeg(size)
    pos, segments = 2, []
    while True:
        code = data[pos + 1]
        if code == 0xD9:
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        end = pos + 2 + length
        if code == 0xDA:
            while not (data[end] == 0xFF and data[end + 1] != 0x00 and not 0xD0 <= data[end + 1] <= 0xD7):
                end += 1
            segments.append(("SOS", data[pos:end]))
        else:
            segments.append(("other", data[pos:end]))
        pos = end
    small = min([s for kind, s in segments if kind == "SOS"][1:], key=len)
    return data[:2] + b"".join(s for _, s in segments) + small * repeat + b"\xff\xd9"


# --- rev14 #14: the scan limit ---------------------------------------------------------------------

def test_scans_are_counted_without_decoding():
    normal = progressive_jpeg()
    assert 5 <= jpeg_scan_count(normal) <= 20  # libjpeg's default progression
    baseline = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(baseline, "JPEG")
    assert jpeg_scan_count(baseline.getvalue()) == 1
    assert jpeg_scan_count(scan_bomb(repeat=300)) == jpeg_scan_count(normal) + 300
    assert jpeg_scan_count(scan_bomb(repeat=300), stop_after=50) == 51  # stops early
    assert jpeg_scan_count(b"not a jpeg") == 0 and jpeg_scan_count(normal[:40]) == 0


def test_a_progressive_jpeg_with_too_many_scans_is_refused_before_it_is_decoded(monkeypatch):
    from PIL import ImageFile

    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(1) or real_load(self))
    with pytest.raises(ImageRefused) as refused:
        check_image(scan_bomb(repeat=2000), 5 * MB, PIXELS)
    assert (refused.value.status, refused.value.code) == (413, "too_many_scans")
    assert "100 scans" in str(refused.value)
    assert decoded == []  # nothing was decoded
    # an ordinary progressive JPEG passes; the limit comes from JPEG_MAX_SCANS (0: off)
    assert check_image(progressive_jpeg(), 5 * MB, PIXELS).content_type == "image/jpeg"
    monkeypatch.setenv("JPEG_MAX_SCANS", "5")
    with pytest.raises(ImageRefused):
        attachments_service.check(progressive_jpeg())
    monkeypatch.setenv("JPEG_MAX_SCANS", "0")
    assert attachments_service.check(scan_bomb(size=(16, 16), repeat=200)).width == 16


# --- rev14 #12: picture checks in their own bounded pool -------------------------------------------

def test_blocked_picture_checks_do_not_stop_database_calls_and_a_full_pool_says_busy():
    from bot.services import ImagePool, ImagesBusy, run_db

    release = threading.Event()
    started = []

    def stuck_check() -> str:  # a picture that takes "forever" to decode
        started.append(1)
        release.wait(60)
        return "checked"

    async def scenario():
        loop = asyncio.get_running_loop()
        loop.set_default_executor(ThreadPoolExecutor(max_workers=1))  # the database's (tiny) pool
        pool = ImagePool(workers=2, queue=1)
        checks = [asyncio.ensure_future(pool.run(stuck_check)) for _ in range(3)]
        while len(started) < 2:
            await asyncio.sleep(0.01)
        with pytest.raises(ImagesBusy) as busy:  # 2 running + 1 waiting: the 4th is refused at once
            await pool.run(stuck_check)
        assert busy.value.retry_after_s > 0
        # every picture worker is stuck, yet a database call completes
        assert await asyncio.wait_for(run_db(lambda: "db answered"), timeout=30) == "db answered"
        assert not any(check.done() for check in checks)
        release.set()
        assert await asyncio.gather(*checks) == ["checked"] * 3
        assert pool.pending == 0

    try:
        asyncio.run(scenario())
    finally:
        release.set()


def test_the_routes_check_pictures_in_the_picture_pool_not_in_run_db():
    """The web chat upload and the desk's send-photo decode through ``run_image``; what ``run_db``
    runs for them receives an already checked picture."""
    import inspect

    from connectors import agent_desk, webchat

    upload = inspect.getsource(webchat.WebchatInput._http_photo_routes)
    assert "run_image(attachments_service.check, data)" in upload
    assert "run_db(_store_photo, image, session_id)" in upload
    desk = inspect.getsource(agent_desk.AgentDeskInput._photo_routes) if hasattr(agent_desk, "AgentDeskInput") \
        else inspect.getsource(agent_desk)
    assert "run_image(attachments_service.check, data)" in desk


# --- rev14 #5: the holder before the decoding ------------------------------------------------------

def test_an_agent_who_does_not_hold_the_ticket_is_refused_before_the_picture_is_decoded(uow, monkeypatch):
    from bot.queue.tickets import ClaimConflict

    ticket = make_ticket(uow, "conv-not-mine")
    decoded = []
    monkeypatch.setattr(attachments_service, "check", lambda data: decoded.append(data))
    with pytest.raises(ClaimConflict):
        attachments_service.agent_reply_photo(SqlAlchemyUnitOfWork(), ticket.ticket_id, "bob", b"<svg/>")
    with pytest.raises(ClaimConflict):
        attachments_service.require_holder(SqlAlchemyUnitOfWork(), ticket.ticket_id, "bob")
    assert decoded == []  # refused with 409, not 415, and nothing decoded
