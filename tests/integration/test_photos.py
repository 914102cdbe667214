"""Photos through the real Rasa and action servers (issue 14): a web chat customer uploads a photo
after the hand-over, the agent sees it in the ticket, it is served only to who may see it (with
``nosniff``), bad uploads get a clear 4xx, and an agent's photo reaches the customer as an image."""
from __future__ import annotations

import asyncio
import io
import json

import requests
from PIL import Image

from tests.integration.webchat_client import conversation_of, ChatClient

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png(color=(220, 40, 40), size=(48, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def chat(servers, path: str, body: dict) -> requests.Response:
    return requests.post(f"{servers.url}/chat/api/{path}", data=json.dumps(body).encode(),
                         headers={"Content-Type": "text/plain;charset=UTF-8"}, timeout=60)


def upload(servers, session_id, data: bytes, content_type: str = "image/png") -> requests.Response:
    return requests.post(f"{servers.url}/chat/api/attachments", params={"session_id": session_id}, data=data,
                         headers={"Content-Type": content_type}, timeout=60)


def tampered(sig: str) -> str:
    """``sig`` with its last hex digit changed (always a different signature)."""
    return sig[:-1] + ("1" if sig[-1] == "0" else "0")


def handed_over(servers, token: str) -> tuple[str, str]:
    """A new web chat session (HTTP transport) handed over to a person: (session id, ticket id)."""
    session_id = chat(servers, "session", {}).json()["session_id"]
    assert chat(servers, "message", {"session_id": session_id, "message": "I want to talk to a human"}).ok
    [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": conversation_of(session_id)}).json()
    return session_id, ticket["ticket_id"]


def test_a_photo_after_the_hand_over_is_in_the_ticket_and_served_only_to_who_may_see_it(servers):
    token = servers.login("agent1", "pass-word-1")
    session_id, ticket_id = handed_over(servers, token)
    uploaded = upload(servers, session_id, png(), content_type="text/plain")  # the declared type is ignored
    assert uploaded.status_code == 201, uploaded.text
    photo = uploaded.json()
    assert photo["content_type"] == "image/png" and (photo["width"], photo["height"]) == (48, 32)
    assert photo["url"].startswith(f"/chat/api/attachments/{photo['id']}?sig=") and session_id not in photo["url"]
    sent = chat(servers, "message", {"session_id": session_id, "message": "[photo]", "attachment_id": photo["id"]})
    assert sent.status_code == 200, sent.text

    view = servers.api("GET", f"/tickets/{ticket_id}", token).json()
    [line] = [line for line in view["transcript"] if line.get("attachments")]
    assert line["from"] == "customer" and line["text"] == "[photo]"
    assert line["attachments"] == [{"id": photo["id"], "content_type": "image/png", "size": photo["size"],
                                    "width": 48, "height": 32, "url": f"/agent/api/attachments/{photo['id']}"}]

    # the agent: with the bearer token only
    served = servers.api("GET", f"/attachments/{photo['id']}", token)
    assert served.status_code == 200 and Image.open(io.BytesIO(served.content)).size == (48, 32)
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"] == f'inline; filename="photo-{photo["id"][:8]}.png"'
    assert served.headers["Cache-Control"].startswith("private")
    assert "default-src 'none'" in served.headers["Content-Security-Policy"]
    assert servers.api("GET", f"/attachments/{photo['id']}").status_code == 401
    assert servers.api("GET", f"/attachments/{photo['id']}", "not-a-token").status_code == 401
    assert servers.api("GET", "/attachments/" + "0" * 32, token).status_code == 404
    assert servers.api("GET", "/attachments/../../etc/passwd", token).status_code == 404

    # the customer: the signed URL, or their own session; another customer gets 404
    mine = requests.get(servers.url + photo["url"], timeout=30)
    assert mine.status_code == 200 and mine.content == served.content
    assert mine.headers["X-Content-Type-Options"] == "nosniff" and mine.headers["Content-Type"] == "image/png"
    own = requests.get(f"{servers.url}/chat/api/attachments/{photo['id']}", headers={"X-Chat-Session": session_id},
                       timeout=30)
    assert own.status_code == 200
    other = chat(servers, "session", {}).json()["session_id"]
    from bot.channels.attachments import customer_signature

    public = conversation_of(session_id)  # what every agent sees: no proof (issue 13 review)
    for params, headers in (({}, {}), ({}, {"X-Chat-Session": other}), ({"sig": "0" * 64}, {}),
                            ({"sig": tampered(photo["url"].split("sig=")[1])}, {}),
                            ({}, {"X-Chat-Session": public}), ({"sig": customer_signature(public, photo["id"])}, {})):
        refused = requests.get(f"{servers.url}/chat/api/attachments/{photo['id']}", params=params,
                               headers=headers, timeout=30)
        assert refused.status_code == 404, (params, headers)
    # nor can another customer send it as theirs
    stolen = chat(servers, "message", {"session_id": other, "message": "[photo]", "attachment_id": photo["id"]})
    assert stolen.status_code == 400 and "attachment_id" in stolen.json()["error"]["message"]


def bot_texts(response) -> list:
    assert response.status_code == 200, response.text
    return [m.get("text") or "" for m in response.json()["messages"]]


def test_a_photo_sent_while_the_case_waits_for_a_call_back_is_filed_on_it(servers):
    """Review rev14 #1: nobody online, the hand-over becomes a call-back; the photo the customer sends
    next is on the ticket (not run as NLU: no "Sorry, I'm not sure I understood") and the customer
    is told so. A photo with no case open is not taken for a question either."""
    from datetime import datetime, timezone

    from bot.storage.db import AgentRow
    from tests.rows import RowsUnitOfWork

    with RowsUnitOfWork() as uow:  # everybody went home
        for row in uow.rows(AgentRow):
            row.last_seen_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
        uow.commit()
    session_id = chat(servers, "session", {}).json()["session_id"]
    chat(servers, "message", {"session_id": session_id, "message": "I want to talk to a human"})
    photo = upload(servers, session_id, png()).json()
    said = bot_texts(chat(servers, "message", {"session_id": session_id, "message": "[photo]",
                                               "attachment_id": photo["id"]}))
    assert any("added your photo to your case" in text for text in said), said
    assert not any("not sure I understood" in text for text in said), said
    token = servers.login("agent1", "pass-word-1")
    [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": conversation_of(session_id)}).json()
    assert ticket["state"] == "callback"
    view = servers.api("GET", f"/tickets/{ticket['ticket_id']}", token).json()
    assert [a["id"] for line in view["transcript"] for a in line.get("attachments") or []] == [photo["id"]]

    # no case at all: the photo is kept for a colleague, the bot does not guess at it
    fresh = chat(servers, "session", {}).json()["session_id"]
    chat(servers, "message", {"session_id": fresh, "message": "hello"})
    early = upload(servers, fresh, png((1, 200, 1))).json()
    said = bot_texts(chat(servers, "message", {"session_id": fresh, "message": "[photo]", "attachment_id": early["id"]}))
    assert any("a colleague can" in text for text in said) and not any("not sure I understood" in t for t in said), said


def test_an_agents_photo_on_a_rest_ticket_is_refused_not_reported_sent(servers):
    """Review rev14 #6: a REST client (or a caller) cannot be shown a photo: 422 with the reason,
    before the body is read, nothing stored or queued; web chat tickets still take one."""
    from bot.storage.db import AttachmentRow
    from tests.rows import RowsUnitOfWork

    token = servers.login("agent2", "pass-word-1")
    sender = "photo-rest-ticket"
    servers.say(sender, "I want to talk to a human")
    [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": sender}).json()
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", token).status_code == 200
    with RowsUnitOfWork() as uow:
        before = len(uow.rows(AttachmentRow))
    refused = servers.api("POST", f"/tickets/{ticket['ticket_id']}/attachments", token, data=png(),
                          headers={"Content-Type": "image/png"})
    assert refused.status_code == 422, refused.text
    assert "cannot be sent on this ticket's channel (rest)" in refused.json()["error"]
    with RowsUnitOfWork() as uow:
        assert len(uow.rows(AttachmentRow)) == before
    view = servers.api("GET", f"/tickets/{ticket['ticket_id']}", token).json()
    assert not [line for line in view["transcript"] if line.get("attachments")]
    servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", token, json={"disposition": "resolved"})


def test_bad_uploads_get_a_clear_4xx_and_nothing_is_stored(servers):
    session_id = chat(servers, "session", {}).json()["session_id"]
    for data, status, code in ((SVG, 415, "not_an_image"), (b"<html><script>x</script></html>", 415, "not_an_image"),
                               (png()[:60], 415, "not_an_image"), (b"", 400, "empty"),
                               (b"\x89PNG" + b"\x00" * (5 * 1024 * 1024), 413, "too_large")):
        refused = upload(servers, session_id, data)
        assert refused.status_code == status, (status, refused.text[:200])
        assert refused.json()["error"]["code"] == code
    assert upload(servers, "0" * 32, png()).status_code == 404  # a session the server never issued
    assert upload(servers, None, png()).status_code == 404


def test_past_the_photo_quota_a_chat_gets_429_with_the_reason_and_when_to_retry(servers):
    """Issue 14: at most PHOTO_QUOTA_COUNT (6 in the test servers) photos per conversation per period;
    the next is 429 ``photo_quota`` with a reason and ``Retry-After``, nothing stored; another chat
    is not affected."""
    quota = int(servers.env["PHOTO_QUOTA_COUNT"])
    session_id = chat(servers, "session", {}).json()["session_id"]
    for n in range(quota):
        accepted = upload(servers, session_id, png((n * 10, 40, 40), (8, 8)))
        assert accepted.status_code == 201, (n, accepted.text[:200])
    refused = upload(servers, session_id, png((1, 2, 3), (8, 8)))
    assert refused.status_code == 429, refused.text[:200]
    assert refused.json()["error"]["code"] == "photo_quota"
    assert f"{quota} photos for the last 24 hours" in refused.json()["error"]["message"]
    assert 86000 < int(refused.headers["Retry-After"]) <= 86400
    other = chat(servers, "session", {}).json()["session_id"]
    assert upload(servers, other, png()).status_code == 201


def test_an_agent_sends_a_photo_back_and_the_web_chat_customer_gets_an_image(servers):
    token = servers.login("agent2", "pass-word-1")

    async def conversation():
        async with ChatClient(servers.url) as client:
            session_id = await client.start()
            await client.say("I want to talk to a human")
            [ticket] = (await asyncio.to_thread(servers.api, "GET", "/tickets", token,
                                                params={"conversation_id": conversation_of(session_id)})).json()
            ticket_id = ticket["ticket_id"]
            early = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/attachments", token,
                                            data=png())
            assert early.status_code == 409  # not claimed yet
            assert (await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/claim", token)).ok
            refused = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/attachments", token,
                                              data=SVG)
            assert refused.status_code == 415, refused.text
            mark = len(client.events)
            sent = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/attachments", token,
                                           data=png((0, 0, 255)), params={"text": "This is the label we need"})
            assert sent.status_code == 201 and sent.json()["status"] == "sent", sent.text
            pushed = await client.wait_for("bot_uttered", mark, where=lambda m: "attachment" in m)
            return session_id, ticket_id, pushed, sent.json()["attachment"]

    session_id, ticket_id, pushed, attachment = asyncio.run(conversation())
    assert pushed["from"] == "agent" and pushed["text"] == "This is the label we need"
    src = pushed["attachment"]["payload"]["src"]
    assert pushed["attachment"]["type"] == "image" and src.startswith(f"/chat/api/attachments/{attachment['id']}?sig=")
    image = requests.get(servers.url + src, timeout=30)
    assert image.status_code == 200 and Image.open(io.BytesIO(image.content)).getpixel((0, 0)) == (0, 0, 255)
    view = servers.api("GET", f"/tickets/{ticket_id}", token).json()
    assert view["transcript"][-1]["from"] == "agent" and view["transcript"][-1]["attachments"][0]["id"] == attachment["id"]

    async def reload():  # the image comes back with the history
        async with ChatClient(servers.url) as client:
            await client.start(session_id=session_id)
            return client.history()

    history = asyncio.run(reload())
    assert any((m.get("attachment") or {}).get("payload", {}).get("src") == src for m in history)


def test_the_session_secret_can_travel_in_the_body_or_a_header_not_the_url(servers):
    """Review rev14b #5: the widget's photo upload is multipart/form-data (session_id and photo fields)
    and its poll a POST with the id in the JSON body; API clients may send the raw bytes with an
    X-Chat-Session header. ``?session_id=`` still works for older widgets (README)."""
    session_id = chat(servers, "session", {}).json()["session_id"]
    posted = requests.post(f"{servers.url}/chat/api/attachments", data={"session_id": session_id},
                           files={"photo": ("p.png", png((1, 2, 3)), "image/png")}, timeout=60)
    assert posted.status_code == 201, posted.text
    assert "session_id" not in posted.request.url
    headed = requests.post(f"{servers.url}/chat/api/attachments", data=png((4, 5, 6)),
                           headers={"Content-Type": "image/png", "X-Chat-Session": session_id}, timeout=60)
    assert headed.status_code == 201, headed.text
    assert upload(servers, session_id, png((7, 8, 9))).status_code == 201  # older widgets
    # a form without the photo, or with someone else's secret: a clear 4xx
    missing = requests.post(f"{servers.url}/chat/api/attachments", data={"session_id": session_id},
                            files={"other": ("p.png", png((1, 1, 1)), "image/png")}, timeout=60)
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "bad_request"
    stranger = requests.post(f"{servers.url}/chat/api/attachments", data={"session_id": "0" * 32},
                             files={"photo": ("p.png", png((1, 1, 1)), "image/png")}, timeout=60)
    assert stranger.status_code == 404
    broken = requests.post(f"{servers.url}/chat/api/attachments", data=b"--x\r\nnonsense",
                           headers={"Content-Type": "multipart/form-data; boundary=x"}, timeout=60)
    assert broken.status_code == 400
    # the poll: the id in a POSTed body
    polled = chat(servers, "poll", {"session_id": session_id})
    assert polled.status_code == 200 and "status" in polled.json()
    assert chat(servers, "poll", {"session_id": "0" * 32}).status_code == 404



def test_a_form_over_its_limit_is_named_as_the_request_not_the_picture(servers):
    """rev14c #3: a multipart body over the form limit (the picture limit + 16 KB) said "Pictures can
    be at most 5259264 bytes", the form's limit named as the picture's; now it names the request."""
    session_id = chat(servers, "session", {}).json()["session_id"]
    refused = requests.post(f"{servers.url}/chat/api/attachments", data={"session_id": session_id, "x": "y" * 6_000_000},
                            files={"photo": ("p.png", png((1, 2, 3)), "image/png")}, timeout=60)
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "too_large"
    message = refused.json()["error"]["message"]
    assert message.startswith("Photo upload requests (the form with the picture) can be at most"), message
    assert not message.startswith("Pictures")
