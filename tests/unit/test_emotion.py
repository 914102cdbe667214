"""The emotion classifier on a held-out set written separately from its training data."""
from pathlib import Path

import pytest

from bot.nlu.emotion import NEGATIVE_LABELS, EmotionModel, read_examples
from tests.conftest import PROJECT_ROOT

TRAIN = PROJECT_ROOT / "data" / "emotion" / "train.csv"
TEST = PROJECT_ROOT / "tests" / "emotion" / "test_emotion.csv"


@pytest.fixture(scope="module")
def model() -> EmotionModel:
    return EmotionModel().fit(*read_examples(TRAIN))


def test_held_out_set_is_not_copied_from_training():
    train = {t.strip().lower() for t in read_examples(TRAIN)[0]}
    assert not [t for t in read_examples(TEST)[0] if t.strip().lower() in train]


def test_angry_and_frustrated_customers_are_found_in_both_languages(model, capsys):
    import csv

    rows = list(csv.DictReader(TEST.open(encoding="utf-8")))
    predictions = model.predict([r["text"] for r in rows])
    report = []
    for lang in ("en", "zh"):
        pairs = [(r["label"], p) for r, p in zip(rows, predictions) if r["lang"] == lang]
        truth = [g in NEGATIVE_LABELS for g, _ in pairs]
        flagged = [p["negative"] >= 0.5 for _, p in pairs]
        hits = sum(t and f for t, f in zip(truth, flagged))
        precision, recall = hits / max(sum(flagged), 1), hits / max(sum(truth), 1)
        accuracy = sum(g == p["label"] for g, p in pairs) / len(pairs)
        report.append(f"{lang}: 5-class accuracy {accuracy:.1%}, anger/frustration P {precision:.2f} R {recall:.2f}")
        assert precision >= 0.85 and recall >= 0.85, report[-1]
        assert accuracy >= 0.8, report[-1]
    with capsys.disabled():
        print("\n[emotion] held-out set:", "; ".join(report))


@pytest.mark.parametrize(
    "text", ["a bit sad my parcel is late", "有点失望，颜色和图片不一样", "The box arrived damaged, could you help me return it?"]
)
def test_calm_negative_wording_is_not_angry(model, text):
    [emotion] = model.predict([text])
    assert emotion["negative"] < 0.5, emotion


@pytest.mark.parametrize(
    "text", ["THIS IS THE THIRD TIME I'M ASKING!!!", "什么破服务，气死我了", "oh great, another 'we're looking into it'. wonderful."]
)
def test_angry_wording_is_negative(model, text):
    [emotion] = model.predict([text])
    assert emotion["label"] in NEGATIVE_LABELS and emotion["negative"] >= 0.5, emotion
