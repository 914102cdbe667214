import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "trackers"


@pytest.fixture
def tracker_from():
    def load(name: str, **slots) -> Tracker:
        state = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        state["slots"].update(slots)
        return Tracker.from_dict(state)

    return load


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def responses(dispatcher: CollectingDispatcher) -> list:
    return [m.get("response") for m in dispatcher.messages]


def run_action(action, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
    """Run an action as the action server does (its ``run`` is a coroutine) and return its events."""
    import asyncio

    return asyncio.run(action.run(dispatcher, tracker, domain))
