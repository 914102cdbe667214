"""Use cases of photos (issue 14): store an upload, show it to who may see it, file it, send one back.

Every function takes a unit of work (not yet entered), opens it, commits what
it changed and returns plain values. Who may see a photo: any agent (as they
see every ticket: the connector checks the bearer token), and the customer
of the conversation it belongs to (their web chat session, or a URL signed
with it: ``bot.channels.attachments.customer_signature``). Anyone else gets
None, which the routes answer 404, the same as an unknown id.

Errors: ``bot.channels.attachments.ImageRefused`` (400/413/415) for an upload
that is not an accepted picture, ``PhotoQuotaExceeded`` (429) for a customer's
photo past the conversation's quota (settings ``PHOTO_QUOTA_*``); ``TicketNotFound`` / ``ClaimConflict`` when an
agent sends a picture on a ticket they do not hold.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.channels.webchat import public_id, valid_secret
from bot.channels.attachments import (Attachment, CheckedImage, ImageRefused, PhotoQuotaExceeded, agent_url, check_image,
                                      customer_url, signature_ok, valid_attachment_id)
from bot.domain import TicketEvent, TicketState
from bot.queue.tickets import Ticket, TicketNotFound, not_held
from bot.settings import get_settings
from bot.text import utcnow
from bot.storage.uow import AbstractUnitOfWork


def limits() -> Tuple[int, int]:
    """``(ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_PIXELS)`` from the settings.

    Returns:
        ``(max bytes, max pixels)`` of an uploaded photo.
    """
    settings = get_settings()
    return settings.attachment_max_bytes, settings.attachment_max_pixels


def check(data: Any) -> CheckedImage:
    """``check_image`` with the settings' limits (bytes, pixels, ``JPEG_MAX_SCANS``): the CPU-heavy
    step, which routes run in the picture pool (``bot.services.run_image``), then pass the result
    to :func:`store` / :func:`agent_reply_photo`.

    Args:
        data: the uploaded bytes.

    Returns:
        The checked, re-encoded picture (and its preview).

    Raises:
        ImageRefused: 400/413/415 (see ``check_image``).
    """
    settings = get_settings()
    return check_image(data, settings.attachment_max_bytes, settings.attachment_max_pixels,
                       settings.jpeg_max_scans, settings.photo_thumbnail_px)


def check_quota(uow: AbstractUnitOfWork, conversation_id: str, size: int, now: Optional[datetime] = None) -> None:
    """Refuse a customer's photo of ``size`` bytes that would take ``conversation_id`` past its quota:
    more than ``PHOTO_QUOTA_COUNT`` photos or ``PHOTO_QUOTA_BYTES`` bytes within the last
    ``PHOTO_QUOTA_PERIOD_S`` seconds (0 turns a limit off). ``uow`` must already be entered.

    Args:
        uow: an entered unit of work.
        conversation_id: the conversation's Rasa sender id.
        size: the new photo's size in bytes.
        now: the moment to count back from (UTC-aware); the current time when None.

    Returns:
        None when the photo fits.

    Raises:
        PhotoQuotaExceeded: 429, with the seconds until the oldest photo of the period leaves it.
    """
    settings = get_settings()
    max_count, max_bytes, period_s = (settings.photo_quota_count, settings.photo_quota_bytes,
                                      settings.photo_quota_period_s)
    if not period_s or not (max_count or max_bytes):
        return
    now = now or utcnow()
    count, used, oldest = uow.attachments.usage(conversation_id, "customer", now - timedelta(seconds=period_s))
    retry_s = ((oldest + timedelta(seconds=period_s)) - now).total_seconds() if oldest else period_s
    hours = f"{period_s / 3600:g} hours" if period_s >= 3600 else f"{period_s} seconds"
    if max_count and count + 1 > max_count:
        raise PhotoQuotaExceeded(f"This chat has sent its {max_count} photos for the last {hours}; "
                                 "please describe the problem in words or try again later.", retry_s)
    if max_bytes and used + size > max_bytes:
        raise PhotoQuotaExceeded(f"This chat has sent {used} of its {max_bytes} bytes of photos for the last "
                                 f"{hours}; this one ({size} bytes) does not fit.", retry_s)


def store(uow: AbstractUnitOfWork, data: Any, conversation_id: str, channel: str, uploader: str,
          uploaded_by: Optional[str] = None, ticket_id: Optional[str] = None,
          max_bytes: Optional[int] = None, max_pixels: Optional[int] = None) -> Attachment:
    """Check ``data`` by content (``check_image``), re-encode it and store it; a customer's photo
    also against the conversation's quota (:func:`check_quota`).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        data: the uploaded bytes, or a :class:`CheckedImage` :func:`check` already made (in the
            picture pool: then nothing is decoded here).
        conversation_id: the customer's conversation (Rasa sender id) it belongs to.
        channel: Rasa input channel name (``webchat``, ``wechat``).
        uploader: ``customer`` or ``agent``.
        uploaded_by: the agent's user name when ``uploader`` is ``agent``.
        ticket_id: the ticket it is sent from, if known.
        max_bytes, max_pixels: the limits; default the settings (:func:`limits`).

    Returns:
        The stored :class:`Attachment` (with its new random id).

    Raises:
        ImageRefused: empty (400), too large (413), not a PNG/JPEG/WebP/GIF by content (415);
            PhotoQuotaExceeded (429) past the conversation's photo quota.
    """
    if isinstance(data, CheckedImage):
        image = data
    elif max_bytes or max_pixels:
        default_bytes, default_pixels = limits()
        settings = get_settings()
        image = check_image(data, max_bytes or default_bytes, max_pixels or default_pixels,
                            settings.jpeg_max_scans, settings.photo_thumbnail_px)
    else:
        image = check(data)
    with uow:
        if uploader == "customer":
            check_quota(uow, conversation_id, len(image.data))
        stored = uow.attachments.add(image, conversation_id, channel, uploader, uploaded_by, ticket_id)
        uow.commit()
        return stored


def link_packet_photos(uow: AbstractUnitOfWork, packet: Dict[str, Any], ticket_id: str,
                       conversation_id: str) -> int:
    """Link the photos a new ticket's packet transcript shows (sent before the hand-over) to the
    ticket, so :func:`expire_unsent` keeps them; only this conversation's customer photos.

    Args:
        uow: an entered unit of work; the caller commits.
        packet: the new ticket's handoff packet (its ``transcript`` lines' ``attachments``).
        ticket_id: the new ticket.
        conversation_id: the conversation whose customer photos may be linked.

    Returns:
        How many photos were linked.
    """
    linked = 0
    for line in packet.get("transcript") or []:
        for item in (line.get("attachments") or []) if isinstance(line, dict) else []:
            attachment_id = item.get("id") if isinstance(item, dict) else None
            found = uow.attachments.get(attachment_id) if valid_attachment_id(attachment_id) else None
            if found is not None and found.conversation_id == conversation_id and found.uploader == "customer":
                uow.attachments.link_ticket(attachment_id, ticket_id)
                linked += 1
    return linked


def expire_unsent(uow: AbstractUnitOfWork, now: Optional[datetime] = None,
                  retention_s: Optional[int] = None) -> int:
    """Delete customer photos filed on no ticket and older than ``retention_s`` seconds (default
    ``PHOTO_UNSENT_RETENTION_S``; 0 keeps them): uploads never sent in a message, or sent only to the
    bot (which does not look at pictures). Photos on a ticket are kept with the ticket.

    Args:
        uow: a unit of work (entered and committed here, once per batch of 500).
        now: the current moment (UTC-aware); the clock when None.
        retention_s: seconds an unsent photo is kept; the setting when None.

    Returns:
        How many photos were deleted.
    """
    retention_s = get_settings().photo_unsent_retention_s if retention_s is None else retention_s
    if not retention_s:
        return 0
    before = (now or utcnow()) - timedelta(seconds=retention_s)
    deleted = 0
    while True:
        with uow:
            batch = uow.attachments.delete_unfiled(before)
            uow.commit()
        deleted += batch
        if batch < 500:
            return deleted


def for_agent(uow: AbstractUnitOfWork, attachment_id: str) -> Optional[Attachment]:
    """The photo for an authenticated agent (any ticket's), or None when there is no such id.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        attachment_id: the photo's id.

    Returns:
        The photo (``Attachment``), or None when there is no such id.
    """
    with uow:
        return uow.attachments.get(attachment_id)


def for_customer(uow: AbstractUnitOfWork, attachment_id: str, session_id: Any = None,
                 signature: Any = None) -> Optional[Attachment]:
    """The photo for a customer who proves the conversation it belongs to: their session's
    secret (``session_id``, the id the browser holds, e.g. a header of the widget's fetch) or a URL
    signed with the session's photo key (``signature``, ``bot.channels.webchat.photo_key``); None
    otherwise (unknown id, another conversation, no or wrong proof — the public conversation id an
    agent sees is no proof).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        attachment_id: the photo's id.
        session_id: the web chat session's secret, as the browser holds it.
        signature: the signature of a signed photo URL (``sig``), if any.

    Returns:
        The photo (``Attachment``), or None when the customer did not prove its conversation.
    """
    with uow:
        found = uow.attachments.get(attachment_id)
        key = uow.webchat.photo_key(found.conversation_id) if found is not None else None
    if found is None or key is None:  # not a web chat session with a secret: no customer URL
        return None
    if valid_secret(session_id) and _same(public_id(session_id), found.conversation_id):
        return found
    if signature is not None and signature_ok(key, found.attachment_id, signature):
        return found
    return None


def url_key(uow: AbstractUnitOfWork, conversation_id: str) -> str:
    """The key of customer picture URLs of ``conversation_id`` (:func:`outgoing_image`): the web chat
    session's photo key; the conversation id itself for other channels (their customers never load
    the URL: WeChat gets the bytes).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        conversation_id: the conversation's Rasa sender id.

    Returns:
        The key that signs the customer's photo URLs of the conversation.
    """
    with uow:
        return uow.webchat.photo_key(conversation_id) or conversation_id


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def customer_photo(uow: AbstractUnitOfWork, attachment_id: Any, conversation_id: str) -> Optional[Dict[str, Any]]:
    """The transcript summary (``{id, content_type, size, width, height, url}``, agent URL) of a
    photo the customer of ``conversation_id`` uploaded, or None when ``attachment_id`` is not
    theirs (a message naming someone else's photo files no photo).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        attachment_id: the photo id a customer message names (any value).
        conversation_id: the conversation's Rasa sender id.

    Returns:
        ``{id, content_type, size, width, height, url}``, or None when the photo is not this customer's.
    """
    if not valid_attachment_id(attachment_id):
        return None
    with uow:
        found = uow.attachments.get(attachment_id)
    if found is None or found.conversation_id != conversation_id or found.uploader != "customer":
        return None
    return found.summary(agent_url(found.attachment_id))


class NotOwnPhoto(ValueError):
    """A customer message names a photo its conversation's customer did not send (unknown, another
    conversation's, an agent's): refused with 400, nothing processed."""


def require_customer_photo(uow: AbstractUnitOfWork, attachment_id: Any, conversation_id: str) -> None:
    """The check every channel that takes a client's ``attachment_id`` makes before the turn (web chat
    and REST, review chan29 #3): the id must name a photo the customer of ``conversation_id`` sent.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        attachment_id: the ``attachment_id`` the message carries (None: no photo, nothing to check).
        conversation_id: the conversation's Rasa sender id.

    Returns:
        None: the message may go on.

    Raises:
        NotOwnPhoto: ``attachment_id`` is given and :func:`customer_photo` finds no photo of this customer.
    """
    if attachment_id is not None and customer_photo(uow, attachment_id, conversation_id) is None:
        raise NotOwnPhoto("attachment_id names no photo this conversation's customer sent")


def enrich(uow: AbstractUnitOfWork, lines: Iterable[Any]) -> List[Any]:
    """Transcript lines with each ``attachments`` entry completed from the table (content type,
    size, width, height, the desk's URL); entries naming no stored photo are dropped.
    Lines without attachments are returned unchanged. ``uow`` must already be entered.

    Args:
        uow: a unit of work the caller has entered (and commits).
        lines: transcript lines (dicts), some with ``attachments``.

    Returns:
        The lines, their ``attachments`` completed (unknown photos dropped).
    """
    out = []
    for line in lines:
        if not isinstance(line, dict) or not line.get("attachments"):
            out.append(line)
            continue
        shown = []
        for item in line["attachments"]:
            attachment_id = item.get("id") if isinstance(item, dict) else None
            meta = uow.attachments.get(attachment_id) if valid_attachment_id(attachment_id) else None
            if meta is not None:
                shown.append(meta.summary(agent_url(meta.attachment_id)))
        out.append({**line, "attachments": shown})
    return out


def _held_by(uow: AbstractUnitOfWork, ticket_id: str, username: str) -> Ticket:
    """The ticket, if ``username`` holds it (``uow`` entered). Raises TicketNotFound / TicketClosed / ClaimConflict."""
    ticket = uow.tickets.get(ticket_id)
    if ticket is None:
        raise TicketNotFound(ticket_id)
    if ticket.state != TicketState.WITH_AGENT or ticket.assigned_to != username:
        raise not_held(ticket)
    return ticket


def require_holder(uow: AbstractUnitOfWork, ticket_id: str, username: str) -> Ticket:
    """The ticket ``username`` may send a photo on (they hold it): checked before a picture is
    decoded, so no agent spends decoding work on a ticket they do not hold (rev14 #5).

    Args:
        uow: a unit of work (entered here).
        ticket_id: the ticket the photo is for.
        username: the agent sending it.

    Returns:
        The ticket.

    Raises:
        TicketNotFound; TicketClosed (closed or abandoned); ClaimConflict (the ticket is not ``with_agent``
        held by ``username``).
    """
    with uow:
        return _held_by(uow, ticket_id, username)


def agent_reply_photo(uow: AbstractUnitOfWork, ticket_id: str, username: str, data: Any,
                      text: Optional[str] = None) -> Tuple[Ticket, Attachment]:
    """An agent sends a picture on a ticket they hold: checked like a customer's, stored with the
    ticket, recorded as the agent's message (``text`` or ``[photo]``) carrying it. Who holds the
    ticket is checked first, before any decoding, and again in the storing transaction.

    Args:
        data: the picture's bytes, or a :class:`CheckedImage` :func:`check` already made (the
            desk route checks the holder with :func:`require_holder`, then decodes in the picture pool).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        username: the agent's user name.
        data: the image bytes, as uploaded.
        text: the message text, as written.

    Returns:
        ``(ticket, attachment)``: where to deliver it, and what.

    Raises:
        TicketNotFound; TicketClosed (closed or abandoned); ClaimConflict (the ticket is not ``with_agent``
        held by ``username``); ImageRefused (400/413/415).
    """
    if isinstance(data, CheckedImage):
        image = data
    else:
        require_holder(uow, ticket_id, username)
        image = check(data)
    with uow:
        ticket = _held_by(uow, ticket_id, username)
        stored = uow.attachments.add(image, ticket.conversation_id, ticket.channel, "agent", username, ticket_id)
        uow.tickets.add_event(ticket_id, TicketEvent.MESSAGE.value, username, text or "[photo]",
                              {"from": "agent", "channel": ticket.channel,
                               "attachments": [stored.summary(agent_url(stored.attachment_id))]})
        uow.commit()
        return ticket, stored


def outgoing_image(attachment: Attachment, agent_name: str, text: Optional[str] = None,
                   key: Optional[str] = None) -> Dict[str, Any]:
    """The outbox message that delivers an agent's picture: Rasa's image shape
    (``{"attachment": {"type": "image", "payload": {"src": <customer URL>}}}``) with the agent
    marker, the optional caption, and ``custom.attachment_id`` (channels that upload the bytes
    themselves, such as WeChat, read it). ``key``: the URL's key (:func:`url_key`; default the
    conversation id, which no web chat customer URL accepts).

    Args:
        attachment: the stored photo (``bot.channels.attachments.Attachment``).
        agent_name: the agent's display name, as the customer sees it.
        text: the message text, as written.
        key: the photo URL key (:func:`url_key`; default: the conversation id).

    Returns:
        The outbox message (a dict in Rasa's image shape).
    """
    message: Dict[str, Any] = {
        "attachment": {"type": "image", "payload": {"src": customer_url(key or attachment.conversation_id,
                                                                        attachment.attachment_id)}},
        "custom": {"from": "agent", "agent": agent_name, "attachment_id": attachment.attachment_id},
    }
    if text:
        message["text"] = text
    return message


#: The channels (packet names) whose customers can be shown an agent's photo: the web chat (an image
#: message) and WeChat (an image message); REST clients and phone callers cannot (review rev14 #6).
PHOTO_CHANNELS = ("web", "wechat")


def photo_refusal(uow: AbstractUnitOfWork, ticket_id: str) -> Optional[str]:
    """Why an agent's photo cannot go out on the ticket's channel.

    Args:
        uow: a unit of work (entered here).
        ticket_id: the ticket the agent answers.

    Returns:
        A sentence for the 422, or None when it can (or the ticket is unknown: the upload itself
        answers 404).
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
    if ticket is None or ticket.channel in PHOTO_CHANNELS:
        return None
    return (f"photos cannot be sent on this ticket's channel ({ticket.channel}): the customer could not see "
            "them; describe it in words or send a link")


__all__ = ["ImageRefused", "PhotoQuotaExceeded", "check", "expire_unsent", "link_packet_photos", "require_holder", "check_quota", "photo_refusal", "PHOTO_CHANNELS", "store", "for_agent", "for_customer", "customer_photo", "NotOwnPhoto",
           "require_customer_photo", "enrich", "agent_reply_photo",
           "outgoing_image", "limits", "url_key"]
