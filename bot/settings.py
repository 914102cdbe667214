"""One place that reads the environment (DESIGN.md §10)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite:///var/bot.db"
DEFAULT_ACTIONS_HOST = "127.0.0.1"  # the action server listens on loopback only
DEFAULT_ACTIONS_PORT = 5055


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


def _port(name: str, value: Optional[str], default: int) -> int:
    """A TCP port from the environment; ``ValueError`` naming the variable if it is not one."""
    if value is None:
        return default
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise ValueError(f"{name} must be a TCP port (1-65535), not {value!r}")
    return port
def _number(env: Mapping[str, str], name: str, default, kind):
    """A number from the environment; unset or empty: ``default``.

    Raises:
        ValueError: naming the variable when the value is not a number of that kind, or negative.
    """
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a {kind.__name__}, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {raw!r}")
    return value


def _window(turns: int) -> int:
    """``ACTION_EVENTS_TURNS`` checked (issue 16): 0 (no window) or at least 10 customer messages —
    the runs the escalation rules count (fallbacks, negative turns in a row) and the mood's decay
    (0.6^10 of a turn's weight left) must fit in it.

    Raises:
        ValueError: naming the variable, for 1 to 9.
    """
    if 0 < turns < 10:
        raise ValueError(f"ACTION_EVENTS_TURNS must be 0 (every event) or at least 10, got {turns}")
    return turns


def _choice(name: str, value: Optional[str], choices: tuple, default: str) -> str:
    """``value`` (lower case) if one of ``choices``; ``default`` when unset.

    Raises:
        ValueError: another value (the message names the variable and the choices).
    """
    if value is None:
        return default
    if value.strip().lower() not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value.strip().lower()


def _base_url(name: str, value: Optional[str]) -> Optional[str]:
    """``value`` as ``scheme://host[:port]`` with no trailing slash (None when unset).

    Raises:
        ValueError: not an http(s) URL with a host, or it has a query or fragment.
    """
    if value is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{name} must be an http(s) URL such as https://chat.example.com, not {value!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _photo_checks(env: Mapping[str, str]) -> dict:
    """issue 14: photo checks in flight (rev14d #2): the ``photo_checks_per_*`` fields from ``env``.

    Raises:
        ValueError: a value is not a whole number or is negative (the message names the variable).
    """
    return {"photo_checks_per_address": _number(env, "PHOTO_CHECKS_PER_ADDRESS", 2, int),
            "photo_checks_per_session": _number(env, "PHOTO_CHECKS_PER_SESSION", 1, int),
            "photo_checks_per_agent": _number(env, "PHOTO_CHECKS_PER_AGENT", 2, int)}


@dataclass(frozen=True)
class Settings:
    """Every setting the project reads from the environment (DESIGN §10), frozen once read.

    Field names are the variable names in lower case (``DATABASE_URL`` →
    ``database_url``); numbers carry their unit in the name (``_s``, ``_bytes``,
    ``_per_min``). Built by :meth:`from_env`.
    """

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
    # Closed servers (issue 10): the REST channel's bearer token, the action
    # server's address and the shared secret Rasa sends it (DESIGN.md §9a, §10).
    rest_api_token: Optional[str] = None
    action_server_token: Optional[str] = None
    actions_host: str = DEFAULT_ACTIONS_HOST
    actions_port: int = DEFAULT_ACTIONS_PORT
    # Rate limits and login throttling (DESIGN §9a; bot/storage/ratelimit.py). 0 disables a limit.
    trusted_proxies: Optional[str] = None  # comma-separated addresses/CIDRs whose X-Forwarded-For is believed
    rate_limit_address_per_min: int = 120  # requests per client address per channel
    rate_limit_sender_per_min: int = 30  # messages per sender/conversation per channel
    rate_limit_sessions_per_min: int = 10  # new web chat sessions per client address
    login_throttle_max_delay_s: float = 120.0  # longest block after failed agent logins
    # Agent desk and server limits (review of issue 10, connectors/guard.py): the largest request
    # body the Rasa server reads (Sanic's REQUEST_MAX_SIZE), and the token of Rasa's HTTP API.
    request_max_bytes: int = 1024 * 1024
    rasa_api_token: Optional[str] = None
    # Resilience (issue 13): one connection pool per process, shared by Rasa's tracker store and the
    # project's tables (bot/storage/stores.py, bot/storage/db.py make_engine); PostgreSQL only (SQLite has no pool).
    db_pool_size: int = 10
    db_max_overflow: int = 10
    # Long waits and abandonment (issue 14, bot/services/waiting.py): a queued web ticket whose
    # customer has written nothing for this many seconds becomes `abandoned` (0: never); every
    # Rasa server with the web chat sweeps for such tickets this often (seconds).
    web_abandon_after_s: int = 900
    abandon_sweep_interval_s: float = 30.0
    # Photos (issue 14, bot/channels/attachments.py): the largest picture accepted (bytes) and the
    # most pixels (width x height; larger ones are refused before decoding: decompression bombs).
    attachment_max_bytes: int = 5 * 1024 * 1024
    attachment_max_pixels: int = 25_000_000
    # Demo data (issue 13 review, bot/storage/seed.py): DEMO=1 seeds the demo orders and creates (or
    # resets) the demo supervisor even on a database in use; unset, only a new database gets them.
    demo: bool = False
    # Web chat sessions (issue 13 review, bot/channels/webchat.py): a session idle this many
    # seconds can no longer be resumed (the browser gets a new one); 0: never expires.
    webchat_session_ttl_s: int = 30 * 24 * 3600
    # Agent desk language (issue 14, bot/handover/packet.py, connectors/agent_desk): the language of
    # the packet's ``summary`` and of list summaries for a client that names none (Accept-Language).
    desk_language: str = "en"
    # Photo quota (issue 14, bot/services/attachments.py): per conversation, customer photos within
    # any PHOTO_QUOTA_PERIOD_S seconds: at most this many and this many bytes (0: no limit).
    photo_quota_count: int = 20
    photo_quota_bytes: int = 25 * 1024 * 1024
    photo_quota_period_s: int = 24 * 3600
    # Public address (issue 14, connectors/webchat): scheme://host[:port] of the server as widgets on
    # other origins reach it; picture URLs sent to standard Rasa clients are made absolute with it
    # (unset: from the request's own host and scheme, X-Forwarded-* believed only from TRUSTED_PROXIES).
    public_base_url: Optional[str] = None
    # issue 14 photos (rev14 review; bot/channels/attachments.py, bot/services/__init__.py run_image,
    # bot/services/attachments.py): a JPEG may have at most JPEG_MAX_SCANS scans (counted before
    # decoding; 0: no limit); pictures are checked in their own IMAGE_WORKERS threads, never in the
    # database's, with at most IMAGE_QUEUE more waiting (then 503 + Retry-After); a customer's photo
    # filed on no ticket is deleted PHOTO_UNSENT_RETENTION_S seconds after upload (0: kept); one
    # client address may upload PHOTO_UPLOADS_PER_ADDRESS_PER_MIN photos a minute (0: no limit);
    # previews are at most PHOTO_THUMBNAIL_PX pixels wide and high (0: no thumbnails).
    jpeg_max_scans: int = 100
    image_workers: int = 2
    image_queue: int = 4
    photo_unsent_retention_s: int = 24 * 3600
    photo_uploads_per_address_per_min: int = 20
    photo_thumbnail_px: int = 480
    # Serving speed (issue 16, bot/storage/db.py): SQLite's `PRAGMA synchronous` with WAL. "normal"
    # (default): a commit is not fsynced (the WAL is at each checkpoint): a killed server loses
    # nothing (the OS has the pages), a power cut or OS crash may lose the last commits.
    # "full": every commit fsynced (durable across power loss; a few ms per commit). PostgreSQL: unused.
    sqlite_synchronous: str = "normal"
    # issue 14: picture budget (rev14c #1; bot/services/__init__.py ImagePool): one picture check
    # (decode, checks, re-encode) may use PHOTO_CHECK_CPU_S seconds of CPU in its worker process; past
    # it the process is ended and replaced and the upload answered 413 `too_complex` (0: no budget).
    # The wall-clock deadline is 4 x the budget + 5 s (then 503 `busy`).
    photo_check_cpu_s: float = 3.0
    # issue 14: photo checks in flight (rev14d #2; connectors/photos.py InFlightLimiter): uploads being
    # received or checked at once, per client address (all its sessions), per chat session and per
    # agent; past it 429 `checks_in_flight` at once (0: no limit).
    photo_checks_per_address: int = 2
    photo_checks_per_session: int = 1
    photo_checks_per_agent: int = 2
    # issue 16: action server window. The custom actions' request carries the tracker's events from
    # the ACTION_EVENTS_TURNS-th last customer message on (bot/rasa_speed.py ``install_action_events_window``),
    # so a custom-action turn costs the same at turn 500 as at turn 10; 0: every event (Rasa's
    # payload); 1-9 refused (the escalation rules' runs must fit).
    action_events_turns: int = 50
    # issue 11 (session 43): true reads every message's NLU on the event loop, as Rasa does, instead of on the
    # NLU worker thread (bot/nlu_worker.py); for a custom pipeline component that must run on the loop's thread.
    nlu_on_event_loop: bool = False

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Read the settings from ``env`` (the process environment if None); empty values count as unset.

        Args:
            env: a mapping of variable names to values; None reads ``os.environ``.

        Returns:
            The frozen :class:`Settings`.

        Raises:
            ValueError: a number is not one, is negative, or a port is out of range (the message names it).
        """
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
            # closed servers (issue 10)
            rest_api_token=get("REST_API_TOKEN"),
            action_server_token=get("ACTION_SERVER_TOKEN"),
            actions_host=get("ACTIONS_HOST") or DEFAULT_ACTIONS_HOST,
            actions_port=_port("ACTIONS_PORT", get("ACTIONS_PORT"), DEFAULT_ACTIONS_PORT),
            # rate limits (bot/storage/ratelimit.py)
            trusted_proxies=get("TRUSTED_PROXIES"),
            rate_limit_address_per_min=_number(env, "RATE_LIMIT_ADDRESS_PER_MIN", 120, int),
            rate_limit_sender_per_min=_number(env, "RATE_LIMIT_SENDER_PER_MIN", 30, int),
            rate_limit_sessions_per_min=_number(env, "RATE_LIMIT_SESSIONS_PER_MIN", 10, int),
            login_throttle_max_delay_s=_number(env, "LOGIN_THROTTLE_MAX_DELAY_S", 120.0, float),
            # agent desk and server limits (connectors/guard.py)
            request_max_bytes=_number(env, "REQUEST_MAX_BYTES", 1024 * 1024, int),
            rasa_api_token=get("RASA_API_TOKEN"),
            # resilience (issue 13): the one engine's pool
            db_pool_size=_number(env, "DB_POOL_SIZE", 10, int),
            db_max_overflow=_number(env, "DB_MAX_OVERFLOW", 10, int),
            # long waits and abandonment (issue 14)
            web_abandon_after_s=_number(env, "WEB_ABANDON_AFTER_S", 900, int),
            abandon_sweep_interval_s=_number(env, "ABANDON_SWEEP_INTERVAL_S", 30.0, float),
            # photos (issue 14)
            attachment_max_bytes=_number(env, "ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024, int),
            attachment_max_pixels=_number(env, "ATTACHMENT_MAX_PIXELS", 25_000_000, int),
            demo=(get("DEMO") or "").strip().lower() in ("1", "true", "yes", "on"),  # demo data (issue 13 review)
            # web chat sessions (issue 13 review)
            webchat_session_ttl_s=_number(env, "WEBCHAT_SESSION_TTL_S", 30 * 24 * 3600, int),
            desk_language=_choice("DESK_LANGUAGE", get("DESK_LANGUAGE"), ("en", "zh"), "en"),  # issue 14
            # photo quota (issue 14)
            photo_quota_count=_number(env, "PHOTO_QUOTA_COUNT", 20, int),
            photo_quota_bytes=_number(env, "PHOTO_QUOTA_BYTES", 25 * 1024 * 1024, int),
            photo_quota_period_s=_number(env, "PHOTO_QUOTA_PERIOD_S", 24 * 3600, int),
            public_base_url=_base_url("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL")),  # public address (issue 14)
            # issue 14 photos (rev14 review)
            jpeg_max_scans=_number(env, "JPEG_MAX_SCANS", 100, int),
            image_workers=max(1, _number(env, "IMAGE_WORKERS", 2, int)),
            image_queue=_number(env, "IMAGE_QUEUE", 4, int),
            photo_unsent_retention_s=_number(env, "PHOTO_UNSENT_RETENTION_S", 24 * 3600, int),
            photo_uploads_per_address_per_min=_number(env, "PHOTO_UPLOADS_PER_ADDRESS_PER_MIN", 20, int),
            photo_thumbnail_px=_number(env, "PHOTO_THUMBNAIL_PX", 480, int),
            # serving speed (issue 16)
            sqlite_synchronous=_choice("SQLITE_SYNCHRONOUS", get("SQLITE_SYNCHRONOUS"), ("normal", "full"), "normal"),
            photo_check_cpu_s=_number(env, "PHOTO_CHECK_CPU_S", 3.0, float),  # issue 14: picture budget
            **_photo_checks(env),  # issue 14: photo checks in flight
            action_events_turns=_window(_number(env, "ACTION_EVENTS_TURNS", 50, int)),  # issue 16: action server window
            nlu_on_event_loop=(get("NLU_ON_EVENT_LOOP") or "").strip().lower() in ("1", "true", "yes", "on"),
        )


# serving speed (issue 16): the last settings read and the environment they were read from
_LAST: Optional[tuple] = None


def get_settings() -> Settings:
    """The settings from the current environment (``Settings.from_env()``): read anew whenever
    the environment changed since the last call, else the same (frozen) settings again.

    Raises:
        ValueError: a variable holds a value its setting cannot take (the message names it).
    """
    global _LAST
    data = getattr(os.environ, "_data", None)  # os.environ's own dict: compared, not decoded
    last = _LAST
    if data is None:
        return Settings.from_env()
    if last is not None and last[0] == data:
        return last[1]
    snapshot = dict(data)  # before reading: a change meanwhile makes the next call read again
    settings = Settings.from_env()
    _LAST = (snapshot, settings)
    return settings
