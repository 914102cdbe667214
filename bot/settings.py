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
    ivr_secret: Optional[str] = None
    wechat_token: Optional[str] = None
    wechat_app_id: Optional[str] = None
    wechat_app_secret: Optional[str] = None
    wechat_aes_key: Optional[str] = None
    wechat_mode: Optional[str] = None
    wechat_api_base: Optional[str] = None
    escalation_config: Optional[str] = None
    agent_demo_password: Optional[str] = None
    # orders (issue 10): notifier for one-time codes; unset = the local fake
    smtp_url: Optional[str] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env

        def get(name: str) -> Optional[str]:
            return env.get(name) or None  # set but empty counts as unset

        return cls(
            database_url=_absolute_sqlite(get("DATABASE_URL") or DEFAULT_DATABASE_URL),
            redis_url=get("REDIS_URL"),
            webchat_token_secret=get("WEBCHAT_TOKEN_SECRET"),
            ivr_secret=get("IVR_SECRET"),
            wechat_token=get("WECHAT_TOKEN"),
            wechat_app_id=get("WECHAT_APP_ID"),
            wechat_app_secret=get("WECHAT_APP_SECRET"),
            wechat_aes_key=get("WECHAT_AES_KEY"),
            wechat_mode=get("WECHAT_MODE"),
            wechat_api_base=get("WECHAT_API_BASE"),
            escalation_config=get("ESCALATION_CONFIG"),
            agent_demo_password=get("AGENT_DEMO_PASSWORD"),
            smtp_url=get("SMTP_URL"),  # orders (issue 10)
        )


def get_settings() -> Settings:
    return Settings.from_env()
