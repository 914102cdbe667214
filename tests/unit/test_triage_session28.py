"""Session 28 (issue 11): small talk's "today" and a tag question are no anger cue.

The blind set's one English calm message escalated for emotion is of the writer's kind ``small_talk``
(``bench/results/escalation.json`` ``calm_escalated_by_kind_and_reason``). Read as typed, a bare "today" was a demand and
the "isn't" of a tag question a problem, so "How are you today?" and "Lovely weather today, isn't it?" carried the anger
cue that lets a score of 0.5 escalate. A grievance beside the small talk keeps the cue.
"""
import pytest

from bot.handover.triage.mood import anger_cue

CALM = [
    "How are you today?",
    "Hi, how are you today? Do you sell gift cards?",
    "Happy Friday! How's everyone doing today?",
    "Lovely weather today isn't it",
    "Rainy today, isn't it?",
    "Busy day today?",
    "Nice day isn't it",
]

ANGRY = [
    "I need it today",
    "Refund me today, won't you?",
    "Lovely service today, isn't it?",
    "How are you today? My order is 3 weeks late",
    "how's it going today, still no refund?",
    "Great weather today for my parcel to sit outside in the rain, isn't it",
    "Sort it out today",
]


@pytest.mark.parametrize("text", CALM)
def test_small_talk_carries_no_anger_cue(text):
    assert not anger_cue(text)


@pytest.mark.parametrize("text", ANGRY)
def test_a_grievance_or_demand_beside_it_keeps_the_cue(text):
    assert anger_cue(text)
