"""Every change this project makes to Rasa's own classes, listed and installed in one place.

Rasa 3.6 has no hook for what these do, so the project replaces a few of its methods in the
Rasa server's process. :data:`PATCHES` is the one list: what each replaces, why, and the
function that installs it. :func:`install_all` installs them, each once; it is called when
the project's tracker store is loaded (bot/storage/stores.py, named in endpoints.yml), i.e. in
every Rasa server that serves this project — ``rasa run`` started by scripts/run.sh,
scripts/rasa_launch.py, the integration tests and the benchmarks alike. A plain Rasa process
(``rasa train``, ``rasa data validate``) is left as Rasa ships it.

Every patch was written against, and is checked with, Rasa :data:`RASA_VERSION_CHECKED`
(tests/unit/test_rasa_patches.py; the speed patches are compared with Rasa's own methods in
tests/unit/test_speed.py). On another Rasa version :func:`install_all` logs a warning: read
each patched method in the new Rasa before moving the pin in requirements.txt.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional, Tuple

from bot import nlu_worker, rasa_speed
from bot.handover import action_fallback, session_start
from bot.privacy.masking import mask_cards, mask_cards_in, mask_split_card
from bot.storage import idempotency

logger = logging.getLogger(__name__)

RASA_VERSION_CHECKED = "3.6.21"


#: Channels whose metadata our connectors make from a platform's signed request (caller ids, call
#: ids, WeChat MsgIds: ids that must stay unique and numbers to call back): only what the caller
#: said (``spoken``) is masked there. Every other channel's metadata (the web chat's, a REST
#: client's, Rasa's API's) comes from the client and is masked whole.
PLATFORM_CHANNELS = frozenset({"ivr", "wechat"})
#: Metadata the server checks and needs as sent: a signed customer token, a stored photo's id.
KEPT_METADATA = frozenset({"customer_token", "attachment_id"})
#: What replaces the recogniser's record of two turns a card number was split over.
SPLIT_SPOKEN = {"dropped": "a card number was split over this turn and the one next to it"}
_CARD_TAG = re.compile(r"\[card …\d{4}\]")


def mask_message_cards(message) -> None:  # type: ignore[no-untyped-def]
    """Replace full card numbers in a Rasa ``UserMessage`` by ``[card …NNNN]``, in place.

    Rewrites ``message.text``, the text of ``message.parse_data`` (Rasa's HTTP API accepts
    one) and the metadata: on the web chat, REST and Rasa's own channels every key and value a
    client sent but :data:`KEPT_METADATA` (a card number in a ``message_id`` becomes a hash, :data:`ID_METADATA`); on the IVR and WeChat
    (:data:`PLATFORM_CHANNELS`) the recogniser's record ``spoken`` (what the caller said, as heard).

    Args:
        message: a ``rasa.core.channels.channel.UserMessage`` (anything with ``text``,
            ``parse_data``, ``input_channel`` and ``metadata`` attributes).
    """
    message.text = mask_cards(message.text)
    if isinstance(message.parse_data, dict):
        message.parse_data = mask_cards_in(message.parse_data)
    scanned = scanned_metadata(message)  # the one statement of which metadata is read
    if scanned is None:
        return
    message.metadata = {
        **{key: value for key, value in message.metadata.items() if key not in scanned},
        **{mask_cards(key) if isinstance(key, str) else key:
           _masked_id(value) if key in ID_METADATA else mask_cards_in(value)
           for key, value in scanned.items()}}


#: Client ids the server compares (the idempotent-turns check): a card number in one becomes a hash of
#: it, not the card's tag, so two ids stay two and a retried id stays the same (review, twelfth pass).
ID_METADATA = frozenset({"message_id"})


def _masked_id(value: Any) -> Any:
    """``value`` as is when it holds no card number, else ``card-id-`` and the first 32 hex digits of its
    SHA-256 (stable for a retry, distinct for another id, the digits not recoverable in practice)."""
    if not isinstance(value, str):
        return mask_cards_in(value)
    if mask_cards(value) == value:  # one scan: masking a value without a card gives it back as is
        return value
    return "card-id-" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


async def mask_split_message_off_the_loop(message, tracker) -> Optional[Any]:  # type: ignore[no-untyped-def]
    """Mask a card number split over the customer's previous message and ``message``, in place.

    The previous customer message of the session (``tracker``'s last ``UserUttered``) and the new
    text are joined as :func:`bot.privacy.masking.mask_split_card` says; the part in the new
    message is masked here, the part in the previous event in memory (text, parse data text,
    entity values); both turns' IVR recogniser records (``spoken``) become :data:`SPLIT_SPOKEN`. Storing the previous
    event again is the caller's (the tracker store's ``rewrite_user_event``).

    The search (``mask_split_card``, which changes nothing) runs on the NLU worker thread when either message is long
    (``nlu_worker.on_the_thread``: 24 ms for two 4,000-character texts); the events are changed here on the loop after
    it. A caller cancelled during the search (a client that hung up) changes nothing, so a retry finds the split again
    (helper-208: changed on the thread, the previous event was masked in the warm tracker but not stored again, and the
    retry stored both halves as typed).

    Args:
        message: the new ``UserMessage`` (its own full card numbers already masked).
        tracker: the conversation's ``DialogueStateTracker`` before the message is added.

    Returns:
        The previous ``UserUttered`` when it was masked (to store again), else None.

    Raises:
        asyncio.CancelledError: the caller was cancelled (nothing was changed).
    """
    from rasa.shared.core.events import UserUttered

    previous = next((e for e in reversed(tracker.events) if isinstance(e, UserUttered)), None)
    if previous is None or not previous.text or not message.text:
        return None
    long = nlu_worker.on_the_thread(message.text) or nlu_worker.on_the_thread(previous.text)
    masked = await nlu_worker.run_long_work(long, mask_split_card, previous.text, message.text)
    return None if masked is None else _apply_split(message, previous, masked)


def _apply_split(message, previous, masked: Tuple[str, str]) -> Any:  # type: ignore[no-untyped-def]
    """Put ``mask_split_card``'s two texts into ``message`` and ``previous`` (their parse data, entities and IVR
    records as :func:`mask_split_message_off_the_loop` says); returns ``previous``."""
    if isinstance(message.parse_data, dict) and message.parse_data.get("text") == message.text:
        message.parse_data = {**message.parse_data, "text": masked[1]}
    old_text, (previous.text, message.text) = previous.text, masked
    previous.parse_data["text"] = previous.text
    tag = _CARD_TAG.search(message.text).group(0)
    start = len(os.path.commonprefix([old_text, previous.text]))
    end = len(old_text) - len(os.path.commonprefix([old_text[start:][::-1], previous.text[start:][::-1]]))
    digits = old_text[start:end]
    for entity in [*previous.entities, *(previous.parse_data.get("entities") or [])]:
        # an extractor's copy of the masked digits ("4111 1111") goes too; an entity that only overlaps
        # them (the whole-text ``language``) keeps its value, its copy of the digits masked (review)
        at = (entity.get("start"), entity.get("end"))
        if not (all(isinstance(n, int) for n in at) and at[0] < end and at[1] > start):
            continue
        value = entity.get("value")
        if (at[0] >= start and at[1] <= end) or (isinstance(value, str) and value.strip() and value.strip() in digits):
            entity["value"] = tag
        elif isinstance(entity.get("value"), str) and digits and digits in entity["value"]:
            entity["value"] = entity["value"].replace(digits, tag)
    # the recogniser's records of the two turns hold the digits as heard: dropped
    for event_metadata in (message.metadata, previous.metadata, previous.parse_data.get("metadata")):
        if isinstance(event_metadata, dict) and "spoken" in event_metadata:
            event_metadata["spoken"] = SPLIT_SPOKEN
    return previous


#: Metadata whose values the masking reads (:func:`scanned_metadata`), or parse data, of more than this many characters
#: of strings and keys is masked on the NLU worker thread, as a text longer than ``nlu_worker.LONG_MESSAGE_CHARS`` is.
#: 500 characters of digit groups take about 16 ms to mask, of phone-, ID- and date-like text up to about 20 (session
#: 44, helper-208). A web chat message's own metadata (channel, language, message id, up to 200 characters of what a
#: button showed) stays under it but for a button's longest labels, whose masking then goes to the thread too.
LONG_METADATA_CHARS = 500


def scanned_metadata(message) -> Any:  # type: ignore[no-untyped-def]
    """What of ``message.metadata`` :func:`mask_message_cards` reads: the recogniser's record ``spoken`` on the
    platform channels, every key and value but :data:`KEPT_METADATA` on the others (None when there is none).

    Args:
        message: a ``UserMessage`` (anything with ``metadata`` and ``input_channel`` attributes).

    Returns:
        A dict, or None.
    """
    metadata = message.metadata
    if not isinstance(metadata, dict) or not metadata:
        return None
    if getattr(message, "input_channel", None) in PLATFORM_CHANNELS:
        return {"spoken": metadata["spoken"]} if "spoken" in metadata else None
    return {key: value for key, value in metadata.items() if key not in KEPT_METADATA} or None


def masked_on_the_thread(message) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``message``'s cards are masked on the NLU worker thread (:func:`mask_cards_off_the_loop`): its text is
    long (``nlu_worker.on_the_thread``), or its parse data or :func:`scanned_metadata` holds more than
    :data:`LONG_METADATA_CHARS` characters of strings and keys.

    Args:
        message: a ``UserMessage``.

    Returns:
        True or False.
    """
    if nlu_worker.on_the_thread(message.text):
        return True
    parse_data = message.parse_data if isinstance(message.parse_data, dict) else None
    return any(_longer_than(value, LONG_METADATA_CHARS) for value in (parse_data, scanned_metadata(message)) if value)


def _longer_than(value: Any, limit: int) -> bool:
    """Whether the strings and keys of a JSON-like ``value`` (each item at least one character) add up to more than
    ``limit`` characters, read only until they do: a megabyte of a client's parse data is not written out as JSON on
    the loop to learn that it is long (helper-208)."""
    total, todo = 0, [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            total += sum(len(key) if isinstance(key, str) else 1 for key in item)
            todo.extend(item.values())
        elif isinstance(item, (list, tuple)):
            total += len(item)
            todo.extend(item)
        else:
            total += len(item) if isinstance(item, str) else 1
        if total > limit:
            return True
    return False


async def mask_cards_off_the_loop(message) -> None:  # type: ignore[no-untyped-def]
    """:func:`mask_message_cards`, on the NLU worker thread for a long message (:func:`masked_on_the_thread`), else
    here. Masking reads every digit group for a card number: a 4,000-character message of them took 120-140 ms, which
    held the server's one event loop (every channel, conversation and the agent desk) before the message was read on
    the thread (issue 11, session 44; ``make bench-held-loop``).

    Args:
        message: the ``UserMessage``, changed in place.

    Raises:
        asyncio.CancelledError: the caller was cancelled (the worker finishes the masking).
    """
    await nlu_worker.run_long_work(masked_on_the_thread(message), mask_message_cards, message)


def install_card_masking() -> None:
    """Replace ``MessageProcessor.log_message`` and wrap ``handle_message`` (once per process) so
    card numbers are masked first.

    Every channel's message (REST, web chat, WeChat, IVR, Rasa's own channels) and Rasa's
    ``POST /conversations/<id>/messages`` reach the tracker through ``log_message``, which
    parses the text and appends the ``UserUttered`` event: masked there, the NLU, the tracker
    store, the action server and the logs after it see only ``[card …NNNN]``. It is Rasa 3.6's
    ``log_message`` with two steps added: the message masked before the tracker is fetched, and a
    card split over the previous customer message and this one masked in both
    (:func:`mask_split_message_off_the_loop`), the previous one stored again when the tracker store can
    (``rewrite_user_event``, bot/storage/stores.py). ``handle_message`` masks the message first
    too, so the idempotent-turns check (installed before this patch, so it runs inside it)
    compares the masked ``message_id`` the tracker holds. A long message is masked on the NLU
    worker thread (:func:`mask_cards_off_the_loop`), and a split card is looked for there when
    either of the two messages is long.
    """
    from rasa.core.processor import MessageProcessor

    if getattr(MessageProcessor.log_message, "masks_cards", False):
        return
    original_log, original_handle = MessageProcessor.log_message, MessageProcessor.handle_message

    async def log_message(self, message, should_save_tracker: bool = True):  # type: ignore[no-untyped-def]
        await mask_cards_off_the_loop(message)
        tracker = await self.fetch_tracker_and_update_session(
            message.sender_id, message.output_channel, message.metadata)
        previous = await mask_split_message_off_the_loop(message, tracker)
        if previous is not None:
            store = self.tracker_store
            while not hasattr(store, "rewrite_user_event") and hasattr(store, "_tracker_store"):
                store = store._tracker_store  # Rasa's wrappers (fail-safe, awaitable)
            rewritten = False
            try:
                rewritten = hasattr(store, "rewrite_user_event") and await store.rewrite_user_event(
                    message.sender_id, previous)
            except Exception:  # a locked database must not lose the customer's message (review, twelfth pass)
                logger.exception("the previous message of %s could not be stored masked", message.sender_id)
            if not rewritten:
                logger.warning("a card split over two messages of %s: the first half is masked in memory only",
                               message.sender_id)
        await self._handle_message_with_tracker(message, tracker)
        if should_save_tracker:
            await self.save_tracker(tracker)
        return tracker

    async def handle_message(self, message):  # type: ignore[no-untyped-def]
        await mask_cards_off_the_loop(message)
        return await original_handle(self, message)

    log_message.__doc__, handle_message.__doc__ = original_log.__doc__, original_handle.__doc__
    log_message.masks_cards = handle_message.masks_cards = True  # type: ignore[attr-defined]
    MessageProcessor.log_message, MessageProcessor.handle_message = log_message, handle_message


def _before_each_message(step: Callable[[Any], None], flag: str, wrapped_flags: Tuple[str, ...]) -> None:
    """Wrap ``MessageProcessor.log_message`` and ``handle_message`` (once per process: ``flag`` set on the wrappers
    says it is done) so ``step(message)`` changes each message in place before Rasa sees it.

    Args:
        step: what is done to the ``UserMessage`` first.
        flag: the wrappers' attribute that marks this patch installed.
        wrapped_flags: the installed-marks of the patches these wrappers wrap: set on them too, so installing
            those again does nothing.
    """
    from rasa.core.processor import MessageProcessor

    if getattr(MessageProcessor.log_message, flag, False):
        return
    original_log, original_handle = MessageProcessor.log_message, MessageProcessor.handle_message

    async def log_message(self, message, should_save_tracker: bool = True):  # type: ignore[no-untyped-def]
        step(message)
        return await original_log(self, message, should_save_tracker)

    async def handle_message(self, message):  # type: ignore[no-untyped-def]
        step(message)
        return await original_handle(self, message)

    log_message.__doc__, handle_message.__doc__ = original_log.__doc__, original_handle.__doc__
    for wrapper in (log_message, handle_message):
        for name in (flag,) + wrapped_flags:
            setattr(wrapper, name, True)
    MessageProcessor.log_message, MessageProcessor.handle_message = log_message, handle_message


def install_intent_syntax_screen() -> None:
    """Wrap ``MessageProcessor.log_message`` and ``handle_message`` (once per process) so a customer's
    message of one of our channels is screened for Rasa's intent syntax first
    (:func:`bot.channels.commands.screen_intent_syntax`); they wrap the card masking's."""
    from bot.channels.commands import screen_intent_syntax

    _before_each_message(screen_intent_syntax, "screens_intent_syntax", ("masks_cards",))


#: How much of a message's text its written language is read from (characters; the rest changes nothing that matters).
WRITTEN_LANGUAGE_CHARS = 2000


def note_written_language(message) -> None:  # type: ignore[no-untyped-def]
    """Add the language ``message``'s text is written in to its metadata (:data:`bot.domain.WRITTEN_LANGUAGE_KEY`),
    in place, when the text shows one (``bot.nlu.language.detect_language`` on its first
    :data:`WRITTEN_LANGUAGE_CHARS` characters); a command (``/greet{…}``, a button's payload) shows none.

    Rasa runs ``action_session_start`` with the first message's metadata but not its text, so the open case was told
    in the language the customer last used, and the answer to the message in the message's own: "Welcome back…"
    in Chinese, then "I've added that to your case" in English (session 46's open item).

    Args:
        message: a ``rasa.core.channels.channel.UserMessage`` (anything with ``text`` and ``metadata``).
    """
    from bot.domain import LANGUAGES, WRITTEN_LANGUAGE_KEY
    from bot.nlu.language import detect_language

    text = message.text if isinstance(message.text, str) else ""
    if not text.strip() or text.lstrip().startswith("/"):
        return
    language = detect_language(text[:WRITTEN_LANGUAGE_CHARS])
    if language in LANGUAGES:
        message.metadata = {**(message.metadata if isinstance(message.metadata, dict) else {}),
                            WRITTEN_LANGUAGE_KEY: language}


def install_written_language() -> None:
    """Wrap ``MessageProcessor.log_message`` and ``handle_message`` (once per process) so a message's metadata says
    the language its text is written in (:func:`note_written_language`) before the session starts; they wrap the
    intent-syntax screen's and the card masking's."""
    _before_each_message(note_written_language, "notes_written_language", ("screens_intent_syntax", "masks_cards"))


@dataclass(frozen=True)
class Patch:
    """One change to Rasa.

    Attributes:
        name: a short name (unique in :data:`PATCHES`).
        replaces: the Rasa attributes it replaces, dotted (``module.Class.method``).
        why: what goes wrong, or costs too much, without it.
        install: the function that installs it; idempotent (a second call does nothing).
    """

    name: str
    replaces: Tuple[str, ...]
    why: str
    install: Callable[[], None]


def install_error_without_version() -> None:
    """Wrap ``rasa.server.ErrorResponse.__init__`` (once per process): ``"version": null`` in its body.

    Every refusal of Rasa's HTTP API (401 to a caller without the token included) carried
    ``"version": "<Rasa version>"``; ``GET /version`` itself needs the token
    (connectors/guard.py).
    """
    from rasa.server import ErrorResponse

    original = ErrorResponse.__init__
    if getattr(original, "hides_version", False):
        return

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        self.error_info["version"] = None

    __init__.__doc__ = original.__doc__
    __init__.hides_version = True  # type: ignore[attr-defined]
    ErrorResponse.__init__ = __init__


PATCHES: Tuple[Patch, ...] = (
    Patch("error_without_version", ("rasa.server.ErrorResponse.__init__",),
          "every error of Rasa's HTTP API, a 401 to a caller without the token too, named the "
          "Rasa version",
          install_error_without_version),
    Patch("action_fallback", ("rasa.core.actions.action.RemoteAction.run",),
          "a custom action whose server is down or fails answers with an apology and files the "
          "message on a ticket, instead of leaving the customer without an answer (issue 13)",
          action_fallback.install),
    Patch("session_start_fallback", ("rasa.core.actions.action.action_for_name_or_text",),
          "a failed remote action_session_start falls back to Rasa's own session start, so the "
          "session's first message still matches the rules",
          session_start.install),
    Patch("idempotent_turns", ("rasa.core.processor.MessageProcessor.handle_message",),
          "a message whose metadata.message_id was already processed is answered again, not rerun "
          "(DESIGN §8, §9)",
          idempotency.install),
    # after idempotent_turns: its handle_message wraps that one, so the id checked is the masked one
    Patch("card_masking", ("rasa.core.processor.MessageProcessor.log_message",
                           "rasa.core.processor.MessageProcessor.handle_message"),
          "a full card number a customer types, says, splits over two messages or puts in a "
          "client's metadata would be stored in the tracker (PCI DSS forbids storing it) and "
          "parsed as written; now it is [card …NNNN] before Rasa sees it",
          install_card_masking),
    # after card_masking: its wrappers wrap those, so the text is screened before anything parses it
    Patch("customer_intent_syntax", ("rasa.core.processor.MessageProcessor.log_message",
                                     "rasa.core.processor.MessageProcessor.handle_message"),
          "a customer typing Rasa's intent syntax (\"/report_fraud\", \"/request_human@0.01\", "
          "'/inform{\"order_number\": {\"a\": 1}}') on a public channel chose the intent, its confidence "
          "and slot values, skipping NLU; now only the bot's own button payloads are read so "
          "(bot/channels/commands.py), any other leading \"/\" is ordinary text",
          install_intent_syntax_screen),
    # after customer_intent_syntax: its wrappers wrap those (a button's "/payload" shows no language)
    Patch("written_language", ("rasa.core.processor.MessageProcessor.log_message",
                               "rasa.core.processor.MessageProcessor.handle_message"),
          "action_session_start sees the first message's metadata, not its text: an open case was told in the "
          "language the customer last used, then the message answered in its own; now the metadata says the "
          "language the text is written in",
          install_written_language),
    Patch("action_validator", ("rasa.core.actions.action.RemoteAction._validate_action_result",),
          "Rasa rebuilds and meta-checks the reply schema's validator for every action server reply "
          "(issue 16)",
          rasa_speed.install_action_validator),
    Patch("event_class_cache", ("rasa.shared.core.events.Event.resolve_by_type",),
          "Rasa walks every Event subclass to deserialise each event (issue 16)",
          rasa_speed.install_event_class_cache),
    Patch("incremental_history", ("rasa.shared.core.trackers.DialogueStateTracker.applied_events",
                                  "rasa.shared.core.domain.Domain.states_for_tracker_history"),
          "Rasa recomputes the session's dialogue states from the first event several times per "
          "turn, so a turn's cost grew with the conversation (issue 16)",
          rasa_speed.install_incremental_history),
    Patch("fast_copy", ("rasa.shared.core.trackers.DialogueStateTracker.copy",),
          "Rasa copies the tracker before each action by replaying every event (issue 16)",
          rasa_speed.install_fast_copy),
    Patch("quiet_state_formatting", ("rasa.core.policies.policy.Policy.format_tracker_states",),
          "the whole history is formatted for a debug line on every prediction, logged or not "
          "(issue 16)",
          rasa_speed.install_quiet_state_formatting),
    Patch("quiet_memoization_debug",
          ("rasa.core.policies.memoization.MemoizationPolicy.predict_action_probabilities",),
          "every state is deep-copied for a debug line on every prediction, logged or not (issue 16)",
          rasa_speed.install_quiet_memoization_debug),
    Patch("feature_key_cache", ("rasa.core.policies.memoization.MemoizationPolicy._create_feature_key",
                                "rasa.core.policies.rule_policy.RulePolicy._create_feature_key"),
          "the states of the whole session are JSON-encoded again on every prediction (issue 16)",
          rasa_speed.install_feature_key_cache),
    Patch("bounded_rule_matching", ("rasa.core.policies.rule_policy.RulePolicy._get_possible_keys",),
          "every rule is matched against states older than the longest rule (issue 16)",
          rasa_speed.install_bounded_rule_matching),
    Patch("known_states_skipped",
          ("rasa.core.featurizers.tracker_featurizers.TrackerFeaturizer._remove_action_unlikely_intent_from_states",
           "rasa.core.featurizers.tracker_featurizers.TrackerFeaturizer._remove_user_text_if_intent"),
          "the featurizers clean states already cleaned on earlier turns again (issue 16)",
          rasa_speed.install_known_states_skipped),
    Patch("scans_from_the_end", ("rasa.shared.core.trackers.DialogueStateTracker.get_last_event_for",
                                 "rasa.core.processor.MessageProcessor.is_action_limit_reached"),
          "the last event of a kind and the actions since the last message are looked up in a copy "
          "of every event of the session, several times per turn (issue 16)",
          rasa_speed.install_scans_from_the_end),
    Patch("memoization_length_bound", ("rasa.core.policies.memoization.MemoizationPolicy._recall_states",),
          "the memoization policy builds, compresses and looks up a key of the whole session's states "
          "on every prediction, longer than any key it learned (issue 16)",
          rasa_speed.install_memoization_length_bound),
    Patch("form_tracker_copy", ("rasa.core.actions.forms.FormAction._temporary_tracker",),
          "a form builds its temporary tracker by replaying every event of the session, twice per "
          "form turn (issue 16)",
          rasa_speed.install_form_tracker_copy),
    Patch("frozen_model_heap", ("rasa.core.agent.Agent.load_model",),
          "every full garbage collection walked the loaded model's ~770,000 objects (0.4 s, on "
          "whichever turn triggered it) to free none of them (issue 16)",
          rasa_speed.install_frozen_model_heap),
    Patch("nlu_off_the_loop", ("rasa.core.processor.MessageProcessor.parse_message",),
          "Rasa reads every message (the whole NLU pipeline) on the event loop the server's channels, "
          "conversations and agent desk share: a 4,000-character message stopped them all 0.3-0.45 s; "
          "now it is read on one worker thread (bot/nlu_worker.py)",
          nlu_worker.install),
    Patch("action_events_window", ("rasa.core.actions.action.RemoteAction._action_call_format",),
          "every custom action call sent, and the action server parsed, every event of the session "
          "(2.85 MB of JSON at turn 500); now the events from the ACTION_EVENTS_TURNS-th last user "
          "message on (issue 16)",
          rasa_speed.install_action_events_window),
)

_installed: set = set()


def install_all() -> None:
    """Install every patch of :data:`PATCHES` that this process has not installed yet.

    Idempotent: a second call installs nothing. Logs a warning when the running Rasa is not
    :data:`RASA_VERSION_CHECKED`.

    Returns:
        None.

    Raises:
        ImportError: Rasa (or a module a patch replaces) is missing; patches installed before
        it stay installed and the next call retries the rest.
    """
    if len(_installed) == len(PATCHES):
        return
    import rasa

    if rasa.__version__ != RASA_VERSION_CHECKED:
        logger.warning("Rasa %s: the patches of bot/rasa_patches.py were checked with Rasa %s",
                       rasa.__version__, RASA_VERSION_CHECKED)
    for patch in PATCHES:
        if patch.name not in _installed:
            patch.install()
            _installed.add(patch.name)
