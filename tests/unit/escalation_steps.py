"""Steps the escalation policy's unit tests share (issue 11, the triage tests of sessions 26-31).

Each of those files read a message as the emotion model might score it and asked whether the decision carries the
emotion trigger; the two steps were written out in every file (duplicates D1, D2 of session 31's reread).
"""
from typing import Optional

from bot.handover.policy import Decision, Emotion, Turn, decide, load_config

CONFIG = load_config()


def decide_one(text: str, anger: float, intent: str = "inform", config=CONFIG) -> Optional[Decision]:
    """The policy's decision on one first message whose emotion model reads ``anger``.

    Args:
        text: the customer's message (the triage cues are read from it).
        anger: the model's calibrated anger, 0..1 (``Emotion("anger", anger, anger)``).
        intent: the NLU intent name the message is read as.
        config: the escalation rules (default: the project's ``escalation.yml``).

    Returns:
        The :class:`Decision`, or None when nothing escalates.
    """
    return decide([Turn.from_text(intent, Emotion("anger", anger, anger), text)], config)


def escalates_for_emotion(decision: Optional[Decision]) -> bool:
    """True when ``decision`` hands over and ``negative_emotion`` is among the triggers that fired (not only the
    primary one).

    Args:
        decision: a :func:`bot.handover.policy.decide` result, or None.

    Returns:
        True or False.
    """
    return decision is not None and "negative_emotion" in [t.code for t in decision.all_triggers()]

