"""Guided troubleshooting flows (the password reset): start or resume, complete a step, give up."""
from __future__ import annotations

from typing import Any, Optional, Sequence

from bot.customers.model import Customer
from bot.domain import Flow
from bot.handover.troubleshooting import FLOWS, Progress
from bot.storage.uow import AbstractUnitOfWork

PASSWORD_RESET = Flow.PASSWORD_RESET.value  # the default flow of these use cases


def start_or_resume(uow: AbstractUnitOfWork, conversation_id: str, customer: Optional[Customer],
                    flow: str = PASSWORD_RESET) -> Progress:
    """The conversation's progress in ``flow``: a fresh one, or the customer's unfinished one.

    For a known customer the most recently changed progress of any of their
    conversations (any channel) counts; if it is still in progress it is
    copied to this conversation.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        customer: the linked customer, or None if the conversation is anonymous; one whose ``verification`` is
            ``none`` (the conversation is only remembered as theirs) counts as anonymous.
        flow: the troubleshooting flow (default: password reset).

    Returns:
        The conversation's progress (``Progress``).
    """
    with uow:
        source = conversation_id
        # only a conversation that proves the customer carries their progress over (one only remembered as theirs,
        # ``none``, is written in by whoever uses it: helper-222, session 48)
        if customer is not None and customer.verification != "none":
            conversations = [conversation_id] + customer.conversation_ids
            source = uow.customers.latest_progress_conversation(conversations, flow) or conversation_id
        progress = uow.progress.get(source, flow)
        if progress is None or progress.status != "in_progress":
            progress = Progress(conversation_id=conversation_id, flow=flow)
        elif source != conversation_id:  # resume here what another conversation started
            progress = Progress(conversation_id=conversation_id, flow=flow, steps_done=list(progress.steps_done),
                                next_step=progress.next_step, status=progress.status)
        else:
            return progress
        uow.progress.save(progress)
        uow.commit()
        return progress


def complete_step(uow: AbstractUnitOfWork, conversation_id: str, step: int, flow: str = PASSWORD_RESET) -> Progress:
    """Record that ``step`` worked; the returned progress says the next step or ``completed``.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        step: the number of the step that worked (1-based).
        flow: the troubleshooting flow (default: password reset).

    Returns:
        The progress: its next step, or ``completed``.
    """
    with uow:
        progress = uow.progress.get(conversation_id, flow) or Progress(conversation_id=conversation_id, flow=flow)
        progress.complete(step)
        uow.progress.save(progress)
        uow.commit()
        return progress


def give_up(uow: AbstractUnitOfWork, conversation_id: str, flow: str = PASSWORD_RESET) -> Progress:
    """The flow ran out of steps without fixing the problem (then the conversation goes to a person).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        flow: the troubleshooting flow (default: password reset).

    Returns:
        The progress, now ``failed``.
    """
    with uow:
        progress = uow.progress.get(conversation_id, flow) or Progress(conversation_id=conversation_id, flow=flow)
        progress.exhaust()
        uow.progress.save(progress)
        uow.commit()
        return progress


#: The topic (``escalation.yml`` ``topics``) each flow is about: a ticket of that topic is a case of the flow.
FLOW_TOPICS = {PASSWORD_RESET: "account"}


def flows_of(packet: Any) -> list[str]:
    """The troubleshooting flows a ticket is about: its packet's ``troubleshooting.flow``, and every flow of its
    topic (:data:`FLOW_TOPICS`: a password reset for an ``account`` ticket).

    Args:
        packet: the ticket's packet (a dict; anything else names none).

    Returns:
        Flow names, without repeats.
    """
    if not isinstance(packet, dict):
        return []
    trouble = packet.get("troubleshooting") if isinstance(packet.get("troubleshooting"), dict) else {}
    topic = (packet.get("intake") or {}).get("topic") if isinstance(packet.get("intake"), dict) else None
    named = [trouble.get("flow")] + [flow for flow, flow_topic in FLOW_TOPICS.items() if flow_topic == topic]
    return list(dict.fromkeys(flow for flow in named if flow in FLOWS))


def resolved_by_a_colleague(uow: AbstractUnitOfWork, conversation_ids: Sequence[str],
                            flows: Sequence[str] = tuple(FLOWS)) -> list[str]:
    """End every unfinished flow of these conversations: a colleague resolved the case (its ticket closed
    ``resolved``), so no channel offers to continue it (fresh new user, session 45: after an agent had fixed the
    password reset and closed the ticket, every new chat and call still offered "continue at step 4").

    Args:
        uow: a unit of work the caller has entered (and commits).
        conversation_ids: the ticket's conversation and the other conversations of its customer.
        flows: the flows the ticket was about (:func:`flows_of`; default every flow).

    Returns:
        The ``conversation:flow`` pairs ended (empty when none was in progress).
    """
    ended = []
    for conversation_id in dict.fromkeys(conversation_ids):
        for flow in flows:
            progress = uow.progress.get(conversation_id, flow)
            if progress is not None and progress.status == "in_progress":
                progress.resolve()
                uow.progress.save(progress)
                ended.append(f"{conversation_id}:{flow}")
    return ended
