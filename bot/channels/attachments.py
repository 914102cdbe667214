"""Photos customers and agents send (issue 14): the content check, the stored record and its repository.

- :func:`check_image` decides by content, never by file name or declared
  type: only PNG, JPEG, WebP and GIF that Pillow opens, verifies and decodes
  whole are accepted (an SVG or HTML file renamed ``.png`` is not an image to
  Pillow); a byte limit and a pixel limit (decompression bombs) are checked
  before anything is decoded; the picture is re-encoded, which drops EXIF
  (GPS position, camera), comments and any trailing bytes (a JPEG is first
  turned upright by its EXIF orientation; a GIF keeps its first frame).
- Decoding work is bounded before anything is decoded: besides the bytes and
  pixels, a JPEG may have at most ``max_scans`` scans (SOS markers, counted by
  :func:`jpeg_scan_count`; ``JPEG_MAX_SCANS``, default 100). A progressive JPEG
  makes the decoder walk every block once per scan, so a small file repeating
  one scan thousands of times costs minutes of CPU (the "scan bomb", rev14 #14);
  The count runs on any data starting ``FF D8`` (Pillow calls a JPEG with an
  MP header "MPO", rev14b #1), and a format outside :data:`CONTENT_TYPES` is
  refused before decoding; an MPO is accepted as its first frame only.
  libjpeg-turbo itself offers the same guard only through its own tools
  (``djpeg -maxscans``, TurboJPEG's ``TJPARAM_SCANLIMIT``), which Pillow does
  not expose. Ordinary progressive JPEGs have about 10 scans (libjpeg's default
  script), optimised ones (mozjpeg) a few dozen at most.
- :class:`SqlAlchemyAttachmentRepository`: the ``attachments`` table
  (migration 0007) holds the bytes, so every Rasa server can serve them.
- :func:`customer_signature`: the proof in a customer's picture URL. A web chat
  session id is the session owner's secret (bot/channels/webchat.py, 128 random
  bits the server issued); a URL carries HMAC-SHA256(session id, attachment id)
  instead of the id itself, so an ``<img>`` can load it without headers and a
  shared picture link does not give the chat away.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.storage.db import AttachmentRow, as_utc, utcnow
from bot.storage.repositories import AttachmentRepository

# Pillow format name -> the content type we store and serve.
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}
ATTACHMENT_ID = re.compile(r"[0-9a-f]{32}")
DEFAULT_MAX_SCANS = 100  # JPEG_MAX_SCANS: see the module docstring
DEFAULT_THUMBNAIL_PX = 480  # PHOTO_THUMBNAIL_PX: the preview's longest side
# In a JPEG's entropy-coded data 0xFF is followed by 0x00 (a stuffed byte) or a restart marker
# 0xD0-0xD7; anything else starts the next marker.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_STANDALONE = frozenset([0x01, 0xD8] + list(range(0xD0, 0xD8)))  # markers without a length
UPLOADERS = ("customer", "agent")
PHOTO_TEXT = {"en": "[photo]", "zh": "[图片]"}  # the text of a message that carries a photo


class ImageRefused(ValueError):
    """The upload is not accepted: ``status`` 400 (empty), 413 (too large: bytes or pixels) or 415
    (not a PNG, JPEG, WebP or GIF image by its content); ``code`` names it for clients."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code, self.status = code, status

    def __reduce__(self) -> Any:  # pickled whole: picture checks run in worker processes (rev14c #1)
        return (ImageRefused, (self.code, str(self), self.status))


class PhotoQuotaExceeded(ImageRefused):
    """A conversation sent as many photos (or bytes of photos) as its period allows (429, code
    ``photo_quota``); ``retry_after_s``: seconds until the oldest photo of the period leaves it."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__("photo_quota", message, 429)
        self.retry_after_s = max(1.0, float(retry_after_s))


@dataclass(frozen=True)
class CheckedImage:
    """An accepted picture, re-encoded: ``data`` (bytes), ``content_type``, ``width``/``height`` (pixels);
    ``thumbnail``/``thumbnail_type`` its preview (None when the picture is small enough to be its own)."""

    data: bytes = field(repr=False)
    content_type: str
    width: int
    height: int
    thumbnail: Optional[bytes] = field(repr=False, default=None)
    thumbnail_type: Optional[str] = None

    @property
    def sha256(self) -> str:
        """Lowercase hex SHA-256 of ``data``."""
        return hashlib.sha256(self.data).hexdigest()


def jpeg_scan_count(data: bytes, stop_after: Optional[int] = None) -> int:
    """The number of scans (SOS markers) in the JPEG ``data``, found by walking its segments and
    skipping each scan's entropy-coded data; never decodes anything (linear in the bytes, in C:
    ``re``). Stops early once the count passes ``stop_after``. Data that is not a JPEG or ends
    early gives the scans seen so far (0 for no JPEG at all); the decoder refuses such data anyway.

    Args:
        data: the uploaded bytes.
        stop_after: stop counting once the count exceeds this (None: count them all).

    Returns:
        The number of scans seen (0 when ``data`` is not a JPEG).
    """
    if data[:2] != b"\xff\xd8":
        return 0
    count, pos, end = 0, 2, len(data)
    while pos + 1 < end:
        if data[pos] != 0xFF:  # garbage between segments: look for the next marker
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                break
            pos = found.start()
            continue
        code = data[pos + 1]
        if code == 0xFF:  # fill byte
            pos += 1
            continue
        if code == 0xD9:  # EOI
            break
        if code in _STANDALONE or code == 0x00:
            pos += 2
            continue
        if pos + 4 > end:
            break
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        pos += 2 + length
        if code == 0xDA:  # SOS: a scan header, then its entropy-coded data up to the next marker
            count += 1
            if stop_after is not None and count > stop_after:
                break
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                break
            pos = found.start()
    return count


def check_image(data: Any, max_bytes: int, max_pixels: int, max_scans: int = DEFAULT_MAX_SCANS,
                thumbnail_px: int = DEFAULT_THUMBNAIL_PX) -> CheckedImage:
    """Accept ``data`` only if it is a PNG, JPEG, WebP or GIF picture by content; re-encode it.

    Args:
        data: the uploaded bytes.
        max_bytes: the largest upload accepted (bytes).
        max_pixels: the most pixels (width x height) accepted: larger pictures are refused
            before they are decoded (decompression bombs).
        max_scans: the most scans a JPEG may have (:func:`jpeg_scan_count`), counted before
            decoding (0: no limit).
        thumbnail_px: the preview's longest side (pixels; 0: no preview).

    Returns:
        The re-encoded picture (metadata stripped; at most ``max_bytes`` too: re-encoded at lower
        quality or scaled down when needed, see ``_reencode``), its preview, and what it is.

    Raises:
        ImageRefused: 400 ``empty``; 413 ``too_large`` (bytes) or ``too_many_pixels``;
            415 ``not_an_image`` (another format, SVG, HTML, truncated or corrupt data);
            413 ``too_many_scans`` (a JPEG with more than ``max_scans`` scans); 413 ``too_large``
            also when the re-encoded picture cannot be brought under ``max_bytes``.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not isinstance(data, (bytes, bytearray)) or not data:
        raise ImageRefused("empty", "The upload is empty: send the picture's bytes.", 400)
    if len(data) > max_bytes:
        raise ImageRefused("too_large", f"Pictures can be at most {max_bytes} bytes; this one has {len(data)}.", 413)
    not_image = ImageRefused("not_an_image", "Only PNG, JPEG, WebP and GIF pictures are accepted "
                                             "(the content is checked, not the file name).", 415)
    data = bytes(data)
    # rev14b #1: the scans are counted for every JPEG-family upload (anything starting FF D8, which
    # Pillow may call "JPEG" or "MPO"), before Pillow even opens it. For an MPO this counts the scans
    # of its first frame, the only frame ever decoded.
    if max_scans and data[:2] == b"\xff\xd8" and jpeg_scan_count(data, max_scans) > max_scans:
        raise ImageRefused("too_many_scans", f"JPEG pictures can have at most {max_scans} scans; "
                                             "save this one again as an ordinary JPEG.", 413)
    try:
        # Pillow itself refuses (DecompressionBombError) past twice its MAX_IMAGE_PIXELS; our own
        # limit is checked from the header, before anything is decoded.
        with Image.open(io.BytesIO(data), formats=list(CONTENT_TYPES)) as probe:
            kind, (width, height) = _accepted_format(probe.format), probe.size
            if kind not in CONTENT_TYPES:  # refused before anything is decoded
                raise not_image
            if width * height > max_pixels:
                raise ImageRefused("too_many_pixels", f"Pictures can have at most {max_pixels} pixels; "
                                                      f"this one has {width} x {height}.", 413)
            probe.verify()  # structure and checksums, without decoding
        with Image.open(io.BytesIO(data), formats=list(CONTENT_TYPES)) as image:
            image.load()  # decodes the first frame only (GIF, MPO): a truncated picture fails here
            return _reencode(image, kind, ImageOps, max_bytes, thumbnail_px)
    except ImageRefused:
        raise
    except Image.DecompressionBombError:
        raise ImageRefused("too_many_pixels", f"Pictures can have at most {max_pixels} pixels.", 413) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, MemoryError,
            IndexError, TypeError, KeyError, ZeroDivisionError):
        raise not_image from None


def _accepted_format(pillow_format: Optional[str]) -> Optional[str]:
    """The format a picture is accepted (and re-encoded) as: Pillow's name, except that an MPO (a
    JPEG whose APP2 "MPF" header names more frames, as some phone cameras write) is its first frame,
    an ordinary JPEG; later frames are never decoded and the re-encoded picture is a plain JPEG."""
    return "JPEG" if pillow_format == "MPO" else pillow_format


def _encode(image: Any, kind: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def _jpeg_tables(image: Any) -> Dict[str, Any]:
    """The upload's own quantization tables and chroma subsampling (so the re-encoded JPEG keeps its
    quality and about its size), or ``{}`` when Pillow found none."""
    from PIL import JpegImagePlugin

    tables = getattr(image, "quantization", None)
    if not tables:
        return {}
    options: Dict[str, Any] = {"qtables": tables}
    sampling = JpegImagePlugin.get_sampling(image)
    if sampling != -1:
        options["subsampling"] = sampling
    return options


MAX_ENCODES = 3  # encodes of the picture itself in _reencode (the preview is one more, of a small copy)
SAMPLE_ABOVE_PIXELS = 4_000_000  # a larger JPEG/WebP is first sized from a half-scale sample (rev14c #1)


def _reencode(image: Any, kind: str, image_ops: Any, max_bytes: int, thumbnail_px: int) -> CheckedImage:
    """Write ``image`` anew in its own format, without EXIF, XMP, ICC comments or text chunks, at
    most ``max_bytes`` long (rev14 #2: re-encoding must not turn a 3.8 MB upload into 12 MB), with at
    most :data:`MAX_ENCODES` encodes of the picture besides one of a quarter-size sample (rev14c #1: the
    ladder must not multiply the work; a tiled lossless WebP of 25 MP once took seven full-size
    encodes, 20 s of CPU; now a sample and one encode of the scaled picture):

    1. JPEG with the upload's own quantization tables (its quality; the size stays close to the
       upload's), WebP at quality 88, PNG and GIF losslessly;
    0. a JPEG/WebP over :data:`SAMPLE_ABOVE_PIXELS`: a half-scale copy (a quarter of the pixels) is
       encoded first; when 4 x its size is far over ``max_bytes`` (1.5 x), the full-size encode is
       skipped and the picture scaled to fit straight away (the 25-MP bomb is never encoded whole);
    2. a JPEG/WebP of at most ``SAMPLE_ABOVE_PIXELS`` at most 1.5 x over ``max_bytes``: once more at
       quality 60 (usually a third smaller; a larger picture goes straight to step 3);
    3. still over (or far over from the start): the picture scaled down once to fit, each side by
       sqrt(max_bytes / size) x 0.85 (bytes grow about with the pixels at one quality), encoded as
       the last step was;
    4. still over: one more such step if an encode is left, else refused 413 ``too_large``.

    Also makes the preview (``thumbnail``) when the picture is larger than ``thumbnail_px`` on a side
    and the preview comes out smaller than the picture.
    """
    from PIL import Image

    if kind == "JPEG":
        upright = image_ops.exif_transpose(image)  # the picture as the camera meant it, then EXIF goes
        clean = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
        tables = _jpeg_tables(image)
        options = dict(tables, optimize=True) if tables else dict(quality=88, optimize=True)
        lower: Optional[Dict[str, Any]] = dict(quality=60, optimize=True)
    elif kind == "PNG":
        options = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
        clean = image.copy()
        clean.info = {}
        lower = None
    elif kind == "WEBP":
        clean = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        options, lower = dict(quality=88), dict(quality=60)
    else:  # GIF: the first frame
        image.seek(0)
        clean = image.convert("RGBA")
        options, lower = {}, None
    sampled = lower is not None and clean.width * clean.height > SAMPLE_ABOVE_PIXELS
    if sampled:
        estimate = 4 * len(_encode(clean.reduce(2), kind, **options))  # bytes grow about with the pixels
        if estimate > 1.5 * max_bytes:
            scale = (max_bytes / estimate) ** 0.5 * 0.85
            clean = clean.resize((max(1, int(clean.width * scale)), max(1, int(clean.height * scale))),
                                 Image.Resampling.LANCZOS)
    data = _encode(clean, kind, **options)
    encodes = 1
    if len(data) > max_bytes and lower is not None and not sampled and len(data) <= 1.5 * max_bytes:
        options = lower
        data = _encode(clean, kind, **options)
        encodes += 1
    while len(data) > max_bytes and encodes < MAX_ENCODES:
        scale = (max_bytes / len(data)) ** 0.5 * 0.85
        clean = clean.resize((max(1, int(clean.width * scale)), max(1, int(clean.height * scale))),
                             Image.Resampling.LANCZOS)
        data = _encode(clean, kind, **options)
        encodes += 1
    if len(data) > max_bytes:
        raise ImageRefused("too_large", f"Pictures can be at most {max_bytes} bytes once checked; this one "
                                        "could not be made that small.", 413)
    thumb, thumb_type = _thumbnail(clean, kind, thumbnail_px)
    if thumb is not None and len(thumb) >= len(data):  # e.g. a very low-quality JPEG: no smaller preview
        thumb, thumb_type = None, None
    return CheckedImage(data, CONTENT_TYPES[kind], clean.width, clean.height, thumb, thumb_type)


def _thumbnail(image: Any, kind: str, max_px: int) -> Tuple[Optional[bytes], Optional[str]]:
    """``(bytes, content type)`` of a preview at most ``max_px`` on each side (JPEG quality 80; with
    transparency PNG, or WebP quality 80 for a WebP), or ``(None, None)`` when the picture is no larger (then the
    preview is the picture itself) or ``max_px`` is 0."""
    from PIL import Image

    if not max_px or max(image.width, image.height) <= max_px:
        return None, None
    try:
        small = image.copy()
        small.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        if small.mode in ("RGBA", "LA", "P", "PA") and kind == "WEBP":
            return _encode(small.convert("RGBA"), "WEBP", quality=80), "image/webp"
        if small.mode in ("RGBA", "LA", "P", "PA") and kind in ("PNG", "GIF"):
            return _encode(small.convert("RGBA"), "PNG", optimize=True), "image/png"
        if small.mode not in ("RGB", "L"):  # e.g. 16-bit grey: Pillow has no direct path to RGB
            small = small.convert("RGBA").convert("RGB") if small.mode != "I;16" else small.point(
                lambda v: v / 256).convert("L")
        return _encode(small, "JPEG", quality=80, optimize=True), "image/jpeg"
    except (ValueError, OSError):  # a mode Pillow cannot turn into a preview: the picture is its own
        return None, None


def new_attachment_id() -> str:
    """A new attachment id: 32 random hex characters (128 bits)."""
    return secrets.token_hex(16)


def valid_attachment_id(value: Any) -> bool:
    """True if ``value`` looks like an attachment id (32 lowercase hex characters).

    Args:
        value: anything (a URL segment, a JSON value).

    Returns:
        True or False.
    """
    return isinstance(value, str) and bool(ATTACHMENT_ID.fullmatch(value))


def customer_signature(key: str, attachment_id: str) -> str:
    """The proof a customer URL carries: hex HMAC-SHA256 keyed by ``key`` (the web chat session's
    photo key, ``bot.channels.webchat.photo_key``: a hash of the owner's secret that agents never
    see) over the attachment id.

    Args:
        key: the web chat session's photo key.
        attachment_id: the picture's id.

    Returns:
        64 hex characters.
    """
    return hmac.new(key.encode("utf-8"), attachment_id.encode("ascii"), hashlib.sha256).hexdigest()


def signature_ok(key: str, attachment_id: str, given: Any) -> bool:
    """Constant-time check of a customer URL's signature (made with ``key``).

    Args:
        key: the web chat session's photo key.
        attachment_id: the picture's id.
        given: the ``sig`` query parameter as received (any type).

    Returns:
        True only when ``given`` is the signature :func:`customer_signature` makes.
    """
    if not isinstance(given, str) or len(given) != 64:
        return False
    return hmac.compare_digest(customer_signature(key, attachment_id), given)


def customer_url(key: str, attachment_id: str) -> str:
    """Where the customer's browser loads a picture (relative to the Rasa server): the web chat's
    route, signed with ``key`` (the session's photo key).

    Args:
        key: the web chat session's photo key.
        attachment_id: the picture's id.

    Returns:
        ``/chat/api/attachments/<id>?sig=<signature>``.
    """
    return f"/chat/api/attachments/{attachment_id}?sig={customer_signature(key, attachment_id)}"


def agent_url(attachment_id: str) -> str:
    """Where the desk loads a picture (with the agent's bearer token).

    Args:
        attachment_id: the picture's id.

    Returns:
        ``/agent/api/attachments/<id>``.
    """
    return f"/agent/api/attachments/{attachment_id}"


def thumbnail_url(url: str) -> str:
    """``url`` (a picture's customer or desk URL) asking for its preview: ``size=thumb`` added.

    Args:
        url: a picture URL (with or without a query).

    Returns:
        The URL with ``size=thumb``.
    """
    return url + ("&" if "?" in url else "?") + "size=thumb"


@dataclass(frozen=True)
class Attachment:
    """A stored photo: who sent it where, what it is, and its bytes (``data``, not in repr)."""

    attachment_id: str
    conversation_id: str
    channel: str
    ticket_id: Optional[str]
    uploader: str
    uploaded_by: Optional[str]
    content_type: str
    size: int
    width: int
    height: int
    sha256: str
    created_at: datetime
    data: bytes = field(repr=False, default=b"")
    thumbnail: Optional[bytes] = field(repr=False, default=None)
    thumbnail_type: Optional[str] = None

    def summary(self, url: Optional[str] = None) -> Dict[str, Any]:
        """``{id, content_type, size, width, height}`` plus ``url`` when given: what transcripts carry;
        with ``thumbnail_url`` (the same URL with ``size=thumb``) when the photo has a preview.

        Args:
            url: the URL the reader loads the picture from (customer's or desk's), or None to leave it out.

        Returns:
            The summary dict.
        """
        out: Dict[str, Any] = {"id": self.attachment_id, "content_type": self.content_type, "size": self.size,
                               "width": self.width, "height": self.height}
        if url is not None:
            out["url"] = url
            if self.thumbnail:
                out["thumbnail_url"] = thumbnail_url(url)
        return out

    def rendition(self, size: Any = None) -> Tuple[bytes, str]:
        """``(bytes, content type)`` to serve: the preview for ``size == "thumb"`` when there is one,
        else the picture itself.

        Args:
            size: the ``size`` query parameter (``thumb`` for the preview; anything else: the picture).

        Returns:
            ``(bytes, content type)``.
        """
        if size == "thumb" and self.thumbnail:
            return self.thumbnail, self.thumbnail_type or "image/jpeg"
        return self.data, self.content_type

    @property
    def filename(self) -> str:
        """A safe download name: ``photo-<first 8 of the id>.<extension>``."""
        return f"photo-{self.attachment_id[:8]}.{EXTENSIONS.get(self.content_type, 'bin')}"


def _attachment(row: AttachmentRow) -> Attachment:
    return Attachment(row.id, row.conversation_id, row.channel, row.ticket_id, row.uploader, row.uploaded_by,
                      row.content_type, row.size, row.width, row.height, row.sha256, row.created_at,
                      bytes(row.data or b""), bytes(row.thumbnail) if row.thumbnail else None, row.thumbnail_type)


class SqlAlchemyAttachmentRepository(AttachmentRepository):
    """The ``attachments`` table (migration 0007)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, image: CheckedImage, conversation_id: str, channel: str, uploader: str,
            uploaded_by: Optional[str] = None, ticket_id: Optional[str] = None) -> Attachment:
        """Store a checked picture under a new random id; returns it.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if uploader not in UPLOADERS:
            raise ValueError(f"uploader must be one of {UPLOADERS}")
        row = AttachmentRow(id=new_attachment_id(), conversation_id=conversation_id[:128], channel=channel[:16],
                            ticket_id=ticket_id, uploader=uploader, uploaded_by=uploaded_by,
                            content_type=image.content_type, size=len(image.data), width=image.width,
                            height=image.height, sha256=image.sha256, data=image.data, created_at=utcnow(),
                            thumbnail=image.thumbnail, thumbnail_type=image.thumbnail_type)
        self.session.add(row)
        self.session.flush()
        return _attachment(row)

    def get(self, attachment_id: str) -> Optional[Attachment]:
        """The attachment with its bytes, or None (also for a malformed id).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if not valid_attachment_id(attachment_id):
            return None
        row = self.session.get(AttachmentRow, attachment_id)
        return _attachment(row) if row is not None else None

    def usage(self, conversation_id: str, uploader: str, since: datetime) -> Tuple[int, int, Optional[datetime]]:
        """``(count, bytes, oldest)`` of the photos ``uploader`` sent in ``conversation_id`` from
        ``since`` (UTC) on; ``oldest`` the first one's time (None when there are none). One aggregate
        over the conversation's index.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        count, size, oldest = self.session.execute(
            select(func.count(), func.coalesce(func.sum(AttachmentRow.size), 0), func.min(AttachmentRow.created_at))
            .where(AttachmentRow.conversation_id == conversation_id[:128], AttachmentRow.uploader == uploader,
                   AttachmentRow.created_at >= since)).one()
        return int(count), int(size), as_utc(oldest) if oldest is not None else None

    def delete_unfiled(self, before: datetime, limit: int = 500) -> int:
        """Delete up to ``limit`` customer photos uploaded before ``before`` (UTC) and filed on no
        ticket (uploaded but never sent to a person); returns how many. Uses the ``created_at`` index.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ids = self.session.execute(
            select(AttachmentRow.id).where(AttachmentRow.uploader == "customer", AttachmentRow.ticket_id.is_(None),
                                           AttachmentRow.created_at < before).limit(limit)).scalars().all()
        if ids:
            self.session.execute(delete(AttachmentRow).where(AttachmentRow.id.in_(ids),
                                                             AttachmentRow.ticket_id.is_(None)))
        return len(ids)

    def link_ticket(self, attachment_id: str, ticket_id: str) -> None:
        """Record the ticket a customer's photo was filed on (first ticket wins).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.session.execute(update(AttachmentRow).where(AttachmentRow.id == attachment_id,
                                                         AttachmentRow.ticket_id.is_(None))
                             .values(ticket_id=ticket_id))


__all__: List[str] = ["ImageRefused", "PhotoQuotaExceeded", "CheckedImage", "check_image", "Attachment", "SqlAlchemyAttachmentRepository",
                      "customer_signature", "signature_ok", "customer_url", "agent_url",
                      "valid_attachment_id", "PHOTO_TEXT", "jpeg_scan_count", "thumbnail_url"]
