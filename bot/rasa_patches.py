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

import logging
from dataclasses import dataclass
from typing import Callable, Tuple

from bot import rasa_speed
from bot.handover import action_fallback, session_start
from bot.privacy.masking import mask_cards, mask_cards_in
from bot.storage import idempotency

logger = logging.getLogger(__name__)

RASA_VERSION_CHECKED = "3.6.21"


def mask_message_cards(message) -> None:  # type: ignore[no-untyped-def]
    """Replace full card numbers in a Rasa ``UserMessage`` by ``[card …NNNN]``, in place.

    Rewrites ``message.text``, the text of ``message.parse_data`` (Rasa's HTTP API accepts
    one) and the IVR recogniser's record ``metadata["spoken"]`` (what the caller said, as
    heard); the rest of the metadata (message ids, customer tokens) is left alone.

    Args:
        message: a ``rasa.core.channels.channel.UserMessage`` (anything with ``text``,
            ``parse_data`` and ``metadata`` attributes).
    """
    message.text = mask_cards(message.text)
    if isinstance(message.parse_data, dict):
        message.parse_data = mask_cards_in(message.parse_data)
    metadata = message.metadata
    if isinstance(metadata, dict) and "spoken" in metadata:
        message.metadata = {**metadata, "spoken": mask_cards_in(metadata["spoken"])}


def install_card_masking() -> None:
    """Wrap ``MessageProcessor.log_message`` (once per process) so card numbers are masked first.

    Every channel's message (REST, web chat, WeChat, IVR, Rasa's own channels) and Rasa's
    ``POST /conversations/<id>/messages`` reach the tracker through ``log_message``, which
    parses the text and appends the ``UserUttered`` event: masked there, the NLU, the tracker
    store, the action server and the logs after it see only ``[card …NNNN]``.
    """
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor.log_message
    if getattr(original, "masks_cards", False):
        return

    async def log_message(self, message, should_save_tracker: bool = True):  # type: ignore[no-untyped-def]
        mask_message_cards(message)
        return await original(self, message, should_save_tracker)

    log_message.__doc__ = original.__doc__
    log_message.masks_cards = True  # type: ignore[attr-defined]
    MessageProcessor.log_message = log_message


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
    Patch("card_masking", ("rasa.core.processor.MessageProcessor.log_message",),
          "a full card number a customer types or says would be stored in the tracker (PCI DSS "
          "forbids storing it) and parsed as written; now it is [card …NNNN] before Rasa sees it",
          install_card_masking),
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
