"""Human labels of the escalation reason codes (DESIGN.md §5), in the desk's languages.

The supervisor view shows these instead of codes; the metrics API sends them
(``reason_labels``) so every client names a reason the same way. A code this
table does not know is labelled with the code itself.
"""
from __future__ import annotations

from typing import Iterable

from bot.domain import REASON_CODES

REASON_LABELS: dict[str, dict[str, str]] = {
    "customer_request": {"en": "Asked for a person", "zh": "要求转人工"},
    "negative_emotion": {"en": "Upset customer", "zh": "客户情绪激动"},
    "complex_intent": {"en": "Case the bot must not handle", "zh": "需人工处理的复杂问题"},
    "flow_exhausted": {"en": "Guided steps did not help", "zh": "引导步骤未能解决"},
    "nlu_failure": {"en": "Not understood twice in a row", "zh": "连续两次未能理解"},
    "no_input": {"en": "No usable answer on the phone", "zh": "电话中无有效回应"},
    "system_error": {"en": "Wrote while the assistant was down", "zh": "系统故障期间留言"},
}


def reason_labels(codes: Iterable[str] = ()) -> dict[str, dict[str, str]]:
    """``{code: {"en": label, "zh": label}}`` for every known code plus ``codes``.

    Args:
        codes: further codes to label (e.g. those counted in a period); an
            unknown one gets its own name in both languages.
    """
    labels = {code: dict(REASON_LABELS.get(code, {"en": code, "zh": code})) for code in REASON_CODES}
    for code in codes:
        labels.setdefault(code, dict(REASON_LABELS.get(code, {"en": str(code), "zh": str(code)})))
    return labels
