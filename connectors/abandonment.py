"""The periodic abandonment sweep of a Rasa server (issue 14; bot.services.waiting).

Every server that serves the web chat runs one loop: every
``ABANDON_SWEEP_INTERVAL_S`` seconds it marks queued web tickets whose
customer has been silent for ``WEB_ABANDON_AFTER_S`` as ``abandoned``. The
deadline is a column in SQL (``tickets.last_customer_activity_at``), not a
timer in this process, so it survives restarts; the marking is one
conditional UPDATE per ticket, so several servers sweeping at once mark each
ticket once.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.services import waiting
from bot.settings import get_settings
from bot.storage.uow import SqlAlchemyUnitOfWork

logger = logging.getLogger(__name__)

_TASK_ATTR = "abandonment_sweep"


async def sweep_once(silence_s: int) -> list:
    """One sweep on a worker thread; the ids marked (an error is logged, never raised)."""
    try:
        marked = await asyncio.to_thread(waiting.sweep_abandoned, SqlAlchemyUnitOfWork(), silence_s)
    except Exception:  # the database is down for a moment: try again next round
        logger.exception("abandonment sweep failed")
        return []
    if marked:
        logger.info("abandoned after %s s of silence: %s", silence_s, ", ".join(marked))
    return marked


async def sweep_forever(silence_s: int, interval_s: float) -> None:
    """Sweep every ``interval_s`` seconds until cancelled."""
    while True:
        await sweep_once(silence_s)
        await asyncio.sleep(interval_s)


def install(app: Any) -> bool:
    """Start the sweep on ``app`` once, as a Sanic task (cancelled when the server stops);
    ``WEB_ABANDON_AFTER_S`` or ``ABANDON_SWEEP_INTERVAL_S`` 0: no sweep. Returns whether it
    was started by this call. Call from a ``before_server_start`` listener."""
    settings = get_settings()
    if getattr(app.ctx, _TASK_ATTR, False):
        return False
    if settings.web_abandon_after_s <= 0 or settings.abandon_sweep_interval_s <= 0:
        return False
    setattr(app.ctx, _TASK_ATTR, True)
    app.add_task(sweep_forever(settings.web_abandon_after_s, settings.abandon_sweep_interval_s))
    return True
