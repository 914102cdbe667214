"""The guided password reset: numbered steps, progress kept in the database."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction, language_of, off_loop, unit_of_work
from actions.handoff import hand_over
from bot.services.customers import resolve_customer
from bot.policy import Decision
from bot.troubleshooting import Progress

FLOW = "password_reset"


def _step(tracker: Tracker) -> int:
    return int(tracker.get_slot("reset_next_step") or 1)


class ActionStartPasswordReset(OffLoopAction):
    """Start the flow, or resume it where the customer left it.

    For a known customer (bot.customers) that is the most recently changed
    progress of any of their conversations, on any channel: if it is still
    in progress it is carried over to this conversation.
    """

    def name(self) -> Text:
        return "action_start_password_reset"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        customer = resolve_customer(tracker, unit_of_work)
        with unit_of_work() as uow:
            source = tracker.sender_id
            if customer is not None:
                conversations = [tracker.sender_id] + customer.conversation_ids
                source = uow.customers.latest_progress_conversation(conversations, FLOW) or tracker.sender_id
            progress = uow.progress.get(source, FLOW)
            if progress is None or progress.status != "in_progress":
                progress = Progress(conversation_id=tracker.sender_id, flow=FLOW)
                uow.progress.save(progress)
                uow.commit()
            elif source != tracker.sender_id:  # resume here what another conversation started
                progress = Progress(conversation_id=tracker.sender_id, flow=FLOW, steps_done=list(progress.steps_done),
                                    next_step=progress.next_step, status=progress.status)
                uow.progress.save(progress)
                uow.commit()
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


# In the web chat widget each step gets answer buttons (other channels: say it).
STEP_BUTTONS = {
    "en": [{"title": "Done", "payload": "/affirm"}, {"title": "It didn't work", "payload": "/deny"}],
    "zh": [{"title": "完成了", "payload": "/affirm"}, {"title": "没有成功", "payload": "/deny"}],
}


class ActionAskResetStepResult(OffLoopAction):
    """The form's question: the current step (or "try again" after a tip)."""

    def name(self) -> Text:
        return "action_ask_reset_step_result"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        step = _step(tracker)
        buttons = STEP_BUTTONS[language_of(tracker)] if tracker.get_latest_input_channel() == "webchat" else []
        if tracker.get_slot("reset_retry_step") == step:
            dispatcher.utter_message(response="utter_password_reset_try_again", buttons=buttons)
        else:
            dispatcher.utter_message(response=f"utter_password_reset_step_{step}", buttons=buttons)
        return []


class ValidatePasswordResetForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_password_reset_form"

    @off_loop
    def validate_reset_step_result(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if slot_value not in ("done", "failed"):
            # Not an answer: e.g. the cleared value Rasa validates when the form
            # starts from a button payload (/reset_password). Just ask the step.
            return {"reset_step_result": None}
        step = _step(tracker)
        with unit_of_work() as uow:
            progress = uow.progress.get(tracker.sender_id, FLOW) or Progress(
                conversation_id=tracker.sender_id, flow=FLOW
            )
            if slot_value == "done":
                progress.complete(step)
                uow.progress.save(progress)
                uow.commit()
                if progress.status == "completed":
                    return {"reset_step_result": "done", "reset_next_step": None}
                return {"reset_step_result": None, "reset_next_step": float(progress.next_step)}

            if tracker.get_slot("reset_retry_step") != step:
                dispatcher.utter_message(response=f"utter_password_reset_step_{step}_help")
                return {"reset_step_result": None, "reset_retry_step": float(step)}

            progress.exhaust()
            uow.progress.save(progress)
            uow.commit()
        return {"reset_step_result": "failed"}


class ActionFinishPasswordReset(OffLoopAction):
    def name(self) -> Text:
        return "action_finish_password_reset"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        reset = [SlotSet("reset_step_result", None), SlotSet("reset_retry_step", None)]
        if tracker.get_slot("reset_step_result") == "done":
            dispatcher.utter_message(response="utter_password_reset_done")
            return reset
        step = _step(tracker)
        events = hand_over(tracker, dispatcher, Decision("flow_exhausted", f"password_reset: step {step} failed twice"))
        return reset + events
