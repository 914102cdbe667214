"""Command line: `python -m bot.cli seed | create-agent | disable-agent | enable-agent | demo-agent |
customer-token | last-notification | support-hours`."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from datetime import datetime
from typing import Optional
from zoneinfo import ZoneInfo

from bot.queue.agents import AgentRefused
from bot.services import agents as agents_service
from bot.storage.seed import DEMO_AGENT, demo_agent, seed_demo
from bot.settings import get_settings
from bot.storage.uow import SqlAlchemyUnitOfWork
from bot.text import utcnow


def shown_url(url: str) -> str:
    """``url`` as it may be printed: the password replaced by ``***`` (terminal scroll-back and CI
    logs keep what is printed), e.g. ``postgresql+psycopg2://postgres:***@127.0.0.1:5433/qx``.

    Args:
        url: a database URL.

    Returns:
        The URL with its password hidden.
    """
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def create_agent(username: str, password: str, display_name: str, role: str) -> tuple[dict, bool]:
    """Create the agent or update them (a new password or role ends their sessions), audited as ``cli``.

    Args:
        username: the login name (``USERNAME_PATTERN``).
        password: the plain-text password (stored hashed).
        display_name: the name customers and colleagues see.
        role: ``agent`` or ``supervisor``.

    Returns:
        ``bot.services.agents.save_agent``'s (view, created).

    Raises:
        bot.queue.agents.AgentRefused: a bad user name or role, a short password.
    """
    return agents_service.save_agent(SqlAlchemyUnitOfWork(), username, password, display_name, role,
                                     None, None, "cli")


def set_agent_active(username: str, active: bool) -> Optional[int]:
    """Enable or disable an agent (disabling ends their sessions); the sessions ended, None if no such agent.

    Args:
        username: the agent's user name.
        active: True to enable, False to disable.

    Returns:
        The number of sessions ended, or None.
    """
    done = agents_service.set_active(SqlAlchemyUnitOfWork(), username, active, "cli")
    return None if done is None else done["sessions_ended"]


def support_hours_line(now: datetime) -> str:
    """What ``make run``'s banner says about the support hours (a new user's report, session 40: outside the hours every
    hand-over became a call-back and nothing at start-up said so).

    Args:
        now: an aware datetime.

    Returns:
        One line: "always open", "open now", "closed now" with the next opening in ``support_hours.timezone``, or
        "never open" (no weekly hours), and the file read (``ESCALATION_CONFIG`` or the project's ``escalation.yml``).

    Raises:
        EscalationConfigError: the file does not match its schema.
    """
    from bot.handover.policy import config_path, load_config, next_opening, within_support_hours

    path = config_path()
    config = load_config(path)
    hours = config.file.support_hours
    if hours.always_open:
        return f"always open ({path})"
    if within_support_hours(now, config):
        return f"open now ({hours.timezone}; {path})"
    opens = next_opening(now, config).astimezone(ZoneInfo(hours.timezone))
    if opens <= now:  # no day has hours: next_opening has nothing to wait for
        return f"never open: every hand-over becomes a call-back (no weekly hours; {path})"
    return f"closed now: hand-overs become call-backs until {opens:%a %Y-%m-%d %H:%M} {hours.timezone} ({path})"


def main(argv: list[str] | None = None) -> int:
    """Run one command of ``python -m bot.cli`` (migrate, seed, create-agent, disable-agent, ...).

    Args:
        argv: the arguments after the program name; ``sys.argv[1:]`` if None.

    Returns:
        The process exit status: 0 on success, 1 for an unknown agent, 2 for a bad
        password or value or a database whose schema is not current.

    Raises:
        SystemExit: bad arguments (argparse exits with status 2).
    """
    parser = argparse.ArgumentParser(prog="python -m bot.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the schema migrations (bot/storage/migrations) to DATABASE_URL")
    sub.add_parser("seed", help="apply the migrations; the demo orders on a new database (or DEMO=1)")
    agent = sub.add_parser("create-agent", help="create an agent (or reset their password)")
    agent.add_argument("username")
    agent.add_argument("--display-name", required=True)
    agent.add_argument("--role", choices=["agent", "supervisor"], default="agent")
    agent.add_argument("--password", help="prompted for when omitted (or AGENT_PASSWORD)")
    for name, verb in (("disable-agent", "disable an agent: no login, their sessions end now"),
                       ("enable-agent", "enable a disabled agent again")):
        sub.add_parser(name, help=verb).add_argument("username")
    sub.add_parser("demo-agent", help="create the demo supervisor `demo` on a database without agents (or DEMO=1, "
                                      "which also resets its password) and print its login")
    customer = sub.add_parser("customer-token", help="print a signed customer token (what a site's server makes)")
    customer.add_argument("sub", help="the site's customer id")
    customer.add_argument("--name")
    customer.add_argument("--email")
    customer.add_argument("--phone", help="E.164, e.g. +8613800138000")
    customer.add_argument("--minutes", type=int, default=60, help="valid for (default 60)")
    notification = sub.add_parser("last-notification",
                                  help="print the newest message the local fake notifier recorded (demo: the one-time code)")
    notification.add_argument("--to", help="only messages to this e-mail address or E.164 phone")
    sub.add_parser("support-hours", help="say whether escalation.yml's support hours are open now (hand-overs outside "
                                         "them become call-backs)")
    args = parser.parse_args(argv)
    from bot.storage.schema import SchemaNotCurrent

    try:
        return _run(args)
    except (SchemaNotCurrent, AgentRefused) as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    """One command of :func:`main`; its exit status."""
    if args.command in ("migrate", "seed"):
        from bot.storage.schema import upgrade

        revision = upgrade(get_settings().database_url)
        if args.command == "migrate":
            print(f"database: {shown_url(get_settings().database_url)} (schema revision {revision})")
    if args.command == "seed":
        _added, done = seed_demo(SqlAlchemyUnitOfWork(), get_settings().demo)
        print(f"database: {shown_url(get_settings().database_url)} ({done})")
    elif args.command == "create-agent":
        password = args.password or os.environ.get("AGENT_PASSWORD") or getpass.getpass("password: ")
        view, created = create_agent(args.username, password, args.display_name, args.role)
        done = "created" if created else f"updated ({view['sessions_ended']} session(s) ended)"
        print(f"agent {args.username} ({args.role}) {done}")
    elif args.command in ("disable-agent", "enable-agent"):
        active = args.command == "enable-agent"
        ended = set_agent_active(args.username, active)
        if ended is None:
            print(f"error: no agent {args.username}", file=sys.stderr)
            return 1
        print(f"agent {args.username} " + ("enabled" if active else f"disabled ({ended} session(s) ended)"))
    elif args.command == "demo-agent":
        settings = get_settings()
        chosen = settings.agent_demo_password
        if chosen is not None and len(chosen) < agents_service.MIN_PASSWORD_CHARS:
            # the agent API's rule holds for the demo supervisor too (a fresh new user's finding, issue 11 sixteenth pass)
            raise AgentRefused(f"AGENT_DEMO_PASSWORD needs at least {agents_service.MIN_PASSWORD_CHARS} characters "
                               "(unset it for a random one)")
        password, done = demo_agent(SqlAlchemyUnitOfWork(), settings.demo, settings.agent_demo_password)
        print(f"user: {DEMO_AGENT}  password: {password}  ({done})" if password else done)
    elif args.command == "customer-token":
        import jwt

        from bot.customers.identity import ALGORITHM, SECRET_VARIABLE

        secret = get_settings().webchat_token_secret
        if not secret:
            print(f"error: set {SECRET_VARIABLE} (the Rasa server needs the same value)", file=sys.stderr)
            return 2
        claims = {"sub": args.sub, "exp": int(time.time()) + 60 * args.minutes}
        claims.update({k: v for k, v in (("name", args.name), ("email", args.email), ("phone", args.phone)) if v})
        print(jwt.encode(claims, secret, algorithm=ALGORITHM))
    elif args.command == "support-hours":
        print(support_hours_line(utcnow()))
    elif args.command == "last-notification":
        with SqlAlchemyUnitOfWork() as uow:
            sent = uow.notifications.latest(to=args.to, limit=1)
        if not sent:
            print("no notification recorded", file=sys.stderr)
            return 1
        message = sent[0]
        print(f"{message.channel} to {message.to} ({message.transport}): {message.subject or ''}")
        print(message.body if message.body is not None else "(body not kept: sent by SMTP)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
