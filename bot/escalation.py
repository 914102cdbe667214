"""Reason codes of DESIGN.md §5 and where they are recorded."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import EscalationReasonRow

REASON_CODES = (
    "customer_request",
    "negative_emotion",
    "complex_intent",
    "nlu_failure",
    "flow_exhausted",
    "no_input",
    "system_error",  # the action server could not run an action (bot/action_fallback.py)
)

# Intents that always go to a person, with the reason code they carry.
INTENT_REASONS = {
    "request_human": "customer_request",
    "complain": "complex_intent",
    "report_fraud": "complex_intent",
    "billing_dispute": "complex_intent",
}


class SqlAlchemyEscalationReasonRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, conversation_id: str, code: str, detail: Optional[str] = None) -> None:
        if code not in REASON_CODES:
            raise ValueError(f"unknown reason code {code!r}")
        self.session.add(EscalationReasonRow(conversation_id=conversation_id, code=code, detail=detail))
        self.session.flush()

    def for_conversation(self, conversation_id: str) -> list[tuple[str, Optional[str]]]:
        stmt = (
            select(EscalationReasonRow.code, EscalationReasonRow.detail)
            .where(EscalationReasonRow.conversation_id == conversation_id)
            .order_by(EscalationReasonRow.id)
        )
        return [(code, detail) for code, detail in self.session.execute(stmt)]
