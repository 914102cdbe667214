"""How the Rasa server answers with a stored photo (issue 14), for the web chat and the agent desk.

The bytes go out with the content type found when the picture was checked
(never one a client declared), ``X-Content-Type-Options: nosniff``,
``Content-Disposition: inline`` with a made-up safe name, ``Cache-Control:
private`` (a shared cache must not keep someone's photo) and a
Content-Security-Policy that lets nothing run should a browser ever render
it as a document.
"""
from __future__ import annotations

from typing import Any

from sanic import response
from sanic.response import HTTPResponse

PHOTO_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def photo_response(attachment: Any) -> HTTPResponse:
    """The 200 answer carrying ``attachment`` (a ``bot.channels.attachments.Attachment``)."""
    return response.raw(attachment.data, content_type=attachment.content_type, headers={
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{attachment.filename}"',
        "Cache-Control": "private, max-age=3600",
        "Content-Security-Policy": PHOTO_CSP,
        "Cross-Origin-Resource-Policy": "cross-origin",  # the widget may sit on the shop's own site
        "Referrer-Policy": "no-referrer",
    })


class TooLarge(Exception):
    """The upload is larger than ``max_bytes`` (the routes answer 413)."""


async def read_body(request: Any, max_bytes: int) -> bytes:
    """The body of a streaming route (``stream=True``: Sanic's app-wide ``REQUEST_MAX_SIZE`` does not
    apply to it), read up to ``max_bytes``; a declared or sent body over it raises :class:`TooLarge`
    before more is read (Sanic then discards the rest within its own limit).

    Raises:
        TooLarge: the declared or received body is over ``max_bytes``.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"Pictures can be at most {max_bytes} bytes; this one has {declared}.")
    if request.stream is None:  # not streamed (a test client): the body is already here
        body = request.body or b""
    else:
        chunks, total = [], 0
        while True:
            chunk = await request.stream.read()
            if chunk is None:
                break
            total += len(chunk)
            if total > max_bytes:
                raise TooLarge(f"Pictures can be at most {max_bytes} bytes.")
            chunks.append(chunk)
        body = b"".join(chunks)
    if len(body) > max_bytes:
        raise TooLarge(f"Pictures can be at most {max_bytes} bytes; this one has {len(body)}.")
    return body
