"""Who serves a conversation: an agent claims it, transfers it, closes it and hands it back (DESIGN.md §4, §7).

Each use case is one function taking the unit-of-work factory and an
:class:`Assistant`, the two things the running Rasa server does for it (the
agent desk connector implements it over ``request.app.ctx.agent``):

- :func:`claim_and_announce`: the claim, ``handoff_state`` ``with_agent`` in
  the tracker, and the customer is told who joined (:data:`JOINED`);
- :func:`transfer_and_announce`: the transfer, the tracker's state, and the
  customer is told who joined or that a colleague will (:data:`TRANSFERRING`);
- :func:`close_and_hand_back`: the close, then the bot takes the conversation
  back (``action_return_to_bot``: the rating question, or what happened when nobody
  answered) and what it says is delivered.

The customer's words go through ``bot.services.delivery.deliver`` (outbox,
then push), so a customer without an open client reads them later.
"""
from __future__ import annotations

import logging
from typing import List, Optional, Protocol

from bot.services import UnitOfWorkFactory
from bot.domain import HUMAN_STATES, Channel, TicketState
from bot.queue.tickets import Ticket
from bot.services import run_db
from bot.services import desk as desk_service
from bot.services import tickets as tickets_service
from bot.services.delivery import deliver, show_status
from bot.services.desk import Transferred
from bot.text import markdown_literal

logger = logging.getLogger(__name__)

#: Said to the customer when an agent takes their conversation (a claim, or a transfer to that agent).
#: ``{name}`` is filled with the display name markdown-escaped (:func:`_joined`): a supervisor types it,
#: and the widget renders this line as markdown, so ``**…**`` or ``[…](https://…)`` must stay literal.
JOINED = {
    "en": "{name} from our support team has joined the chat.",
    "zh": "客服{name}已接入，将为您继续处理。",
}
#: Said to the customer when their ticket goes back to a skill queue (a transfer to an agent says JOINED).
TRANSFERRING = {
    "en": "I'm passing you to a colleague who specialises in this. Please stay in the chat; "
          "you won't need to repeat anything.",
    "zh": "正在为您转接到相关专员，请不要离开，您无需重复说明。",
}
#: The action that gives the conversation back to the bot after a close (asks for a rating).
RETURN_TO_BOT = "action_return_to_bot"



class Assistant(Protocol):
    """What the running Rasa server does for these use cases (the agent desk connector implements it)."""

    async def set_handoff_state(self, conversation_id: str, state: TicketState) -> None:
        """Write ``state`` into the tracker's ``handoff_state`` slot under the conversation's lock, so
        the customer's messages go to the ticket, not the bot. Never raises (a failure is logged).

        Args:
            conversation_id: the Rasa sender id.
            state: the ticket's state (``queued`` or ``with_agent``; the bot answers again after ``closed``).
        """

    async def run_action(self, conversation_id: str, action: str) -> List[dict]:
        """Run the custom action ``action`` on the conversation as a bot turn (under its lock, then
        listen) and return what the bot said (Rasa bot messages without ``recipient_id``).

        Args:
            conversation_id: the Rasa sender id.
            action: the custom action's name (e.g. :data:`RETURN_TO_BOT`).

        Returns:
            Rasa bot message dicts (``text``, ``buttons``, ``custom``, …).

        Raises:
            Exception: whatever Rasa raised; the caller logs it.
        """


def _words(table: dict, language: str, **fields: str) -> str:
    return table.get(language, table["en"]).format(**fields)


def _joined(language: str, agent_name: str) -> str:
    """:data:`JOINED` in ``language`` with the agent's display name as literal text (``bot.text.markdown_literal``,
    as every value echoed to the customer); ``custom.agent`` keeps the name as written (data, not markdown)."""
    return _words(JOINED, language, name=markdown_literal(agent_name))


async def _tell(uow_factory: UnitOfWorkFactory, ticket: Ticket, text: str, agent_name: Optional[str]) -> None:
    """A system line to the ticket's customer on their channel (outbox, then push)."""
    custom = {"from": "system", **({"agent": agent_name} if agent_name else {})}
    await deliver(uow_factory, ticket.conversation_id, Channel.from_input(ticket.channel).delivery,
                  [{"text": text, "custom": custom}], ticket_id=ticket.ticket_id)


async def claim_and_announce(uow_factory: UnitOfWorkFactory, assistant: Assistant, ticket_id: str, username: str,
                             agent_name: str) -> Ticket:
    """An agent claims a ticket and the customer hears that they joined.

    1. ``bot.services.tickets.claim`` (in a worker thread);
    2. the tracker's ``handoff_state`` becomes ``with_agent`` (a call-back ticket left the bot
       serving until now);
    3. :data:`JOINED` in the ticket's language, named after ``agent_name``, is delivered.

    Args:
        uow_factory: makes a fresh unit of work.
        assistant: the Rasa server (see :class:`Assistant`).
        ticket_id: the ticket's id.
        username: the claiming agent; ``agent_name``: their display name, shown to the customer.
        agent_name: the agent's display name, as the customer sees it.

    Returns:
        The claimed ticket.

    Raises:
        TicketNotFound, TicketClosed, ClaimConflict (from ``tickets.claim``); nothing else happened.
    """
    claimed = await run_db(tickets_service.claim, uow_factory(), ticket_id, username)
    await assistant.set_handoff_state(claimed.conversation_id, TicketState.WITH_AGENT)
    await _tell(uow_factory, claimed, _joined(claimed.language, agent_name), agent_name)
    await show_status(uow_factory, claimed.conversation_id, Channel.from_input(claimed.channel))  # "Agent 4" now
    return claimed


async def transfer_and_announce(uow_factory: UnitOfWorkFactory, assistant: Assistant, ticket_id: str, by: str,
                                supervisor: bool, agent: Optional[str] = None,
                                skill: Optional[str] = None) -> Transferred:
    """A ticket goes to another agent or a skill queue, and the customer is told.

    1. ``bot.services.desk.transfer`` (exactly one of ``agent`` and ``skill``);
    2. a ticket now with a person (``with_agent`` or ``queued``) gets that state in the
       tracker; a call-back a supervisor re-routes stays with the bot;
    3. :data:`JOINED` (named after the receiving agent) or :data:`TRANSFERRING` is delivered.

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        assistant: the Rasa server's part (``bot.services.takeover.Assistant``).
        ticket_id: the ticket's id.
        by: the user name of the agent or supervisor doing it (audited).
        supervisor: whether the one acting is a supervisor (may act on any ticket).
        agent: the user name of the agent to transfer to.
        skill: the skill queue to transfer to.

    Returns:
        The :class:`bot.services.desk.Transferred` result.

    Raises:
        What ``desk.transfer`` raises (TicketNotFound, TicketClosed, TransferRefused,
        UnknownTarget, IllegalTransition, ClaimConflict); nothing else happened.
    """
    done = await run_db(desk_service.transfer, uow_factory(), ticket_id, by, supervisor, agent, skill)
    ticket = done.ticket
    if ticket.state in HUMAN_STATES:
        await assistant.set_handoff_state(ticket.conversation_id, TicketState(ticket.state))
    words = (_joined(ticket.language, done.agent_name or done.agent) if done.agent
             else _words(TRANSFERRING, ticket.language))
    await _tell(uow_factory, ticket, words, done.agent_name if done.agent else None)
    await show_status(uow_factory, ticket.conversation_id, Channel.from_input(ticket.channel))
    return done


async def close_and_hand_back(uow_factory: UnitOfWorkFactory, assistant: Assistant, ticket_id: str, username: str,
                              disposition: str, supervisor: bool) -> Ticket:
    """An agent (or any supervisor) closes a ticket and the bot takes the conversation back.

    1. ``bot.services.tickets.close`` with ``disposition`` (one of ``bot.domain.DISPOSITIONS``); a ticket no
       colleague served (``bot.services.tickets.served``: no agent message reached the customer, no call) closes
       with no holder: nobody is credited a handled ticket, handle time or rating;
    2. :data:`RETURN_TO_BOT` runs as a bot turn (it clears the hand-over and asks for a rating, or, for a
       ticket nobody served, says plainly that it was closed without a reply);
    3. what the bot said is delivered on the customer's channel.

    A failure of steps 2-3 is logged, not raised: the ticket stays closed.

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        assistant: the Rasa server's part (``bot.services.takeover.Assistant``).
        ticket_id, username, disposition, supervisor: as :func:`bot.services.tickets.close`.

    Returns:
        The closed ticket; the bot has the conversation back.

    Raises:
        TicketNotFound, TicketClosed, ClaimConflict, NotHolder (from ``tickets.close``).
    """
    closed = await run_db(tickets_service.close, uow_factory(), ticket_id, username, disposition, supervisor)
    try:
        said = await assistant.run_action(closed.conversation_id, RETURN_TO_BOT)
    except Exception:
        logger.exception("could not hand %s back to the bot", closed.conversation_id)
        return closed
    if said:
        await deliver(uow_factory, closed.conversation_id, Channel.from_input(closed.channel).delivery, said)
    await show_status(uow_factory, closed.conversation_id, Channel.from_input(closed.channel))  # the bot's again
    return closed
