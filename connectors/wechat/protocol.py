"""The WeChat Official Account protocol as pure functions.

Three layers, as in wechatpy: crypto (signatures, AES), parsing (guarded
XML into wechatpy message objects; unknown types stay "unknown") and
rendering (bot messages into plain text parts that fit WeChat's limit).
Nothing here does I/O or reads the environment, so each piece has fixed
test vectors in tests/channels/test_wechat_protocol.py.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

import xmltodict
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.messages import BaseMessage
from wechatpy.parser import parse_message
from wechatpy.utils import WeChatSigner, random_string

from bot.text import fold_text, has_han, markdown_to_text  # noqa: F401 (markdown_to_text re-exported)
from connectors.xml_text import cdata, clean_document

MODES = ("plain", "compat", "safe")
# WeChat cuts text messages at 2048 bytes of UTF-8 (passive and
# customer-service replies alike); stay a little below.
TEXT_LIMIT_BYTES = 2000
MAX_BODY_BYTES = 64 * 1024
_FORBIDDEN_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class ProtocolError(ValueError):
    """A request that breaks the protocol: the caller answers 4xx."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --- crypto -----------------------------------------------------------------

def sign(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    """SHA-1 over the sorted, concatenated values (URL and msg_signature)."""
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce, *extra)
    return signer.signature


def signature_ok(expected: str, given: Optional[str]) -> bool:
    """Constant-time comparison; wechatpy's own check uses `!=`."""
    if not given:
        return False
    return hmac.compare_digest(expected.encode("ascii"), given.strip().lower().encode("ascii", "replace"))


#: WeChat's ``timestamp`` query value: Unix seconds as ASCII digits. Twelve digits reach the year 33658; a
#: longer value is no time (400 digits made ``now - value`` overflow a float).
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def parse_timestamp(timestamp: object) -> Optional[int]:
    """``timestamp`` (a query value) as Unix seconds, or None unless it is 1-12 ASCII digits.

    Signs, spaces, ``_`` and other scripts' digits, which ``int()`` would take, are refused too:
    WeChat sends plain digits. Never raises.
    """
    if not isinstance(timestamp, str) or not _TIMESTAMP.fullmatch(timestamp):
        return None
    return int(timestamp)


def timestamp_ok(timestamp: Optional[str], now: float, window_s: float) -> bool:
    """True if ``timestamp`` (Unix seconds, as :func:`parse_timestamp` reads them) is within ``window_s``
    seconds of ``now``; False for anything else. Never raises."""
    value = parse_timestamp(timestamp)
    return value is not None and abs(now - value) <= window_s


def check_timestamp(timestamp: object, now: float, window_s: float) -> int:
    """The request's ``timestamp`` as Unix seconds, checked; call it once the signature is verified.

    Args:
        timestamp: the ``timestamp`` query value.
        now: the current Unix time.
        window_s: how far from ``now`` it may be.

    Returns:
        The timestamp (seconds).

    Raises:
        ProtocolError: (400) missing or not Unix seconds (:func:`parse_timestamp`); (403) outside the window
            (a replayed or stale request).
    """
    value = parse_timestamp(timestamp)
    if value is None:
        raise ProtocolError("timestamp must be Unix seconds (1-12 digits)")
    if abs(now - value) > window_s:
        raise ProtocolError("timestamp outside the accepted window", 403)
    return value


def msg_signature_ok(token: str, timestamp: str, nonce: str, encrypt: str, given: Optional[str]) -> bool:
    """True if ``given`` is the ``msg_signature`` of an encrypted message (compared in constant time)."""
    return signature_ok(sign(token, timestamp, nonce, encrypt), given)


def aes_key_valid(encoding_aes_key: Optional[str]) -> bool:
    """True if ``encoding_aes_key`` is WeChat's 43-character EncodingAESKey that wechatpy accepts."""
    if not encoding_aes_key or len(encoding_aes_key) != 43:
        return False
    try:
        WeChatCrypto("t", encoding_aes_key, "a")
    except Exception:
        return False
    return True


def decrypt(token: str, encoding_aes_key: str, app_id: str, encrypt: str,
            msg_signature: Optional[str], timestamp: str, nonce: str) -> str:
    """Check msg_signature (constant time), then decrypt and check the AppId.

    Raises:
        ProtocolError: (403) a bad ``msg_signature``; (400) a body that does not decrypt or another AppId.
    """
    if not msg_signature_ok(token, timestamp, nonce, encrypt, msg_signature):
        raise ProtocolError("bad msg_signature", 403)
    crypto = WeChatCrypto(token, encoding_aes_key, app_id)
    try:
        return PrpCrypto(crypto.key).decrypt(encrypt, app_id)
    except Exception as error:  # InvalidAppIdException, bad base64, bad padding
        raise ProtocolError(f"cannot decrypt message ({type(error).__name__})") from error


def encrypt(token: str, encoding_aes_key: str, app_id: str, xml: str, nonce: Optional[str] = None,
            timestamp: Optional[str] = None) -> str:
    """The <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml> envelope of a passive reply.

    `timestamp` is Unix seconds as digits (default: now); `nonce` defaults to
    16 random letters. The envelope is built by `xml_document`, never by
    formatting strings, so it is well-formed whatever the values.

    Raises:
        ValueError: ``timestamp`` is not Unix seconds as digits.
    """
    nonce = nonce or random_string(16)
    timestamp = str(timestamp or int(time.time()))
    if not timestamp.isdigit():
        raise ValueError("timestamp must be Unix seconds")
    crypto = WeChatCrypto(token, encoding_aes_key, app_id)
    ciphertext = PrpCrypto(crypto.key).encrypt(xml, app_id)
    ciphertext = ciphertext.decode("ascii") if isinstance(ciphertext, bytes) else ciphertext
    return xml_document([("Encrypt", ciphertext), ("MsgSignature", sign(token, timestamp, nonce, ciphertext)),
                         ("TimeStamp", int(timestamp)), ("Nonce", nonce)])


# --- parsing ----------------------------------------------------------------

def guard_xml(body: bytes, max_bytes: int = MAX_BODY_BYTES) -> None:
    """Size and DTD checks before any parser sees the bytes.

    Raises:
        ProtocolError: (413) over ``max_bytes``; (400) an empty body or a DOCTYPE/ENTITY declaration.
    """
    if len(body) > max_bytes:
        raise ProtocolError(f"body larger than {max_bytes} bytes", 413)
    if not body.strip():
        raise ProtocolError("empty body")
    if _FORBIDDEN_XML.search(body):
        raise ProtocolError("DOCTYPE and ENTITY declarations are not accepted")


def decode_body(body: bytes) -> str:
    """The request body as text; ProtocolError (400) unless it is UTF-8 (WeChat always sends UTF-8).

    Raises:
        ProtocolError: (400) the body is not UTF-8.
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError("body is not UTF-8") from error


#: The fields this channel reads as text (the envelope's, the header's, and those of the message types it
#: answers). Each must appear once and hold only text: xmltodict makes a repeated element a list and one
#: with child elements or attributes a dict, which reached the code as a list or dict where a string was due
#: (a catch-all handler's traceback, then ``success``). Other fields may nest: WeChat's own events do
#: (``scancode_push``'s ``ScanCodeInfo``, ``pic_sysphoto``'s repeated ``item``).
TEXT_FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId", "Event", "EventKey", "Encrypt",
               "Content", "Recognition", "MediaId", "Format", "PicUrl")


def _text_fields_problem(fields: Dict[str, object]) -> Optional[str]:
    """Why a field of :data:`TEXT_FIELDS` in ``fields`` (xmltodict's children of ``<xml>``) is not plain text
    once, or None."""
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if isinstance(value, list):
            return f"malformed message: <{name}> appears {len(value)} times"
        if value is not None and not isinstance(value, str):
            return f"malformed message: <{name}> must be text, not child elements or attributes"
    return None


def xml_fields(body: Union[bytes, str], max_bytes: int = MAX_BODY_BYTES) -> Dict[str, object]:
    """The children of <xml> as a dict; ProtocolError on anything else.

    Characters XML 1.0 forbids (a customer's `\x1d` or `\x08` in
    `Content`) are removed before parsing, so they cost the customer that
    character, not the message.

    Raises:
        ProtocolError: (400) malformed XML, not an ``<xml>`` element with fields, or a field of
            :data:`TEXT_FIELDS` repeated or holding elements or attributes (the reason names it).
    """
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    guard_xml(raw, max_bytes)
    text = clean_document(body if isinstance(body, str) else decode_body(body))
    try:
        document = xmltodict.parse(text, disable_entities=True)
    except Exception as error:
        raise ProtocolError(f"malformed XML ({type(error).__name__})") from error
    fields = document.get("xml") if isinstance(document, dict) else None
    if not isinstance(fields, dict):
        raise ProtocolError("expected an <xml> element with fields")
    problem = _text_fields_problem(fields)
    if problem:
        raise ProtocolError(problem)
    return fields


#: The shape of a sender's openid (28 characters of the URL-safe base64 alphabet in practice; up to 64 accepted).
OPENID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def parse(xml: str, max_bytes: int = MAX_BODY_BYTES) -> BaseMessage:
    """A wechatpy message or event; unknown types become UnknownMessage.

    `xml` is a plain body or a decrypted one; forbidden characters are
    removed first (see `xml_fields`). ProtocolError (4xx) when it is not a
    WeChat message.

    Raises:
        ProtocolError: (400) no MsgType or FromUserName, a FromUserName that is no openid (:data:`OPENID`), a
            field read as text that is repeated or nested (:func:`xml_fields`), or wechatpy cannot parse it.
    """
    fields = xml_fields(xml, max_bytes)
    if not isinstance(fields.get("MsgType"), str) or not isinstance(fields.get("FromUserName"), str):
        raise ProtocolError("message without MsgType or FromUserName")
    if not OPENID.fullmatch(fields["FromUserName"]):
        # an openid is 28 such characters; the sender becomes the conversation id, so markup or 5,000 characters there
        # would make a conversation no desk filter can look up (a fresh new user's finding, issue 11 sixteenth pass)
        raise ProtocolError("FromUserName must be an openid: 1-64 letters, digits, _ or -")
    try:
        message = parse_message(clean_document(xml))
        message.source, message.type, message.id, message.time  # noqa: B018 - read lazily; fail here, not later
    except Exception as error:
        raise ProtocolError(f"unparseable message ({type(error).__name__})") from error
    return message


def dedup_key(message: BaseMessage) -> str:
    """MsgId for messages; FromUserName + CreateTime for events (no MsgId), through wechatpy's
    public fields (``source``, ``id``, ``time``; :func:`parse` has read them once)."""
    if message.id:
        return f"msg:{message.source}:{message.id}"
    return f"evt:{message.source}:{message.time}"


def body_digest(body: bytes) -> str:
    """SHA-256 hex of a request body (what a signed URL was first used with)."""
    return hashlib.sha256(body).hexdigest()


def xml_document(fields: Sequence[Tuple[str, Union[str, int]]]) -> str:
    """`<xml>` with one child per (tag, value): integers as digits, text as CDATA.

    The only way this module writes XML. Text goes through `cdata`, which
    drops what XML 1.0 forbids and splits `]]>`, so a customer's words (or
    an openid in plain mode, where anyone can write it) cannot end a section
    or add an element. Tags are fixed names; anything else is a ValueError.

    Raises:
        ValueError: a tag that is not a plain name, or a value neither text nor an integer.
    """
    nodes = []
    for tag, value in fields:
        if not _TAG.match(tag):
            raise ValueError(f"not an XML tag name: {tag!r}")
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"{tag} must be text or an integer, not {type(value).__name__}")
        nodes.append(f"<{tag}>{int(value) if isinstance(value, int) else cdata(value)}</{tag}>")
    return "<xml>" + "".join(nodes) + "</xml>"


def text_reply_xml(message: BaseMessage, content: str, now: Optional[float] = None) -> str:
    """The passive text reply to `message` (to its sender, from its official account)."""
    return xml_document([("ToUserName", str(message.source or "")), ("FromUserName", str(message.target or "")),
                         ("CreateTime", int(time.time() if now is None else now)), ("MsgType", "text"),
                         ("Content", content)])


# --- rendering --------------------------------------------------------------

def render(messages: Sequence[dict]) -> Tuple[str, List[str]]:
    """One plain text for a bot turn, and the payloads of its numbered options.

    Buttons become "1. title" lines; the customer answers with the number and
    the channel maps it back with `option_payload`.
    """
    parts: List[str] = []
    payloads: List[str] = []
    titles: List[str] = []
    for message in messages:
        if message.get("text"):
            parts.append(markdown_to_text(str(message["text"])))
        if message.get("image"):
            parts.append(str(message["image"]))
        if message.get("attachment") and isinstance(message["attachment"], str):
            parts.append(message["attachment"])
        for button in (message.get("buttons") or []) + (message.get("quick_replies") or []):
            title = str(button.get("title") or button.get("payload") or "").strip()
            payload = button.get("payload") or button.get("url") or title
            if title:
                titles.append(title)
                payloads.append(str(payload))
    text = "\n\n".join(p for p in parts if p)
    if titles and titles == [str(i) for i in range(1, len(titles) + 1)]:
        return text, payloads  # a rating scale "1".."5": the text already asks for the number
    if titles:
        prompt = "回复数字选择：" if has_han(text + "".join(titles)) else "Reply with a number:"
        options = "\n".join(f"{i}. {title}" for i, title in enumerate(titles, 1))
        text = f"{text}\n\n{prompt}\n{options}" if text else f"{prompt}\n{options}"
    return text, payloads


def photo_ids(messages: Sequence[dict]) -> List[str]:
    """The stored photos (``custom.attachment_id``, issue 14) among outgoing messages, in order:
    WeChat cannot load a URL, so each goes out as an uploaded image message."""
    found = []
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("attachment_id"), str):
            found.append(custom["attachment_id"])
    return found


def option_payload(text: str, payloads: Sequence[str]) -> Optional[str]:
    """The payload of option "2" (also "２", " 2. "), or None."""
    candidate = fold_text(text.strip()).rstrip(".。、)）")
    if candidate.isdigit() and payloads:
        index = int(candidate)
        if 1 <= index <= len(payloads):
            return payloads[index - 1]
    return None


_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…\n])|(?<=[.](?=\s))")


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_cut(text: str, limit: int) -> Iterable[str]:
    piece = ""
    for char in text:
        if _utf8_len(piece + char) > limit:
            yield piece
            piece = ""
        piece += char
    if piece:
        yield piece


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> List[str]:
    """Parts of at most `limit` UTF-8 bytes, cut after sentence ends.

    A single sentence longer than the limit is cut at the byte limit (on a
    character boundary): better a cut sentence than a rejected message.
    """
    text = text.strip()
    if not text:
        return []
    if _utf8_len(text) <= limit:
        return [text]
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    parts: List[str] = []
    current = ""
    for sentence in sentences:
        if _utf8_len(current + sentence) <= limit:
            current += sentence
            continue
        if current.strip():
            parts.append(current.strip())
        current = ""
        if _utf8_len(sentence) > limit:
            *whole, current = list(_hard_cut(sentence, limit))
            parts.extend(p.strip() for p in whole if p.strip())
        else:
            current = sentence
    if current.strip():
        parts.append(current.strip())
    return parts
