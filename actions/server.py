"""The action server: rasa-sdk's app, closed to everyone but our Rasa server.

rasa-sdk 3.6 serves ``/webhook`` (run an action on the tracker in the body)
and ``/actions`` to anyone who can reach its port, and listens on every
interface. A forged tracker there is believed (a fake IVR caller id, a fake
channel), so this entry point builds the same app (``rasa_sdk.endpoint.create_app``)
and puts a check in front of its handlers: every request but ``GET /health``
needs ``Authorization: Bearer <ACTION_SERVER_TOKEN>`` — the header Rasa sends
through ``action_endpoint.headers`` in endpoints.yml. It binds to
``ACTIONS_HOST`` (default 127.0.0.1) on ``ACTIONS_PORT`` (default 5055), and
refuses to start without a token. HTTP errors (a wrong method, an unknown
path, a body that is not JSON) keep their 4xx status with a JSON
``{"error"}``: rasa-sdk's catch-all handler would turn them into 500.

Run: ``python -m actions.server [--actions actions] [--host H] [--port P]``
(scripts/run.sh does).
"""
from __future__ import annotations

import argparse
import logging
from typing import Optional, Sequence

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.auth import bearer_matches
from bot.handover.policy import EscalationConfigError, load_config
from bot.settings import get_settings

logger = logging.getLogger(__name__)

# Routes anyone may call: a liveness probe that runs nothing and reveals nothing.
OPEN_PATHS = frozenset({"/health"})


def refusal(request: Request, token: str) -> Optional[HTTPResponse]:
    """The 401 answer for a request without the shared secret, or ``None`` to let it through."""
    if request.path in OPEN_PATHS:
        return None
    if bearer_matches(request.headers.get("authorization"), token):
        return None
    logger.warning("action server: refused %s %s from %s without a valid token",
                   request.method, request.path, request.ip)
    return response.json(
        {"error": "unauthorized: this action server only serves its Rasa server "
                  "(Authorization: Bearer <ACTION_SERVER_TOKEN>)"},
        status=401, headers={"WWW-Authenticate": 'Bearer realm="actions"'},
    )


def create_app(token: str, action_package: str = "actions") -> Sanic:
    """rasa-sdk's action server app with the shared-secret check in front.

    Args:
        token: the shared secret (``ACTION_SERVER_TOKEN``); must be non-empty.
        action_package: the package whose actions to serve.

    Returns:
        The Sanic app (routes ``/health``, ``/webhook``, ``/actions``), no CORS.

    Raises:
        ValueError: ``token`` is empty.
    """
    from rasa_sdk.endpoint import create_app as create_sdk_app

    if not token:
        raise ValueError("the action server needs a shared secret (ACTION_SERVER_TOKEN)")
    # No CORS: only the Rasa server calls it, never a browser.
    app = create_sdk_app(action_package, cors_origins=None)

    @app.middleware("request")
    async def require_token(request: Request) -> Optional[HTTPResponse]:
        return refusal(request, token)

    @app.exception(SanicException)
    async def http_error(request: Request, error: SanicException) -> HTTPResponse:
        return http_error_response(error)

    @app.exception(Exception)
    async def action_failed(request: Request, error: Exception) -> HTTPResponse:
        return failure_response(request, error)

    return app


def failure_response(request: Request, error: Exception) -> HTTPResponse:
    """The answer to an action that raised, without the tracker in it.

    rasa-sdk's own catch-all answers 500 with ``{"error": str(exception),
    "request_body": <the whole tracker>}`` — the customer's messages and slots
    echoed back, and written to the Rasa server's log when it reports the
    failure. This one logs the traceback here (no body) and answers
    ``{"error": "<exception class>"}``: 400 for a body that cannot be read
    (bad deflate data, JSON that is not a tracker), 500 for an action that failed.
    """
    import zlib

    unreadable = isinstance(error, (zlib.error, ValueError, KeyError, TypeError, AttributeError)) \
        and request.path == "/webhook" and _failed_before_the_action(error)
    logger.error("action server: %s %s failed with %s", request.method, request.path,
                 type(error).__name__, exc_info=error)
    if unreadable:
        return response.json({"error": f"unreadable action call ({type(error).__name__})"}, status=400)
    return response.json({"error": f"the action failed ({type(error).__name__})"}, status=500)


def _failed_before_the_action(error: Exception) -> bool:
    """Whether ``error`` was raised while reading the call (rasa-sdk's endpoint), not inside an action."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    return not any("/actions/" in name and "/actions/server.py" not in name for name in frames)


def http_error_response(error: SanicException) -> HTTPResponse:
    """An HTTP error (405, 404, 400, 413 …) as JSON ``{"error"}`` with its own status, never 500.

    A 405 keeps Sanic's ``Allow`` header. (rasa-sdk registers a handler for
    every ``Exception`` that answers 500; Sanic picks the most specific
    handler, so this one wins for HTTP errors.)
    """
    status = getattr(error, "status_code", 500) or 500
    headers = dict(getattr(error, "headers", None) or {})
    return response.json({"error": str(error) or "request refused"}, status=status, headers=headers)


def argument_parser() -> argparse.ArgumentParser:
    """Command-line options; defaults come from the environment (bot.settings)."""
    from rasa_sdk import utils

    settings = get_settings()
    parser = argparse.ArgumentParser(description="rasa-sdk action server that only serves our Rasa server")
    parser.add_argument("--actions", default="actions", help="package of the custom actions (default: actions)")
    parser.add_argument("--host", default=settings.actions_host,
                        help="interface to listen on (ACTIONS_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=settings.actions_port,
                        help="port to listen on (ACTIONS_PORT, default 5055)")
    utils.add_logging_level_option_arguments(parser)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Start the action server; exits with status 2 if ACTION_SERVER_TOKEN is unset or escalation.yml is bad."""
    from rasa_sdk import utils
    from rasa_sdk.plugin import plugin_manager

    parser = argument_parser()
    args = parser.parse_args(argv)
    token = get_settings().action_server_token
    if not token:
        parser.exit(2, "ACTION_SERVER_TOKEN is not set: the action server does not start without the secret "
                       "its Rasa server sends (scripts/run.sh generates one).\n")
    try:
        load_config()  # a bad escalation.yml stops start-up here, naming the key
    except EscalationConfigError as error:
        parser.exit(2, f"{error}\n")
    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    app = create_app(token, args.actions)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    logger.info("Action server listening on http://%s:%s (token required)", args.host, args.port)
    app.run(args.host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
