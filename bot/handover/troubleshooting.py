"""Guided troubleshooting flows and where each customer is in them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import Flow
from bot.storage.db import TroubleshootingProgressRow
from bot.storage.repositories import ProgressRepository

# Step counts per flow. Step texts live in the domain as responses
# `utter_<flow>_step_<n>` (and `..._help` for the second try) so they are
# translated and rendered per channel like every other response.
FLOWS = {Flow.PASSWORD_RESET.value: 4}


@dataclass
class Progress:
    """How far a conversation got in a troubleshooting flow: steps done, the next one, ``status``
    in_progress | completed | exhausted | resolved (by a colleague)."""
    conversation_id: str
    flow: str
    steps_done: list[int] = field(default_factory=list)
    next_step: Optional[int] = 1
    status: str = "in_progress"

    @property
    def total_steps(self) -> int:
        """How many steps the flow has."""
        return FLOWS[self.flow]

    def complete(self, step: int) -> None:
        """Mark ``step`` done; the next step follows, or the flow is completed.

        Args:
            step: the step number done (1-based).
        """
        if step not in self.steps_done:
            self.steps_done.append(step)
        if step >= self.total_steps:
            self.next_step = None
            self.status = "completed"
        else:
            self.next_step = step + 1

    def exhaust(self) -> None:
        """The flow ran out of steps without fixing the problem."""
        self.status = "exhausted"

    def resolve(self) -> None:
        """A colleague resolved the case the flow was for (its ticket closed ``resolved``): nothing to resume."""
        self.status = "resolved"


class SqlAlchemyProgressRepository(ProgressRepository):
    """Troubleshooting progress per (conversation, flow) on the unit of work's session."""
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, conversation_id: str, flow: str) -> Optional[TroubleshootingProgressRow]:
        stmt = select(TroubleshootingProgressRow).where(
            TroubleshootingProgressRow.conversation_id == conversation_id,
            TroubleshootingProgressRow.flow == flow,
        )
        return self.session.execute(stmt).scalar_one_or_none()

    def get(self, conversation_id: str, flow: str) -> Optional[Progress]:
        """The progress of a conversation in ``flow``, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self._row(conversation_id, flow)
        if row is None:
            return None
        return Progress(
            conversation_id=row.conversation_id,
            flow=row.flow,
            steps_done=list(row.steps_done or []),
            next_step=row.next_step,
            status=row.status,
        )

    def save(self, progress: Progress) -> None:
        """Insert or update the progress (flushed, not committed).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self._row(progress.conversation_id, progress.flow)
        if row is None:
            row = TroubleshootingProgressRow(
                conversation_id=progress.conversation_id, flow=progress.flow
            )
            self.session.add(row)
        row.steps_done = list(progress.steps_done)
        row.next_step = progress.next_step
        row.status = progress.status
        self.session.flush()
