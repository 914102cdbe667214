"""Photos (issue 14, rev14 review): decoding work is bounded (JPEG scan limit), picture checks run in
their own pool and never hold the database's threads, an agent's photo is refused before decoding on a
ticket they do not hold, stored photos respect the byte limit, unsent photos expire, thumbnails."""
import asyncio
import io
import os
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
from tests.rows import RowsUnitOfWork
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

def wait_for_file(started: str, release: str) -> str:
    """A picture check that takes "forever": notes that it started, then waits (without CPU) until
    ``release`` exists. Module-level, so the pool's worker processes can run it."""
    with open(started, "a") as marks:
        marks.write("x")
    while not os.path.exists(release):
        time.sleep(0.02)
    return "checked"


def test_blocked_picture_checks_do_not_stop_database_calls_and_a_full_pool_says_busy(tmp_path):
    from bot.services import ImagePool, ImagesBusy, run_db

    started, release = str(tmp_path / "started"), str(tmp_path / "release")
    open(started, "w").close()

    def count_started() -> int:
        with open(started) as marks:
            return len(marks.read())

    async def scenario(pool):
        loop = asyncio.get_running_loop()
        loop.set_default_executor(ThreadPoolExecutor(max_workers=1))  # the database's (tiny) pool
        checks = [asyncio.ensure_future(pool.run(wait_for_file, started, release)) for _ in range(3)]
        while count_started() < 2:
            await asyncio.sleep(0.02)
        with pytest.raises(ImagesBusy) as busy:  # 2 running + 1 waiting: the 4th is refused at once
            await pool.run(wait_for_file, started, release)
        assert busy.value.retry_after_s > 0
        # every picture worker is stuck, yet a database call completes
        assert await asyncio.wait_for(run_db(lambda: "db answered"), timeout=30) == "db answered"
        assert not any(check.done() for check in checks)
        open(release, "w").close()
        assert await asyncio.wait_for(asyncio.gather(*checks), timeout=120) == ["checked"] * 3
        assert pool.pending == 0

    pool = ImagePool(workers=2, queue=1)
    try:
        asyncio.run(asyncio.wait_for(scenario(pool), timeout=180))
    finally:
        open(release, "w").close()
        pool.close()


# --- rev14c #1: a per-picture CPU budget and a ladder that cannot multiply the work --------------------

def tiled_lossless_webp(side: int = 5000, tile: int = 64) -> bytes:
    """rev14c #1's bomb: a noise tile repeated over ``side`` x ``side``, saved as lossless WebP (about
    1 MB for 25 MP: tiny losslessly, huge as lossy VP8)."""
    import random

    rng = random.Random(1)
    noise = Image.frombytes("RGB", (tile, tile), bytes(rng.getrandbits(8) for _ in range(tile * tile * 3)))
    big = Image.new("RGB", (side, side))
    for x in range(0, side, tile):
        for y in range(0, side, tile):
            big.paste(noise, (x, y))
    out = io.BytesIO()
    big.save(out, "WEBP", lossless=True, quality=0, method=0)
    return out.getvalue()


def test_the_tiled_lossless_webp_is_re_encoded_at_most_three_times(monkeypatch):
    """The ladder scales straight to fit when the first lossy encode is far over the limit: the 25-MP
    bomb costs at most 3 encodes of the picture and 1 of its preview (it took 7 + 1)."""
    bomb = tiled_lossless_webp()
    assert len(bomb) < 5 * MB
    real, sizes = channel_attachments._encode, []

    def counting(image, kind, **options):
        sizes.append(image.size)
        return real(image, kind, **options)

    monkeypatch.setattr(channel_attachments, "_encode", counting)
    try:
        checked = check_image(bomb, 5 * MB, PIXELS)
        assert len(checked.data) <= 5 * MB and checked.content_type == "image/webp"
    except ImageRefused as refused:  # refused after its encodes is as good: the count is what matters
        assert refused.code == "too_large"
    pictures = [size for size in sizes if max(size) > channel_attachments.DEFAULT_THUMBNAIL_PX]
    assert len(pictures) <= channel_attachments.MAX_ENCODES == 3
    assert len(sizes) <= 4
    assert (5000, 5000) not in sizes  # sized from a half-scale sample: never encoded whole


def burn_cpu(seconds: float) -> str:
    """A "picture check" that uses ``seconds`` of CPU (module-level: the worker processes run it)."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return "done"


def test_a_check_over_its_cpu_budget_is_ended_with_too_complex_and_the_next_one_works():
    from bot.services import ImagePool

    async def scenario(pool):
        with pytest.raises(ImageRefused) as refused:
            await pool.run(burn_cpu, 30.0)
        assert (refused.value.code, refused.value.status) == ("too_complex", 413)
        assert pool.replaced == 1 and pool.pending == 0
        assert await pool.run(burn_cpu, 0.0) == "done"  # a new worker process answers
        checked = await pool.run(check_image, picture_png(), 5 * MB, PIXELS)
        assert checked.content_type == "image/png"
        # a picture's own refusal crosses the process boundary whole
        with pytest.raises(ImageRefused) as not_image:
            await pool.run(check_image, b"<svg/>", 5 * MB, PIXELS)
        assert (not_image.value.code, not_image.value.status) == ("not_an_image", 415)

    pool = ImagePool(workers=1, queue=1, cpu_s=0.2, wall_s=120)
    try:
        asyncio.run(asyncio.wait_for(scenario(pool), timeout=180))
    finally:
        pool.close()


def picture_png(size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


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
    assert "photo_and_deliver(" in desk  # the desk's use case (review rev12 #5) decodes in the pool:
    from bot.services import delivery
    assert "run_image(attachments_service.check, data)" in inspect.getsource(delivery.photo_and_deliver)
    from connectors.wechat import channel as wechat_channel

    assert "run_image(attachments_service.check, data)" in inspect.getsource(wechat_channel)


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


# --- rev14 #2: the stored photo respects the byte limit; unsent photos expire -----------------------

def noisy_jpeg(size=(600, 600), quality=5) -> bytes:
    """Noise saved at a very low quality: re-encoding it at quality 88 made it ~3x larger (rev14 #2)."""
    import random

    rng = random.Random(7)
    image = Image.frombytes("RGB", size, bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * 3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def test_the_stored_jpeg_keeps_the_uploads_quality_and_is_not_larger_than_the_limit():
    upload = noisy_jpeg()
    limit = len(upload) + 1024  # the upload itself is within the limit
    checked = check_image(upload, limit, PIXELS)
    assert len(checked.data) <= limit
    assert len(checked.data) <= len(upload) * 1.1  # its own tables: about the upload's size
    assert (checked.width, checked.height) == (600, 600)
    reopened = Image.open(io.BytesIO(checked.data))
    assert reopened.quantization == Image.open(io.BytesIO(upload)).quantization


def test_a_picture_whose_re_encoding_is_over_the_limit_is_made_smaller_or_refused():
    # a lossless PNG of noise cannot shrink by re-encoding: it is scaled down to fit
    import random

    rng = random.Random(3)
    noise = Image.frombytes("RGB", (300, 300), bytes(rng.getrandbits(8) for _ in range(300 * 300 * 3)))
    out = io.BytesIO()
    noise.save(out, "PNG", compress_level=9)
    upload = out.getvalue()
    limit = len(upload)  # Pillow's own re-encoding (default compression) is a little larger
    checked = check_image(upload, limit, PIXELS)
    assert len(checked.data) <= limit
    half = channel_attachments._reencode(Image.open(io.BytesIO(upload)), "PNG", None, len(upload) // 2, 0)
    assert len(half.data) <= len(upload) // 2 and half.width < 300 and half.height < 300
    with pytest.raises(ImageRefused) as refused:
        channel_attachments._reencode(Image.open(io.BytesIO(upload)), "PNG", None, 50, 0)
    assert (refused.value.status, refused.value.code) == (413, "too_large")


def test_unsent_customer_photos_expire_and_photos_on_a_ticket_stay(uow, monkeypatch):
    from datetime import timedelta

    from sqlalchemy import update

    from bot.storage.db import AttachmentRow
    from bot.text import utcnow

    small = io.BytesIO()
    Image.new("RGB", (20, 20), (9, 9, 9)).save(small, "PNG")
    data = small.getvalue()
    ticket = make_ticket(uow, "conv-keep")
    unsent = attachments_service.store(SqlAlchemyUnitOfWork(), data, "conv-keep", "webchat", "customer")
    filed = attachments_service.store(SqlAlchemyUnitOfWork(), data, "conv-keep", "webchat", "customer")
    recent = attachments_service.store(SqlAlchemyUnitOfWork(), data, "conv-keep", "webchat", "customer")
    with SqlAlchemyUnitOfWork() as u:
        u.attachments.link_ticket(filed.attachment_id, ticket.ticket_id)
        u.tickets.claim(ticket.ticket_id, "ann")
        u.commit()
    _, agents = attachments_service.agent_reply_photo(SqlAlchemyUnitOfWork(), ticket.ticket_id, "ann", data)
    old = utcnow() - timedelta(hours=25)
    with RowsUnitOfWork() as u:
        u.execute(update(AttachmentRow).where(AttachmentRow.id != recent.attachment_id)
                  .values(created_at=old))
        u.commit()
    monkeypatch.setenv("PHOTO_UNSENT_RETENTION_S", "0")
    assert attachments_service.expire_unsent(SqlAlchemyUnitOfWork()) == 0  # 0: kept
    monkeypatch.setenv("PHOTO_UNSENT_RETENTION_S", str(24 * 3600))
    assert attachments_service.expire_unsent(SqlAlchemyUnitOfWork()) == 1
    with SqlAlchemyUnitOfWork() as u:
        assert u.attachments.get(unsent.attachment_id) is None
        assert all(u.attachments.get(kept.attachment_id) is not None
                   for kept in (filed, recent, agents))


# --- rev14 #10 (the brief's #13): thumbnails -----------------------------------------------------------

def test_a_large_photo_gets_a_small_preview_and_a_small_one_is_its_own(uow):
    big = io.BytesIO()
    Image.new("RGBA", (1600, 1200), (200, 10, 10, 255)).save(big, "PNG")
    checked = check_image(big.getvalue(), 5 * MB, PIXELS, thumbnail_px=480)
    preview = Image.open(io.BytesIO(checked.thumbnail))
    assert max(preview.size) == 480 and preview.size == (480, 360)
    assert checked.thumbnail_type == "image/" + preview.format.lower()
    small = io.BytesIO()
    Image.new("RGB", (300, 200), (1, 2, 3)).save(small, "JPEG")
    assert check_image(small.getvalue(), 5 * MB, PIXELS, thumbnail_px=480).thumbnail is None
    # a preview that would not be smaller than the picture (a q5 JPEG) is not kept
    assert check_image(noisy_jpeg((800, 600)), 5 * MB, PIXELS, thumbnail_px=480).thumbnail is None

    stored = attachments_service.store(SqlAlchemyUnitOfWork(), big.getvalue(), "conv-thumb", "webchat", "customer")
    again = attachments_service.for_agent(SqlAlchemyUnitOfWork(), stored.attachment_id)
    assert again.thumbnail == checked.thumbnail or Image.open(io.BytesIO(again.thumbnail)).size == (480, 360)
    summary = again.summary("/agent/api/attachments/" + again.attachment_id)
    assert summary["thumbnail_url"] == f"/agent/api/attachments/{again.attachment_id}?size=thumb"
    assert channel_attachments.thumbnail_url("/chat/api/attachments/x?sig=y") == "/chat/api/attachments/x?sig=y&size=thumb"
    data, content_type = again.rendition("thumb")
    assert Image.open(io.BytesIO(data)).size == (480, 360) and content_type == again.thumbnail_type
    assert again.rendition(None) == (again.data, "image/png")


def test_a_photo_sent_before_the_hand_over_is_linked_to_the_new_ticket_and_not_expired(uow, monkeypatch):
    """The packet shows photos the customer sent to the bot before asking for a person: they must
    stay with the ticket, not be cleaned up as unsent."""
    from datetime import timedelta

    from sqlalchemy import update

    from bot.handover.policy import Decision, load_config
    from bot.services.handover import Conversation, hand_over
    from bot.storage.db import AttachmentRow
    from bot.text import utcnow

    small = io.BytesIO()
    Image.new("RGB", (20, 20), (9, 9, 9)).save(small, "PNG")
    early = attachments_service.store(SqlAlchemyUnitOfWork(), small.getvalue(), "conv-early", "webchat", "customer")
    other = attachments_service.store(SqlAlchemyUnitOfWork(), small.getvalue(), "conv-other", "webchat", "customer")
    now = utcnow()
    events = [{"event": "user", "text": "[photo]", "timestamp": now.timestamp() - 60, "input_channel": "webchat",
               "metadata": {"attachment_id": early.attachment_id}},
              {"event": "user", "text": "[photo]", "timestamp": now.timestamp() - 50, "input_channel": "webchat",
               "metadata": {"attachment_id": other.attachment_id}},  # not this conversation's
              {"event": "user", "text": "agent please", "timestamp": now.timestamp(), "input_channel": "webchat",
               "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
    done = hand_over(SqlAlchemyUnitOfWork(), Conversation("conv-early", events, {"language": "en"}, "agent please",
                                                          "webchat"),
                     Decision("customer_request", "asked"), load_config(), now=now)
    with RowsUnitOfWork() as u:
        assert u.attachments.get(early.attachment_id).ticket_id == done.ticket.ticket_id
        assert u.attachments.get(other.attachment_id).ticket_id is None
        u.execute(update(AttachmentRow).values(created_at=now - timedelta(days=2)))
        u.commit()
    assert attachments_service.expire_unsent(SqlAlchemyUnitOfWork(), retention_s=3600) == 1  # only "other"
    with SqlAlchemyUnitOfWork() as u:
        assert u.attachments.get(early.attachment_id) is not None


@pytest.mark.parametrize("mode,kind", [("I;16", "PNG"), ("LA", "PNG"), ("CMYK", "JPEG"), ("RGBA", "WEBP"),
                                       ("P", "GIF")])
def test_previews_of_every_accepted_mode(mode, kind):
    out = io.BytesIO()
    noise = Image.effect_noise((900, 700), 40)  # photo-like detail: a preview is much smaller
    if mode == "I;16":
        Image.new("I;16", (900, 700), 3000).save(out, kind)
    else:
        (noise.convert(mode) if mode != "LA" else Image.merge("LA", (noise, noise))).save(out, kind)
    checked = check_image(out.getvalue(), 5 * MB, PIXELS, thumbnail_px=480)
    assert (checked.width, checked.height) == (900, 700)
    assert checked.thumbnail is not None and Image.open(io.BytesIO(checked.thumbnail)).size == (480, 373)


# --- rev14b #1: an MPO header does not get a JPEG past the scan limit --------------------------------

def mpo(size=(256, 256), repeat: int = 0) -> bytes:
    """A two-frame MPO written by Pillow (a JPEG with an APP2 "MPF" header; Pillow opens it as "MPO"),
    its first frame a progressive JPEG with its smallest AC scan repeated ``repeat`` times before that
    frame's EOI (the reviewer's make_mpo_scan_bomb.py, made small)."""
    out = io.BytesIO()
    Image.new("L", size, 128).save(out, "MPO", save_all=True, append_images=[Image.new("L", (8, 8), 0)],
                                   progressive=True, quality=90)
    data, pos, scans = out.getvalue(), 2, []
    while True:
        code = data[pos + 1]
        if code == 0xD9:
            eoi = pos
            break
        end = pos + 2 + struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if code == 0xDA:
            while not (data[end] == 0xFF and data[end + 1] != 0x00 and not 0xD0 <= data[end + 1] <= 0xD7):
                end += 1
            scans.append(data[pos:end])
        pos = end
    return data[:eoi] + min(scans[1:], key=len) * repeat + data[eoi:]


def test_an_mpo_scan_bomb_is_refused_before_anything_is_decoded(monkeypatch):
    from PIL import ImageFile

    bomb = mpo(repeat=2000)
    with Image.open(io.BytesIO(bomb)) as opened:
        assert opened.format == "MPO"  # what made the old check skip the scan count
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(1) or real_load(self))
    with pytest.raises(ImageRefused) as refused:
        check_image(bomb, 5 * MB, PIXELS)
    assert (refused.value.status, refused.value.code) == (413, "too_many_scans")
    assert decoded == []


def test_an_ordinary_mpo_is_accepted_as_its_first_frame_a_plain_jpeg():
    checked = check_image(mpo(size=(300, 200)), 5 * MB, PIXELS)
    assert (checked.content_type, checked.width, checked.height) == ("image/jpeg", 300, 200)
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.format == "JPEG" and getattr(stored, "n_frames", 1) == 1


def test_a_format_outside_the_accepted_list_is_refused_before_decoding(monkeypatch):
    from PIL import ImageFile, JpegImagePlugin

    decoded, verified = [], []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(1) or real_load(self))
    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "verify", lambda self: verified.append(1))
    monkeypatch.setattr(channel_attachments, "_accepted_format", lambda name: "NOT-ACCEPTED")
    with pytest.raises(ImageRefused) as refused:
        check_image(progressive_jpeg(), 5 * MB, PIXELS)
    assert (refused.value.status, refused.value.code) == (415, "not_an_image")
    assert decoded == [] and verified == []


def test_a_check_past_its_wall_clock_deadline_is_killed_busy_and_the_pool_recovers(tmp_path):
    """A check that uses no CPU but never ends (a machine too busy, a stuck decoder) is killed at the
    wall-clock deadline and answered ImagesBusy (503); the next call gets a new worker process."""
    from bot.services import ImagePool, ImagesBusy

    started, never = str(tmp_path / "started"), str(tmp_path / "never")

    async def scenario(pool):
        with pytest.raises(ImagesBusy):
            await pool.run(wait_for_file, started, never)
        assert pool.replaced == 1 and pool.pending == 0
        pool.wall_s = None  # the next call may take as long as the machine needs to start a worker
        assert await pool.run(burn_cpu, 0.0) == "done"

    pool = ImagePool(workers=1, queue=0, cpu_s=0, wall_s=1.0)
    try:
        asyncio.run(asyncio.wait_for(scenario(pool), timeout=180))
    finally:
        pool.close()
