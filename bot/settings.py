"""One place that reads the environment (DESIGN.md §10)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite:///var/bot.db"


def _absolute_sqlite(url: str) -> str:
    """Anchor a relative SQLite path at the project root.

    The Rasa server, the action server and the CLI may start from different
    working directories; they must all open the same file.
    """
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        relative = url[len(prefix):]
        if relative and relative != ":memory:":
            return prefix + str(PROJECT_ROOT / relative)
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: Optional[str] = None
    webchat_token_secret: Optional[str] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        url = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        return cls(
            database_url=_absolute_sqlite(url),
            redis_url=env.get("REDIS_URL") or None,
            webchat_token_secret=env.get("WEBCHAT_TOKEN_SECRET") or None,
        )


def get_settings() -> Settings:
    return Settings.from_env()
