"""Client of WeChat's server API: access token, customer-service messages, media (photos).

One client per channel, shared by every request and by the agent-reply
pusher. The access token is cached until shortly before it expires, fetched
by one coroutine at a time, and refreshed once when WeChat says it is
invalid (40001) or expired (42001). Busy (-1) and network errors are retried
with backoff; 45015 (the customer has not written for 48 hours) is final.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Dict, Optional

import aiohttp

logger = logging.getLogger(__name__)

TOKEN_ERRORS = {40001, 40014, 42001}
RETRYABLE_ERRORS = {-1, 45009}  # system busy; API rate limit
OUTSIDE_WINDOW = 45015


class WeChatApiError(Exception):
    """WeChat's API answered a non-zero ``errcode``; ``errcode`` and ``errmsg`` are kept."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class OutsideReplyWindow(WeChatApiError):
    """45015: more than 48 hours since the customer last wrote."""


class WeChatApiClient:
    """WeChat's customer-service API (access token, send text), with retries and one token refresh.

    Args:
        base_url: ``https://api.weixin.qq.com`` or the local fake's URL.
        app_id, app_secret: the official account's credentials; without them nothing can be sent.
        timeout_s: per request, in seconds.
        retries: attempts on network errors, 5xx and busy codes; ``backoff_s`` the first wait between them.
        refresh_margin_s: renew the token this many seconds before it expires.
        shared_token: a Redis-shared token (several servers), or None for this process's own.
    """

    def __init__(self, base_url: str, app_id: Optional[str], app_secret: Optional[str], *,
                 timeout_s: float = 10.0, retries: int = 3, backoff_s: float = 0.2,
                 refresh_margin_s: float = 300.0, shared_token: Optional[Any] = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.app_id = app_id
        self.app_secret = app_secret
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.refresh_margin_s = refresh_margin_s
        self._token: Optional[str] = None
        self._token_expires_at = 0.0
        self._lock: Optional[asyncio.Lock] = None
        self._session: Optional[aiohttp.ClientSession] = None
        # bot.storage.conversation_state.RedisSharedToken with several servers: one token, one refresher
        self.shared_token = shared_token

    @property
    def configured(self) -> bool:
        """True if both the app id and the app secret are set."""
        return bool(self.app_id and self.app_secret)

    def _http(self) -> aiohttp.ClientSession:
        # Built on first use, inside the running loop (never at import).
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_s))
        return self._session

    async def close(self) -> None:
        """Close the HTTP session, if one was opened."""
        if self._session is not None:
            await self._session.close()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Dict[str, Any]:
        """One call with retries on network errors, 5xx and busy codes."""
        delay = self.backoff_s
        for attempt in range(1, self.retries + 1):
            try:
                async with self._http().request(method, f"{self.base_url}{path}", **kwargs) as response:
                    if response.status >= 500:
                        raise aiohttp.ClientResponseError(response.request_info, (), status=response.status)
                    data = json.loads(await response.text() or "{}")
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                logger.warning("WeChat %s %s failed (attempt %d/%d): %r", method, path, attempt, self.retries, error)
                if attempt == self.retries:
                    raise WeChatApiError(-2, f"network error: {error!r}") from error
            else:
                errcode = int(data.get("errcode") or 0)
                if errcode not in RETRYABLE_ERRORS or attempt == self.retries:
                    return data
                logger.warning("WeChat %s busy (errcode %s, attempt %d/%d)", path, errcode, attempt, self.retries)
            await asyncio.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    async def access_token(self, force: bool = False, stale: Optional[str] = None) -> str:
        """The access token: cached (in this process, or shared through Redis with
        ``shared_token``) until shortly before it expires; a new one when ``force`` and the
        cached one is still ``stale`` (the token the API refused).

        Raises:
            WeChatApiError: not configured, or WeChat refused to issue a token.
        """
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.shared_token is not None:
                if not self.configured:
                    raise WeChatApiError(-3, "WECHAT_APP_ID / WECHAT_APP_SECRET not set")
                refused = (stale if stale is not None else self._token) if force else None
                self._token = await self.shared_token.get(self._fetch_token, stale=refused)
                return self._token
            if stale is not None and self._token != stale:
                force = False  # another request refreshed it already
            if not force and self._token and time.time() < self._token_expires_at:
                return self._token
            self._token, self._token_expires_at = await self._fetch_token()
            return self._token

    async def _fetch_token(self) -> tuple:
        """A new token from WeChat: ``(token, refresh at)`` (Unix seconds, ``refresh_margin_s``
        before it expires). Raises WeChatApiError."""
        if not self.configured:
            raise WeChatApiError(-3, "WECHAT_APP_ID / WECHAT_APP_SECRET not set")
        data = await self._request("GET", "/cgi-bin/token", params={
            "grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret})
        if not data.get("access_token"):
            code = int(data.get("errcode") or -4)
            logger.error("WeChat access token refused: errcode %s %s", code, data.get("errmsg"))
            raise WeChatApiError(code, str(data.get("errmsg") or "no access_token in answer"))
        expires_in = float(data.get("expires_in") or 7200)
        margin = min(self.refresh_margin_s, expires_in / 2)
        return str(data["access_token"]), time.time() + expires_in - margin

    async def call(self, path: str, payload: Dict[str, Any]) -> Dict[str, Any]:
        """POST with the access token; one refresh on 40001/42001.

        Raises:
            OutsideReplyWindow: 45015, the follower wrote more than 48 hours ago.
            WeChatApiError: any other WeChat error code, after at most one token refresh.
        """
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")  # WeChat shows \\u escapes verbatim
        token = await self.access_token()
        for refreshed in (False, True):
            data = await self._request("POST", path, params={"access_token": token}, data=body,
                                       headers={"Content-Type": "application/json; charset=utf-8"})
            errcode = int(data.get("errcode") or 0)
            if errcode == 0:
                return data
            if errcode in TOKEN_ERRORS and not refreshed:
                logger.info("WeChat access token rejected (errcode %s); refreshing once", errcode)
                token = await self.access_token(force=True, stale=token)
                continue
            logger.error("WeChat %s failed: errcode %s %s", path, errcode, data.get("errmsg"))
            if errcode == OUTSIDE_WINDOW:
                raise OutsideReplyWindow(errcode, str(data.get("errmsg")))
            raise WeChatApiError(errcode, str(data.get("errmsg")))
        raise AssertionError("unreachable")

    async def send_text(self, openid: str, content: str) -> None:
        """Send ``content`` as a text message to ``openid`` through the customer-service API.

        Raises:
            OutsideReplyWindow: the customer last wrote more than 48 hours ago (errcode 45015).
            WeChatApiError: WeChat refused the message for another reason.
            aiohttp.ClientError: WeChat could not be reached after the retries.
        """
        await self.call("/cgi-bin/message/custom/send",
                        {"touser": openid, "msgtype": "text", "text": {"content": content}})

    async def get_media(self, media_id: str, max_bytes: int) -> bytes:
        """The bytes of a temporary media file (``GET /cgi-bin/media/get``): a follower's photo.

        Args:
            media_id: the ``MediaId`` of the image message.
            max_bytes: read no more than this (a larger file raises ``WeChatApiError(-5)``).

        Raises:
            WeChatApiError: WeChat answered an error code (after one token refresh), the file is
                larger than ``max_bytes``, or WeChat could not be reached.
        """
        token = await self.access_token()
        for refreshed in (False, True):
            try:
                async with self._http().get(f"{self.base_url}/cgi-bin/media/get",
                                             params={"access_token": token, "media_id": media_id}) as answer:
                    if answer.status >= 400:
                        raise WeChatApiError(-2, f"media/get answered HTTP {answer.status}")
                    data = await answer.content.read(max_bytes + 1)
                    kind = answer.headers.get("Content-Type", "")
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                raise WeChatApiError(-2, f"network error: {error!r}") from error
            if len(data) > max_bytes:
                raise WeChatApiError(-5, f"media larger than {max_bytes} bytes")
            if not (kind.startswith("application/json") or kind.startswith("text/")):
                return data
            errcode = int((json.loads(data or b"{}") or {}).get("errcode") or -4)
            if errcode in TOKEN_ERRORS and not refreshed:
                token = await self.access_token(force=True, stale=token)
                continue
            raise WeChatApiError(errcode, "media/get refused")
        raise AssertionError("unreachable")

    async def upload_image(self, data: bytes, filename: str, content_type: str) -> str:
        """Upload a picture as temporary media (``POST /cgi-bin/media/upload?type=image``); its ``media_id``.

        Raises:
            WeChatApiError: WeChat refused it (after one token refresh) or could not be reached.
        """
        token = await self.access_token()
        for refreshed in (False, True):
            form = aiohttp.FormData()
            form.add_field("media", data, filename=filename, content_type=content_type)
            try:
                async with self._http().post(f"{self.base_url}/cgi-bin/media/upload",
                                              params={"access_token": token, "type": "image"}, data=form) as answer:
                    if answer.status >= 400:
                        raise WeChatApiError(-2, f"media/upload answered HTTP {answer.status}")
                    result = json.loads(await answer.text() or "{}")
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                raise WeChatApiError(-2, f"network error: {error!r}") from error
            if result.get("media_id"):
                return str(result["media_id"])
            errcode = int(result.get("errcode") or -4)
            if errcode in TOKEN_ERRORS and not refreshed:
                token = await self.access_token(force=True, stale=token)
                continue
            raise WeChatApiError(errcode, str(result.get("errmsg") or "no media_id"))
        raise AssertionError("unreachable")

    async def send_image(self, openid: str, media_id: str) -> None:
        """Send an uploaded picture (``media_id``) to ``openid`` through the customer-service API.

        Raises:
            OutsideReplyWindow, WeChatApiError: as :meth:`send_text`.
        """
        await self.call("/cgi-bin/message/custom/send",
                        {"touser": openid, "msgtype": "image", "image": {"media_id": media_id}})
