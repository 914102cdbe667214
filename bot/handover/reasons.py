"""Where the reason codes of DESIGN.md §5 (bot.domain.ReasonCode) are recorded (which intents carry
one is escalation.yml's: ``EscalationConfig.reason_for_intent``)."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.db import EscalationReasonRow
from bot.domain import REASON_CODES
from bot.storage.repositories import EscalationReasonRepository



class SqlAlchemyEscalationReasonRepository(EscalationReasonRepository):
    """Every escalation reason recorded per conversation (for metrics and repeat escalations)."""
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, conversation_id: str, code: str, detail: Optional[str] = None) -> None:
        """Record why ``conversation_id`` went to a person.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if code not in REASON_CODES:
            raise ValueError(f"unknown reason code {code!r}")
        self.session.add(EscalationReasonRow(conversation_id=conversation_id, code=code, detail=detail))
        self.session.flush()

    def for_conversation(self, conversation_id: str) -> list[tuple[str, Optional[str]]]:
        """The (code, detail) pairs recorded for a conversation, oldest first.

        Args:
            conversation_id: the Rasa sender id.

        Returns:
            ``(code, detail)`` pairs.
        """
        stmt = (
            select(EscalationReasonRow.code, EscalationReasonRow.detail)
            .where(EscalationReasonRow.conversation_id == conversation_id)
            .order_by(EscalationReasonRow.id)
        )
        return [(code, detail) for code, detail in self.session.execute(stmt)]
