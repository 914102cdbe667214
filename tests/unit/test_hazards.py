"""Which safety step a safety case gets (``bot.handover.safety.hazards_named``), issue 11, twelfth pass.

The triage (``needs_person_case``) decides that a message is a safety case; ``HAZARDS`` decides which
step the customer is told. The two are separate vocabularies, so a case the triage reads could get the
lead alone ("your safety comes first") and no step: 23 of the 195 safety cases of the development sets
and the tests did (the wrong medicine, a child's car seat, glass in a salad, 洗衣机门电了我一下,
"carbon monxide"). The guard below keeps the two from drifting apart again.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.handover.safety import ADVICE, hazards_named, safety_advice
from bot.handover.triage import needs_person_case

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text, hazards", [
    # written for this test
    ("the pharmacy sent my mum's blood pressure pills but the strip says metformin", ["medicine"]),
    ("药房配的药和处方上的不一样，药盒上的名字也不是我", ["medicine"]),
    ("the high chair's leg folded while my son was sitting in it", ["child"]),
    ("婴儿床的护栏一推就掉下来了", ["child"]),
    ("there was a bit of blue plastic inside the chicken wrap", ["food"]),
    ("面包里发现了一根金属丝", ["food"]),
    ("my 3 year old licked some of the bleach cleaner", ["swallowed"]),
    ("吹风机插头碰了一下就电了我一下", ["electric"]),
    ("fell off the ladder when the step snapped, think I fractured my ankle", ["health"]),
    ("the e-scooter brake失灵了 on the way down", ["vehicle"]),
])
def test_each_kind_of_safety_case_names_its_hazard(text, hazards):
    assert hazards_named(text) == hazards


@pytest.mark.parametrize("text", [
    "the dishwasher tablets arrived crushed in the box",  # no medicine
    "can I order the formula in a bigger tin?",
    "the toy arrived late but my son loves it",
])
def test_look_alikes_name_no_new_hazard(text):
    assert not {"medicine", "child", "food"} & set(hazards_named(text))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_new_steps_are_said_in_the_customers_language(language):
    for hazard, text in (("medicine", "the tablets in the box aren't what the prescription says"),
                         ("child", "the car seat buckle keeps opening"),
                         ("food", "found glass in my soup")):
        advice = safety_advice([text], language)
        assert advice.endswith(ADVICE[hazard][language]), (hazard, advice)


def _development_messages() -> list:
    """The first messages of the development sets (tests/dev*/messages.csv; never the blind set)."""
    texts = []
    for path in sorted(ROOT.glob("tests/dev*/messages.csv")):
        with path.open(encoding="utf-8") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    return texts


def test_every_safety_case_of_the_development_sets_gets_a_step_for_its_hazard():
    cases = [text for text in _development_messages() if needs_person_case(text) == "safety"]
    assert len(cases) >= 50
    without = [text for text in cases if not hazards_named(text)]
    assert not without, without


@pytest.mark.parametrize("text", [
    # written for this test; the triage's phrases read 3 of the first 10 before the twelfth pass
    "the pharmacy sent my mum's blood pressure pills but the strip says metformin",
    "药房配的药和处方上的不一样，药盒上的名字也不是我",
    "the high chair's leg folded while my son was sitting in it",
    "婴儿床的护栏一推就掉下来了",
    "there was a bit of blue plastic inside the chicken wrap",
    "my 3 year old licked some of the bleach cleaner",
    "fell off the ladder when the step snapped, think I fractured my ankle",
    "the toaster's cable is split and I can see bare wires showing",
    "电动车的后轮刹车完全失灵了，下坡差点撞车",
    "孩子把洗洁精当饮料喝了一口",
])
def test_a_thing_of_a_hazards_kind_and_what_went_wrong_with_it_is_a_safety_case(text):
    assert needs_person_case(text) == "safety", text


@pytest.mark.parametrize("text", [
    "can I pick up my prescription at a different pharmacy this week?",
    "婴儿奶粉又断货了，什么时候补货",
    "I'm sick of waiting for the refund",
    "the app crashes every time I open the basket",
    "my electric bill this month is shocking",
    "I'll be posting a review about this",
    "the heating was cut off for maintenance, when is it back?",
    "我对芒果过敏了解一下这款果汁的配料",
])
def test_look_alikes_of_a_thing_going_wrong_are_no_safety_case(text):
    assert needs_person_case(text) != "safety", text
