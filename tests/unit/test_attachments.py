"""Photos (issue 14): the content check, storage on SQLite (and PostgreSQL), filing on the ticket, the desk view."""
import io
import struct
import zlib
from datetime import datetime, timezone

import pytest
from PIL import Image

from bot.channels.attachments import (ImageRefused, check_image, customer_signature, customer_url,
                                      signature_ok)
from bot.services import attachments as attachments_service
from bot.services import desk
from bot.services import tickets as tickets_service
from bot.handover.policy import load_config
from bot.storage.fakes import FakeUnitOfWork
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.rows import RowsUnitOfWork
from tests.unit.test_tickets import make_ticket

MB = 1024 * 1024
PIXELS = 25_000_000
NOW = datetime.now(timezone.utc)


def picture(kind: str = "PNG", size=(40, 30), color=(200, 30, 30), **save) -> bytes:
    """A real picture Pillow made."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind, **save)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')
HTML = b"<!doctype html><html><body><script>fetch('/agent/api/queue')</script></body></html>"


@pytest.mark.parametrize("kind,content_type", [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                               ("WEBP", "image/webp"), ("GIF", "image/gif")])
def test_real_pictures_are_accepted_with_the_type_their_content_says(kind, content_type):
    checked = check_image(picture(kind), 5 * MB, PIXELS)
    assert (checked.content_type, checked.width, checked.height) == (content_type, 40, 30)
    assert Image.open(io.BytesIO(checked.data)).format == kind  # re-encoded, still that format
    assert len(checked.sha256) == 64


@pytest.mark.parametrize("name,data", [("svg renamed .png", SVG), ("html renamed .png", HTML),
                                       ("text", b"hello"), ("pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
                                       ("bmp", picture("BMP")), ("tiff", picture("TIFF"))])
def test_anything_but_png_jpeg_webp_gif_is_refused_415_whatever_its_name(name, data):
    with pytest.raises(ImageRefused) as refused:
        check_image(data, 5 * MB, PIXELS)
    assert refused.value.status == 415 and refused.value.code == "not_an_image", name


def test_a_truncated_png_is_refused():
    whole = picture("PNG", size=(300, 200), color=(1, 2, 3))
    noisy = io.BytesIO()
    Image.effect_noise((300, 200), 80).save(noisy, "PNG")  # noise: the image data is long
    for data in (whole[: len(whole) // 2], noisy.getvalue()[: len(noisy.getvalue()) - 300]):
        with pytest.raises(ImageRefused) as refused:
            check_image(data, 5 * MB, PIXELS)
        assert refused.value.status == 415


def test_an_empty_upload_is_400_and_an_oversized_one_413():
    with pytest.raises(ImageRefused) as empty:
        check_image(b"", 5 * MB, PIXELS)
    assert empty.value.status == 400
    big = picture("PNG", size=(600, 600))
    with pytest.raises(ImageRefused) as large:
        check_image(big, len(big) - 1, PIXELS)
    assert large.value.status == 413 and large.value.code == "too_large"
    assert check_image(big, len(big), PIXELS).width == 600


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG that claims ``width`` x ``height`` pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    data = zlib.compress(row * 16, 9)  # only the first rows: the header is what matters
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = bomb_png(50_000, 50_000)  # 2.5 gigapixels in a few hundred bytes
    assert len(bomb) < 10_000
    with pytest.raises(ImageRefused) as refused:
        check_image(bomb, 5 * MB, PIXELS)
    assert refused.value.status == 413 and refused.value.code == "too_many_pixels"
    with pytest.raises(ImageRefused):  # our own limit, below Pillow's
        check_image(picture("PNG", size=(200, 200)), 5 * MB, 200 * 200 - 1)


def test_exif_and_gps_are_stripped():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "SpyCam"  # the test's premise
    checked = check_image(original, 5 * MB, PIXELS)
    cleaned = Image.open(io.BytesIO(checked.data))
    assert not cleaned.getexif() and "exif" not in cleaned.info
    assert b"SpyCam" not in checked.data and b"Exif" not in checked.data


def test_png_text_chunks_and_trailing_bytes_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "home address: 1 Secret Lane")
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "PNG", pnginfo=info)
    checked = check_image(out.getvalue() + b"<script>alert(1)</script>", 5 * MB, PIXELS)
    assert b"Secret Lane" not in checked.data and b"<script>" not in checked.data


def test_a_customer_url_is_signed_with_the_session_and_checked_in_constant_time():
    sig = customer_signature("a" * 32, "b" * 32)
    assert signature_ok("a" * 32, "b" * 32, sig)
    assert not signature_ok("c" * 32, "b" * 32, sig)  # another session's
    assert not signature_ok("a" * 32, "b" * 32, None) and not signature_ok("a" * 32, "b" * 32, sig[:-1])
    assert customer_url("a" * 32, "b" * 32).endswith("?sig=" + sig) and ("a" * 32) not in customer_url("a" * 32, "b" * 32)


def test_the_fake_unit_of_work_stores_and_serves_only_to_the_owner():
    from bot.channels.webchat import photo_key, public_id

    uow = FakeUnitOfWork()
    secret, other = uow.webchat.issue(None), uow.webchat.issue(None)
    conversation = public_id(secret)  # what agents see
    stored = attachments_service.store(uow, picture(), conversation, "webchat", "customer", max_bytes=MB,
                                       max_pixels=PIXELS)
    assert uow.commits == 1 and len(stored.attachment_id) == 32
    assert attachments_service.for_customer(uow, stored.attachment_id, secret).data == stored.data
    assert attachments_service.for_customer(uow, stored.attachment_id, other) is None
    assert attachments_service.for_customer(uow, stored.attachment_id) is None
    # the public conversation id is no proof, neither as the session nor as the URL's key
    assert attachments_service.for_customer(uow, stored.attachment_id, conversation) is None
    forged = customer_signature(conversation, stored.attachment_id)
    assert attachments_service.for_customer(uow, stored.attachment_id, signature=forged) is None
    sig = customer_signature(photo_key(secret), stored.attachment_id)
    assert attachments_service.for_customer(uow, stored.attachment_id, signature=sig) is not None
    assert attachments_service.for_agent(uow, "f" * 32) is None


def test_a_message_may_name_only_a_photo_its_own_customer_sent():
    """The one ownership check of the web chat and REST (review chan29 #3)."""
    uow = FakeUnitOfWork()
    mine = attachments_service.store(uow, picture(), "rest-a", "rest", "customer", max_bytes=MB, max_pixels=PIXELS)
    theirs = attachments_service.store(uow, picture(), "web-b", "webchat", "customer", max_bytes=MB,
                                       max_pixels=PIXELS)
    agents = attachments_service.store(uow, picture(), "rest-a", "rest", "agent", "alice", max_bytes=MB,
                                       max_pixels=PIXELS)
    attachments_service.require_customer_photo(uow, mine.attachment_id, "rest-a")
    attachments_service.require_customer_photo(uow, None, "rest-a")  # no photo: nothing to check
    for photo in (theirs.attachment_id, agents.attachment_id, "f" * 32, "../../etc/passwd", 7):
        with pytest.raises(attachments_service.NotOwnPhoto, match="names no photo this conversation's customer"):
            attachments_service.require_customer_photo(uow, photo, "rest-a")


def test_stored_in_the_database_with_its_facts(uow):
    stored = attachments_service.store(SqlAlchemyUnitOfWork(), jpeg_with_gps(), "conv-1", "webchat", "customer")
    with SqlAlchemyUnitOfWork() as fresh:
        again = fresh.attachments.get(stored.attachment_id)
    assert again.data == stored.data and again.content_type == "image/jpeg"
    assert (again.width, again.height, again.size, again.uploader) == (64, 48, len(stored.data), "customer")
    assert again.conversation_id == "conv-1" and again.sha256 == stored.sha256 and again.ticket_id is None


def test_a_relayed_photo_is_on_the_ticket_transcript_and_in_the_desk_view(uow, always_open):
    ticket = make_ticket(uow, "conv-photo")
    mine = attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "conv-photo", "webchat", "customer")
    theirs = attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "someone-else", "webchat", "customer")
    tickets_service.relay_message(SqlAlchemyUnitOfWork(), "conv-photo", "[photo]", "webchat", load_config(),
                                  mine.attachment_id)
    tickets_service.relay_message(SqlAlchemyUnitOfWork(), "conv-photo", "[photo]", "webchat", load_config(),
                                  theirs.attachment_id)  # not theirs to send: no photo filed
    view = desk.ticket_view(SqlAlchemyUnitOfWork(), ticket.ticket_id, NOW)
    photos = [line.get("attachments") for line in view["transcript"] if line.get("text") == "[photo]"]
    assert photos[0] == [{"id": mine.attachment_id, "content_type": "image/png", "size": mine.size,
                          "width": 40, "height": 30, "url": f"/agent/api/attachments/{mine.attachment_id}"}]
    assert photos[1] is None
    with SqlAlchemyUnitOfWork() as fresh:
        assert fresh.attachments.get(mine.attachment_id).ticket_id == ticket.ticket_id
        assert fresh.attachments.get(theirs.attachment_id).ticket_id is None


def test_an_agent_sends_a_photo_only_on_a_ticket_they_hold(uow):
    from bot.queue.tickets import ClaimConflict

    ticket = make_ticket(uow, "conv-back")
    with pytest.raises(ClaimConflict):
        attachments_service.agent_reply_photo(SqlAlchemyUnitOfWork(), ticket.ticket_id, "ann", picture())
    with SqlAlchemyUnitOfWork() as u:
        u.tickets.claim(ticket.ticket_id, "ann")
        u.commit()
    with pytest.raises(ImageRefused):
        attachments_service.agent_reply_photo(SqlAlchemyUnitOfWork(), ticket.ticket_id, "ann", SVG)
    held, stored = attachments_service.agent_reply_photo(SqlAlchemyUnitOfWork(), ticket.ticket_id, "ann",
                                                         picture("JPEG"))
    assert (stored.uploader, stored.uploaded_by, stored.ticket_id) == ("agent", "ann", ticket.ticket_id)
    view = desk.ticket_view(SqlAlchemyUnitOfWork(), ticket.ticket_id, NOW)
    assert view["transcript"][-1]["from"] == "agent"
    assert view["transcript"][-1]["attachments"][0]["id"] == stored.attachment_id
    message = attachments_service.outgoing_image(stored, "Ann")
    assert message["attachment"] == {"type": "image", "payload": {"src": customer_url("conv-back",
                                                                                      stored.attachment_id)}}


def test_a_photo_sent_before_the_hand_over_is_in_the_packet_transcript():
    from bot.handover.packet import transcript

    lines = transcript([{"event": "user", "text": "[photo]", "timestamp": 1.0, "input_channel": "webchat",
                         "metadata": {"attachment_id": "ab" * 16}},
                        {"event": "user", "text": "[photo]", "timestamp": 2.0, "input_channel": "webchat",
                         "metadata": {"attachment_id": "../../etc/passwd"}}], "web")
    assert lines[0]["attachments"] == [{"id": "ab" * 16, "url": "/agent/api/attachments/" + "ab" * 16}]
    assert "attachments" not in lines[1]


def _no_postgres() -> bool:
    import shutil

    from bench.desk import PG_BIN

    return not (PG_BIN / "initdb").exists() or not shutil.which("runuser")


@pytest.mark.skipif(_no_postgres(), reason="PostgreSQL 15 is not installed (make postgres-deps)")
def test_the_bytes_round_trip_on_postgresql(postgres, monkeypatch):
    from bot.storage.schema import upgrade

    url = postgres("attachments_test")
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    data = picture("PNG", size=(33, 17))
    stored = attachments_service.store(SqlAlchemyUnitOfWork(), data, "pg-conv", "wechat", "customer")
    with SqlAlchemyUnitOfWork() as fresh:
        again = fresh.attachments.get(stored.attachment_id)
    assert again.data == stored.data and (again.width, again.height) == (33, 17)


def test_a_conversations_photos_are_limited_in_number_per_period(uow, monkeypatch):
    """Issue 14: PHOTO_QUOTA_COUNT customer photos per conversation within PHOTO_QUOTA_PERIOD_S; the
    next is 429 ``photo_quota`` with the wait until the oldest leaves the period; agents' photos and
    other conversations do not count; once the period has passed, photos are accepted again."""
    from datetime import timedelta

    from sqlalchemy import update

    from bot.channels.attachments import PhotoQuotaExceeded
    from bot.storage.db import AttachmentRow

    monkeypatch.setenv("PHOTO_QUOTA_COUNT", "2")
    monkeypatch.setenv("PHOTO_QUOTA_PERIOD_S", "3600")
    first = attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "conv-quota", "webchat", "customer")
    attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "conv-quota", "webchat", "agent", "agent1")
    attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "conv-quota", "webchat", "customer")
    with pytest.raises(PhotoQuotaExceeded) as refused:
        attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "conv-quota", "webchat", "customer")
    assert (refused.value.status, refused.value.code) == (429, "photo_quota")
    assert "2 photos for the last 1 hours" in str(refused.value)
    assert 3500 < refused.value.retry_after_s <= 3600
    attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "conv-other", "webchat", "customer")
    # an hour later the first photo has left the period: one more fits
    with RowsUnitOfWork() as moved:
        moved.execute(update(AttachmentRow).where(AttachmentRow.id == first.attachment_id)
                      .values(created_at=datetime.now(timezone.utc) - timedelta(seconds=3601)))
        moved.commit()
    attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "conv-quota", "webchat", "customer")
    with pytest.raises(PhotoQuotaExceeded):
        attachments_service.store(SqlAlchemyUnitOfWork(), picture(), "conv-quota", "webchat", "customer")


def test_a_conversations_photos_are_limited_in_bytes_per_period_and_zero_turns_the_quota_off(monkeypatch):
    from bot.channels.attachments import PhotoQuotaExceeded
    from bot.settings import Settings

    uow = FakeUnitOfWork()
    one = len(attachments_service.store(uow, picture(), "conv-bytes", "webchat", "customer").data)
    monkeypatch.setenv("PHOTO_QUOTA_BYTES", str(2 * one + one // 2))
    attachments_service.store(uow, picture(), "conv-bytes", "webchat", "customer")
    with pytest.raises(PhotoQuotaExceeded, match=f"sent {2 * one} of its {2 * one + one // 2} bytes"):
        attachments_service.store(uow, picture(), "conv-bytes", "webchat", "customer")
    monkeypatch.setenv("PHOTO_QUOTA_BYTES", "0")
    monkeypatch.setenv("PHOTO_QUOTA_COUNT", "0")
    for _ in range(3):
        attachments_service.store(uow, picture(), "conv-bytes", "webchat", "customer")
    defaults = Settings.from_env({})
    assert (defaults.photo_quota_count, defaults.photo_quota_bytes, defaults.photo_quota_period_s) == (
        20, 25 * MB, 24 * 3600)
    with pytest.raises(ValueError, match="PHOTO_QUOTA_COUNT"):
        Settings.from_env({"PHOTO_QUOTA_COUNT": "-1"})
