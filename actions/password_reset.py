"""The guided password reset: numbered steps, progress kept in the database."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction, off_loop, unit_of_work
from actions.handoff import hand_over
from bot.domain import Channel, Flow, ReasonCode, language_of
from bot.handover.policy import Decision
from bot.services import troubleshooting
from bot.services.from_tracker import resolve_customer

FLOW = Flow.PASSWORD_RESET.value


def _step(tracker: Tracker) -> int:
    return int(tracker.get_slot("reset_next_step") or 1)


def _in_the_flow_here(tracker: Tracker) -> bool:
    """Whether this conversation is on a step of the reset now (the form active, a step asked)."""
    return (tracker.active_loop or {}).get("name") == "password_reset_form" and bool(tracker.get_slot("reset_next_step"))


#: Words that say the step still fails, in a message that restates the password problem during the flow ("still not
#: working, it won't let me set a new password", 还是不行，新密码设置不了): NLU reads it as ``reset_password``, which
#: restarted the flow with "Welcome back!" and counted no failure (a fresh new user, session 45).
#: Not a question that asks yes or no in the A-not-A form (能不能, 行不行, 对不对: helper-212), nor "not sure", 还是 as
#: "or", 没有问题.
STILL_FAILING = re.compile(
    r"\b(?:not(?! (?:sure|certain)\b)|never|no longer|still|won'?t|can'?t|cannot|couldn'?t|doesn'?t|didn'?t|isn'?t|"
    r"wasn'?t|fail(?:s|ed|ing)?|errors?|reject(?:s|ed)?|expired|invalid|wrong|nothing|no (?:e-?mail|link|luck))\b"
    r"|(?<!行)不行(?!不)|不了|(?<!能)不能(?!不)|无法|还是(?:不|没)|失败|错误|没(?:有|收到|用|反应)(?!问题)|收不到|(?<!对)不对(?!不)"
    r"|过期|无效|不成功", re.IGNORECASE)


class ActionStartPasswordReset(OffLoopAction):
    """Start the flow, or resume it where the customer left it.

    For a known customer (bot.customers.model) that is the most recently changed
    progress of any of their conversations, on any channel: if it is still
    in progress it is carried over to this conversation.
    """

    def name(self) -> Text:
        """Rasa's action name: ``action_start_password_reset``."""
        return "action_start_password_reset"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Start or resume the flow; returns the slots of the next step (none when this conversation is on a step
        already: the form asks it again, and its failure count stands)."""
        if _in_the_flow_here(tracker):
            return []
        customer = resolve_customer(unit_of_work, tracker)
        progress = troubleshooting.start_or_resume(unit_of_work(), tracker.sender_id, customer, FLOW)
        if progress.steps_done:
            dispatcher.utter_message(
                response="utter_password_reset_resume",
                steps_done=max(progress.steps_done),
                next_step=progress.next_step,
            )
        else:
            dispatcher.utter_message(response="utter_password_reset_intro")
        events = [
            SlotSet("reset_next_step", float(progress.next_step or 1)),
            SlotSet("reset_retry_step", None),
            SlotSet("reset_step_result", None),
        ]
        if tracker.get_slot("open_case") is not None:  # the open case (actions/session.py) is being continued
            events.append(SlotSet("open_case", None))
        return events


# In the web chat widget each step gets answer buttons (other channels: say it); their words are
# the ones utter_password_reset_intro asks for (tests/actions/test_password_reset_and_escalation.py).
STEP_BUTTONS = {
    "en": [{"title": "Done", "payload": "/affirm"}, {"title": "It didn't work", "payload": "/deny"}],
    "zh": [{"title": "好了", "payload": "/affirm"}, {"title": "不行", "payload": "/deny"}],
}


class ActionAskResetStepResult(OffLoopAction):
    """The form's question: the current step (or "try again" after a tip)."""

    def name(self) -> Text:
        """Rasa's action name: ``action_ask_reset_step_result``."""
        return "action_ask_reset_step_result"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Say the current step (with Done / It didn't work buttons in the web chat); no events."""
        step = _step(tracker)
        buttons = STEP_BUTTONS[language_of(tracker)] if Channel.owning(tracker.get_latest_input_channel()) == Channel.WEB else []
        if tracker.get_slot("reset_retry_step") == step:
            dispatcher.utter_message(response="utter_password_reset_try_again", buttons=buttons)
        else:
            dispatcher.utter_message(response=f"utter_password_reset_step_{step}", buttons=buttons)
        return []


class ValidatePasswordResetForm(FormValidationAction):
    """Validates each step's answer of ``password_reset_form``: done, or failed (a tip, then a hand-over)."""

    def name(self) -> Text:
        """Rasa's action name: ``validate_password_reset_form``."""
        return "validate_password_reset_form"

    def extract_reset_step_result(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The step failed when, asked for a step's result, the customer restates the password problem with words
        that say it still fails (:data:`STILL_FAILING`); Rasa's mappings read only ``affirm`` and ``deny``.

        Args:
            dispatcher: unused.
            tracker: the conversation (its latest message and the form's requested slot).
            domain: unused.

        Returns:
            ``{"reset_step_result": "failed"}``, or ``{}`` (nothing read here).
        """
        latest = tracker.latest_message or {}
        if not _in_the_flow_here(tracker) or tracker.get_slot("requested_slot") != "reset_step_result":
            return {}
        if (latest.get("intent") or {}).get("name") != "reset_password" or not STILL_FAILING.search(latest.get("text") or ""):
            return {}
        return {"reset_step_result": "failed"}

    @off_loop
    def validate_reset_step_result(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Record a step done or failed; returns the next step, a retry, or the flow's result (``done``/``failed``)."""
        if slot_value not in ("done", "failed"):
            # Not an answer: e.g. the cleared value Rasa validates when the form
            # starts from a button payload (/reset_password). Just ask the step.
            return {"reset_step_result": None}
        step = _step(tracker)
        if slot_value == "done":
            progress = troubleshooting.complete_step(unit_of_work(), tracker.sender_id, step, FLOW)
            if progress.status == "completed":
                return {"reset_step_result": "done", "reset_next_step": None}
            return {"reset_step_result": None, "reset_next_step": float(progress.next_step)}
        if tracker.get_slot("reset_retry_step") != step:  # first failure: a tip, then the step again
            dispatcher.utter_message(response=f"utter_password_reset_step_{step}_help")
            return {"reset_step_result": None, "reset_retry_step": float(step)}
        troubleshooting.give_up(unit_of_work(), tracker.sender_id, FLOW)
        return {"reset_step_result": "failed"}


class ActionFinishPasswordReset(OffLoopAction):
    """End the password reset: congratulate, or hand over with ``flow_exhausted`` when a step failed twice."""

    def name(self) -> Text:
        """Rasa's action name: ``action_finish_password_reset``."""
        return "action_finish_password_reset"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Clear the step slots; congratulate, or hand over (the hand-over's events follow)."""
        reset = [SlotSet("reset_step_result", None), SlotSet("reset_retry_step", None)]
        if tracker.get_slot("reset_step_result") == "done":
            dispatcher.utter_message(response="utter_password_reset_done")
            return reset
        step = _step(tracker)
        events = hand_over(tracker, dispatcher, Decision(ReasonCode.FLOW_EXHAUSTED.value, f"password_reset: step {step} failed twice"))
        return reset + events
