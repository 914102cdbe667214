"""The domain vocabulary, each word defined once: ticket states, channels, reason codes, the packet.

- :class:`TicketState` with the transitions of DESIGN.md §4; an illegal
  transition raises :class:`IllegalTransition`.
- :class:`Channel`: the one mapping between Rasa input channel names
  (``webchat``, ``socketio``), the names in the handoff packet (``web``), the
  names outboxed replies are delivered under, and customer identity kinds.
- :class:`ReasonCode`: the escalation reasons of DESIGN.md §5.
- :class:`TicketEvent`: the kinds of a ticket's events (its history and transcript).
- :class:`Flow`: the guided troubleshooting flows whose progress is kept.
- :data:`LANGUAGES` and :func:`language_of`: the conversation languages.
- The handoff packet (DESIGN.md §6): :class:`PacketJSON` types the JSON object wherever a
  packet is read or passed on (the ticket's ``packet``, the queue's search fields, the
  services, the desk's view), its parts typed too (:class:`PacketReason`, :class:`PacketIntake`,
  :data:`TranscriptLine`, ...); :class:`HandoffPacket` is the typed model that builds one and
  reads one back (:meth:`HandoffPacket.from_json` / :meth:`HandoffPacket.to_json`), keys and
  their order unchanged.

Pure: no I/O, no SQLAlchemy, no Rasa.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, List, Mapping, Optional, Tuple, TypedDict, Union


class _Word(str, Enum):
    """A str enum whose ``str()`` is its value, so it formats, compares and serialises as the bare word."""

    def __str__(self) -> str:
        return self.value


class IllegalTransition(ValueError):
    """A ticket asked to move between two states DESIGN.md §4 does not connect."""

    def __init__(self, current: "TicketState", target: "TicketState") -> None:
        super().__init__(f"a ticket cannot go from {current.value} to {target.value}")
        self.current, self.target = current, target


class MessageIdConflict(Exception):
    """A client's ``message_id`` already used in this conversation (or on this ticket) for a different
    message: nothing was processed or recorded (a 409 on HTTP). The message is meant for the client.

    Raised for a customer's turn by bot/storage/idempotency.py (REST, the web chat) and, as its
    ``ReplyIdConflict``, for an agent's reply by ``bot.services.tickets.record_reply``."""


class TicketState(_Word):
    """Where a conversation is (DESIGN.md §4): with the bot, waiting, with a person, or done.

    ``bot`` is the conversation's state without an open ticket; a ticket is
    created ``queued`` or ``callback`` and ends ``closed`` or ``abandoned``.
    """

    BOT = "bot"
    QUEUED = "queued"
    WITH_AGENT = "with_agent"
    CALLBACK = "callback"
    CLOSED = "closed"
    ABANDONED = "abandoned"

    def can_become(self, target: "TicketState | str") -> bool:
        """Whether DESIGN.md §4 allows the move to ``target`` (a state or its name).

        Args:
            target: the state to move to (a :class:`TicketState` or its name).

        Returns:
            True when ``TRANSITIONS`` allows the move.
        """
        return TicketState(target) in TRANSITIONS[self]

    def to(self, target: "TicketState | str") -> "TicketState":
        """``target`` as a state, after checking the move.

        Args:
            target: the state to move to (a :class:`TicketState` or its name).

        Returns:
            ``target`` as a :class:`TicketState`.

        Raises:
            IllegalTransition: the move is not one of DESIGN.md §4.
            ValueError: ``target`` names no state.
        """
        target = TicketState(target)
        if target not in TRANSITIONS[self]:
            raise IllegalTransition(self, target)
        return target


TRANSITIONS: Mapping[TicketState, frozenset] = {
    # bot -> callback: handed over out of hours or with nobody online (the ticket starts as a call-back).
    TicketState.BOT: frozenset({TicketState.QUEUED, TicketState.CALLBACK}),
    # A queued ticket may also be closed by an agent without claiming it first.
    TicketState.QUEUED: frozenset({TicketState.WITH_AGENT, TicketState.CALLBACK, TicketState.ABANDONED,
                                   TicketState.CLOSED}),
    # Not named in DESIGN §4 (issue 14): callback -> closed when an agent closes a call-back or a left
    # message after answering it (by e-mail, text or call) without claiming it first; callback ->
    # abandoned when a call-back cannot be made (nobody reached) - the same end as a queued wait.
    TicketState.CALLBACK: frozenset({TicketState.WITH_AGENT, TicketState.ABANDONED, TicketState.CLOSED}),
    # with_agent -> with_agent: a transfer to another agent; -> queued: to a skill queue.
    TicketState.WITH_AGENT: frozenset({TicketState.WITH_AGENT, TicketState.QUEUED, TicketState.CLOSED}),
    TicketState.CLOSED: frozenset({TicketState.BOT}),
    TicketState.ABANDONED: frozenset({TicketState.BOT}),
}

#: Tickets waiting for an agent (the queue, and call-backs for the next shift).
WAITING_STATES: tuple = (TicketState.QUEUED, TicketState.CALLBACK)
#: Tickets not yet finished.
OPEN_STATES: tuple = (TicketState.QUEUED, TicketState.WITH_AGENT, TicketState.CALLBACK)
#: Conversation states in which customer messages go to a person, never to the bot.
HUMAN_STATES: tuple = (TicketState.QUEUED, TicketState.WITH_AGENT)
#: The key of the metadata on a ``ticket_id`` slot event that says the ticket followed its customer to this chat in
#: the turn (``bot.services.tickets.Followed.as_metadata``); the Rasa server's tracker store reads it after the turn
#: and pushes the replies that came with the ticket (``bot.storage.stores``, ``bot.services.delivery.after_move``).
TICKET_MOVED_KEY = "ticket_moved"
#: The metadata key the Rasa server adds to a customer message: the language its text is written in, when it shows
#: one (``bot.rasa_patches.note_written_language``). ``action_session_start`` sees the first message's metadata, not
#: its text, and reads it to tell an open case in the language of the message that starts the session.
WRITTEN_LANGUAGE_KEY = "written_language"
#: What an agent records when closing a ticket (DESIGN.md §7): the desk offers these and nothing else.
DISPOSITIONS: Tuple[str, ...] = ("resolved", "follow_up", "no_response", "transferred")


class Channel(_Word):
    """A channel by its packet name (``web | wechat | ivr | rest``, DESIGN.md §6).

    The other names of the same channel live here and nowhere else:
    :meth:`from_input` reads Rasa's ``input_channel``, :attr:`delivery` is the
    name replies are outboxed under, :attr:`identity_kind` the kind of the
    conversation-id identity a customer gets on this channel.
    """

    WEB = "web"
    WECHAT = "wechat"
    IVR = "ivr"
    REST = "rest"

    @classmethod
    def owning(cls, input_channel: Any) -> Optional["Channel"]:
        """The channel of a Rasa ``input_channel`` name, or ``None`` if it is not one of ours
        (``None`` from Rasa's HTTP API, an unknown name, a non-string).

        Args:
            input_channel: Rasa's ``input_channel`` (any value).

        Returns:
            The :class:`Channel`, or None.
        """
        return _RASA_NAMES.get(input_channel) if isinstance(input_channel, str) else None

    @classmethod
    def from_input(cls, input_channel: Optional[str]) -> "Channel":
        """Like :meth:`owning` but case-insensitive and accepting packet names; unknown -> ``rest``.

        Args:
            input_channel: a Rasa input channel name or a packet name, or None.

        Returns:
            The :class:`Channel` (``REST`` when unknown).
        """
        name = (input_channel or "rest").lower()
        return _RASA_NAMES.get(name) or _PACKET_NAMES.get(name) or cls.REST

    @classmethod
    def from_identity_kind(cls, kind: str) -> Optional["Channel"]:
        """The channel whose conversation ids are identities of ``kind`` (``web_session`` -> web), or None.

        Args:
            kind: an identity kind (``web_session``, ``wechat_openid``, ``ivr_caller``, …).

        Returns:
            The :class:`Channel`, or None.
        """
        return _BY_IDENTITY_KIND.get(kind)

    @property
    def rasa_name(self) -> str:
        """The Rasa input channel name our connector of this channel registers (``web`` -> ``webchat``)."""
        return _RASA_NAME[self]

    @property
    def delivery(self) -> str:
        """The channel name replies to this channel are outboxed under (``web`` -> ``webchat``)."""
        return _DELIVERY[self]

    @property
    def identity_kind(self) -> str:
        """The identity kind of a conversation id on this channel (``web`` -> ``web_session``)."""
        return _IDENTITY_KINDS[self]


_RASA_NAMES = {"rest": Channel.REST, "webchat": Channel.WEB, "socketio": Channel.WEB,
               "wechat": Channel.WECHAT, "ivr": Channel.IVR}
_RASA_NAME = {channel: name for name, channel in _RASA_NAMES.items() if name != "socketio"}
_PACKET_NAMES = {c.value: c for c in Channel}
_DELIVERY = {Channel.REST: "rest", Channel.WEB: "webchat", Channel.WECHAT: "wechat", Channel.IVR: "ivr"}
_IDENTITY_KINDS = {Channel.REST: "rest_sender", Channel.IVR: "ivr_call", Channel.WEB: "web_session",
                   Channel.WECHAT: "wechat"}
_BY_IDENTITY_KIND = {kind: channel for channel, kind in _IDENTITY_KINDS.items()}

#: The packet names of the channels (``web``, ``wechat``, ``ivr``, ``rest``), in declaration order.
CHANNELS: Tuple[str, ...] = tuple(channel.value for channel in Channel)
#: Identity kinds that are conversation ids (one per channel).
CONVERSATION_KINDS: Mapping[str, str] = {c.value: k for c, k in _IDENTITY_KINDS.items()}
#: How an identity of each kind is shown in the packet (``customer.identities[].channel``).
IDENTITY_CHANNEL: Mapping[str, str] = {
    "web": "web", "wechat": "wechat", "phone": "phone", "email": "email",
    **{kind: channel.value for channel, kind in _IDENTITY_KINDS.items()},
}


class TicketEvent(_Word):
    """The kind of a ticket event (the ``ticket_events.kind`` column), each written in one place.

    A state change records the new state's name (``queued``, ``callback``,
    ``abandoned``, ``closed``: ``bot.queue.tickets``); the others are below.
    """

    CREATED = "created"
    QUEUED = "queued"
    CLAIMED = "claimed"
    TRANSFERRED = "transferred"
    CALLBACK = "callback"
    CLOSED = "closed"
    ABANDONED = "abandoned"
    #: A line of the transcript (customer or agent; ``data.from`` says who).
    MESSAGE = "message"
    #: The customer's rating after the close (``data.rating`` 1-5).
    CSAT = "csat"
    #: A reply the customer's channel refused (``bot.services.tickets.note_delivery_failure``).
    DELIVERY_FAILED = "delivery_failed"
    #: The long-wait dialogue's step and the customer's choice in it (issue 14).
    WAIT_STEP = "wait_step"
    WAIT_CHOICE = "wait_choice"
    LEFT_MESSAGE = "left_message"
    #: An agent's reply sent on to a left message's e-mail or phone.
    NOTIFIED = "notified"
    #: An agent's read mark on the customer's messages (web chat receipts).
    VIEWED = "viewed"
    #: The customer wrote on another of their conversations and the open ticket followed them there
    #: (``data``: ``from_conversation``, ``from_channel``, ``to_conversation``, ``to_channel``;
    #: ``bot.services.tickets.follow_customer``).
    CONTINUED = "continued"
    #: The caller hung up while an agent held their call (``bot.services.waiting.abandon_hung_up``): no live call.
    CALL_ENDED = "call_ended"


#: Events shown as a ticket's history in the desk (messages are its transcript).
HISTORY_EVENTS: Tuple[str, ...] = tuple(e.value for e in (
    TicketEvent.CREATED, TicketEvent.CLAIMED, TicketEvent.TRANSFERRED, TicketEvent.CLOSED, TicketEvent.CALLBACK,
    TicketEvent.QUEUED, TicketEvent.ABANDONED, TicketEvent.CSAT, TicketEvent.DELIVERY_FAILED, TicketEvent.CONTINUED,
    TicketEvent.CALL_ENDED))


class Flow(_Word):
    """A guided troubleshooting flow whose progress is kept per conversation (and shown to a
    person after a hand-over, DESIGN.md §6 ``troubleshooting``)."""

    PASSWORD_RESET = "password_reset"


#: The languages of a conversation (the ``language`` slot, the packet, canned replies).
LANGUAGES: Tuple[str, ...] = ("en", "zh")


def language_of(tracker: Any) -> str:
    """The conversation's language from its ``language`` slot: ``zh``, else ``en`` (unset or unknown).

    ``tracker``: anything with ``get_slot(name)`` (a Rasa or rasa-sdk tracker).

    Args:
        tracker: a Rasa or rasa-sdk tracker (anything with ``get_slot``).

    Returns:
        ``zh`` or ``en``.
    """
    return "zh" if tracker.get_slot("language") == "zh" else "en"


class ReasonCode(_Word):
    """Why a conversation went to a person (DESIGN.md §5); default precedence is the order here."""

    CUSTOMER_REQUEST = "customer_request"
    NEGATIVE_EMOTION = "negative_emotion"
    COMPLEX_INTENT = "complex_intent"
    FLOW_EXHAUSTED = "flow_exhausted"
    NLU_FAILURE = "nlu_failure"
    NO_INPUT = "no_input"
    SYSTEM_ERROR = "system_error"  # the action server could not run an action (bot/handover/action_fallback.py)


#: Every reason code, as plain strings, in the default precedence of DESIGN.md §6.
REASON_CODES: tuple = tuple(code.value for code in ReasonCode)


class PacketTrigger(TypedDict):
    """One escalation trigger that fired: a :class:`ReasonCode` value and what showed it."""

    code: str
    detail: Optional[str]


class PacketReason(PacketTrigger):
    """``reason``: the first trigger in the precedence of escalation.yml, and every trigger."""

    triggers: List[PacketTrigger]


class PacketIdentity(TypedDict, total=False):
    """One of ``customer.identities``: ``channel`` and ``id`` always; ``kind`` and ``verified``
    for a known customer (bot.customers)."""

    channel: str
    id: str
    kind: str
    verified: bool


class PacketCustomer(TypedDict, total=False):
    """``customer``: ``id``, ``identities`` and ``verification`` (token | platform |
    order_contact | none) always; ``display_name`` for a known customer."""

    id: str
    display_name: Optional[str]
    identities: List[PacketIdentity]
    verification: str


class PacketConversation(TypedDict):
    """One of ``conversations``: a conversation of the customer and its channel."""

    conversation_id: str
    channel: str


class PacketIntake(TypedDict):
    """``intake``: the facts an agent needs, unmasked (None when not given)."""

    order_number: Optional[str]
    email: Optional[str]
    phone: Optional[str]
    topic: Optional[str]


class PacketTroubleshooting(TypedDict):
    """``troubleshooting``: a guided flow's progress ("3. open the e-mail link" steps)."""

    flow: str
    status: str
    steps_done: List[str]
    next_step: Optional[str]
    total_steps: Optional[int]
    steps_failed: List[str]  # once per failure ("4. …" twice: it failed twice); session 45


class PacketEmotion(TypedDict):
    """``emotion``: the latest label and score (0..1), the negativity of each turn (0..1)."""

    label: str
    score: float
    history: List[float]


class PacketAttachment(TypedDict):
    """A photo on a transcript line: its id and the desk's URL of it."""

    id: str
    url: str


# ``from`` is a Python keyword: the line's required keys are declared the functional way.
_TranscriptLineRequired = TypedDict("_TranscriptLineRequired", {"from": str, "text": str, "at": str, "channel": str})


class TranscriptLine(_TranscriptLineRequired, total=False):
    """A transcript line: ``from`` (customer | bot | agent), masked ``text``, ``at`` (ISO-8601,
    UTC), ``channel`` (packet name); ``conversation_id`` and ``attachments`` when present."""

    conversation_id: str
    attachments: List[PacketAttachment]


class PacketSla(TypedDict):
    """``sla``: the target wait in seconds and when it is due (ISO-8601, UTC): the target after the
    hand-over, or after support hours next open for a case handed over outside them."""

    target_wait_s: int
    due_at: str


@dataclass(frozen=True)
class HandoffPacket:
    """The handoff packet (``schema: handoff/v1``, DESIGN.md §6) as typed fields.

    Nested parts are the JSON mappings typed above (:class:`PacketCustomer`,
    :class:`PacketReason`, :class:`PacketIntake`, ...): the contract fixes their keys, and
    they travel as JSON. :meth:`as_dict` gives the :class:`PacketJSON` object with the keys
    in the order the packet has always had, so a packet round-trips byte for byte through
    :meth:`to_json` and :meth:`from_json`.
    """

    ticket_id: str
    created_at: str  # ISO-8601, UTC
    conversation_id: str
    channel: str  # Channel value
    language: str  # en | zh
    customer: PacketCustomer
    reason: PacketReason
    priority: int  # 1 is most urgent
    skills: List[str]
    summary: str
    intake: PacketIntake
    troubleshooting: Optional[PacketTroubleshooting]
    emotion: PacketEmotion
    transcript: List[TranscriptLine]
    sla: PacketSla
    channels_used: List[str] = field(default_factory=list)
    conversations: List[PacketConversation] = field(default_factory=list)
    summaries: dict = field(default_factory=dict)  # {language: summary}
    schema: str = "handoff/v1"

    #: JSON key order of the packet.
    KEYS = ("schema", "ticket_id", "created_at", "conversation_id", "channel", "language", "customer",
            "channels_used", "conversations", "reason", "priority", "skills", "summary", "summaries", "intake",
            "troubleshooting", "emotion", "transcript", "sla")

    @property
    def reason_code(self) -> ReasonCode:
        """The primary reason as a :class:`ReasonCode`."""
        return ReasonCode(self.reason["code"])

    def as_dict(self) -> PacketJSON:
        """The packet as its JSON object (DESIGN.md §6), keys in :attr:`KEYS` order."""
        return {key: getattr(self, key) for key in self.KEYS}  # type: ignore[return-value]

    def to_json(self) -> str:
        """The packet's JSON text (UTF-8 characters kept, keys in :attr:`KEYS` order)."""
        return json.dumps(self.as_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, data: Union[str, bytes, Mapping[str, Any]]) -> "HandoffPacket":
        """A packet from its JSON text, or from the object already parsed (a ticket's ``packet``).

        Args:
            data: JSON text (str or UTF-8 bytes) or the decoded :class:`PacketJSON` object.

        Returns:
            The packet; :meth:`as_dict` gives back the same object (unknown keys dropped).

        Raises:
            ValueError: not JSON, not an object, the schema is not ``handoff/v1``, or a
                required field is missing.
        """
        parsed = json.loads(data) if isinstance(data, (str, bytes)) else data
        if not isinstance(parsed, Mapping):
            raise ValueError("a handoff packet is a JSON object")
        return cls.from_dict(parsed)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "HandoffPacket":
        """A packet from its JSON object; unknown keys are dropped.

        Args:
            data: the packet's JSON object (a stored ``tickets.packet``).

        Returns:
            The :class:`HandoffPacket`.

        Raises:
            ValueError: the schema is not ``handoff/v1`` or a required field is missing.
        """
        if data.get("schema") != "handoff/v1":
            raise ValueError(f"not a handoff/v1 packet: schema {data.get('schema')!r}")
        missing = [k for k in cls.KEYS if k not in data and k not in _OPTIONAL_KEYS]
        if missing:
            raise ValueError(f"handoff packet without {', '.join(missing)}")
        return cls(**{k: data[k] for k in cls.KEYS if k in data})


#: Keys a packet built before they were added lacks.
_OPTIONAL_KEYS = ("channels_used", "conversations", "summaries")
# The packet's keys and their types are written once, as HandoffPacket's fields: the JSON object's
# TypedDict takes the required ones from there.
_PacketJSONRequired = TypedDict(  # type: ignore[misc]
    "_PacketJSONRequired", {k: HandoffPacket.__annotations__[k] for k in HandoffPacket.KEYS if k not in _OPTIONAL_KEYS})


class PacketJSON(_PacketJSONRequired, total=False):  # type: ignore[valid-type,misc]
    """The handoff packet as the JSON object stored on the ticket and sent to the desk
    (DESIGN.md §6): :class:`HandoffPacket`'s fields as keys; ``channels_used``, ``conversations``
    and ``summaries`` (summary per desk language) are in every packet built since they were added."""

    channels_used: List[str]
    conversations: List[PacketConversation]
    summaries: dict
