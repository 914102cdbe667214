"""A web chat client for tests: python-socketio, the client a Python
integration would use (long-polling transport; the browser tests use the
widget's own WebSocket client)."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Optional

import socketio

def conversation_of(session_id: str) -> str:
    """The conversation id (Rasa's sender id, what agents see) of a web chat session id (the
    browser's secret); any other id (a REST sender) unchanged."""
    from bot.channels.webchat import public_id, valid_secret

    return public_id(session_id) if valid_secret(session_id) else session_id


EVENTS = ("session_confirm", "history", "bot_uttered", "typing", "status", "chat_error", "user_echo",
          "agent_typing", "read")


class ChatClient:
    def __init__(self, url: str, origin: Optional[str] = None) -> None:
        self.url = url
        self.origin = origin
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self.refused: Optional[Any] = None
        self.session_id: Optional[str] = None
        for name in EVENTS:
            self.sio.on(name, self._recorder(name))
        self.sio.on("connect_error", self._refused)

    def _recorder(self, name: str):
        async def record(data: Any = None) -> None:
            self.events.append((name, data))
        return record

    async def _refused(self, data: Any = None) -> None:
        self.refused = data

    async def __aenter__(self) -> "ChatClient":
        headers = {"Origin": self.origin} if self.origin else {}
        await self.sio.connect(self.url, transports=["polling"], headers=headers, wait_timeout=10)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        # abort: do not wait for the pending long-poll (up to the 25 s ping interval)
        await self.sio.eio.disconnect(abort=True)

    def of(self, name: str, since: int = 0) -> list:
        return [data for event, data in self.events[since:] if event == name]

    async def wait_for(self, name: str, since: int = 0, timeout: float = 30, where=lambda data: True) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for data in self.of(name, since):
                if where(data):
                    return data
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {name} event within {timeout}s; got {self.events[since:]}")

    async def start(self, session_id: Optional[str] = None, token: Optional[str] = None,
                    language: Optional[str] = None, protocol: Optional[str] = "qx-webchat/1") -> str:
        """session_request as our widget sends it (``protocol=None``: as a standard Rasa client)."""
        mark = len(self.events)
        request = {"session_id": session_id, "customer_token": token, "language": language}
        if protocol:
            request["protocol"] = protocol
        await self.sio.emit("session_request", request)
        self.session_id = await self.wait_for("session_confirm", mark)
        if protocol:
            await self.wait_for("status", mark)
        return self.session_id

    async def say(self, text: str, timeout: float = 60, **extra: Any) -> list[dict]:
        """Send a message; the bot's messages of this turn (empty if refused)."""
        mark = len(self.events)
        await self.sio.emit("user_uttered", {"message": text, "session_id": self.session_id, **extra})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.of("chat_error", mark) or any(d == {"on": False} for d in self.of("typing", mark)):
                await asyncio.sleep(0.1)
                return self.of("bot_uttered", mark)
            await asyncio.sleep(0.05)
        raise AssertionError(f"no answer to {text!r} within {timeout}s; got {self.events[mark:]}")

    @property
    def conversation_id(self) -> str:
        """The session's conversation id (what agents see): a hash of :attr:`session_id`."""
        return conversation_of(self.session_id)

    def history(self) -> list:
        return self.of("history")[-1]


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)
