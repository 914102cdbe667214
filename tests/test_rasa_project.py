"""The Rasa project itself: data validation, NLU on a held-out set, test stories."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import PROJECT_ROOT

RASA = str(Path(sys.executable).parent / "rasa")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Accuracy the held-out set must keep (measured: see README); a drop below
# these means a data or pipeline change made the assistant worse.
MIN_INTENT_ACCURACY = {"en": 0.92, "zh": 0.92}


def rasa(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.run(
        [RASA, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def nlu_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, plain text) pairs of a Rasa YAML NLU file, annotations removed."""
    out = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block.get("examples", "").splitlines():
            text = line.strip()[2:].strip()
            if text:
                out.append((block["intent"], re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)))
    return out


def test_data_validates():
    result = rasa("data", "validate", "--domain", "domain", "--data", "data", "--config", "config.yml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = result.stdout + result.stderr
    unused = set(re.findall(r"The utterance '(\w+)' is not used in any story or rule", output))
    # Responses only custom actions send are "unused" for the validator: make
    # sure each of them really is sent by an action.
    # (bot/handover/handover_dialogue.py: the hand-over's words, sent by action_handoff; bot/handover/wait_dialogue.py:
    # the long-wait choices, sent by action_handoff and action_relay_to_agent)
    sources = [*(PROJECT_ROOT / "actions").glob("*.py"), PROJECT_ROOT / "bot" / "handover" / "handover_dialogue.py",
               PROJECT_ROOT / "bot" / "handover" / "wait_dialogue.py"]
    action_code = "\n".join(p.read_text() for p in sources)
    templates = re.findall(r'f"(utter_[a-z_]*)\{', action_code)  # f"utter_order_status_{status}"
    sent_by_rasa = {"utter_default"}  # Rasa's action_default_fallback
    for name in unused - sent_by_rasa:
        if name.startswith("utter_ask_"):  # a form asks for its slots with these
            continue
        assert name in action_code or any(name.startswith(t) for t in templates), name
    assert "story structure conflict" not in output.lower() or "No story structure conflicts" in output


def test_training_data_has_twenty_examples_per_intent_and_language():
    counts: dict[tuple[str, str], int] = {}
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for intent, text in nlu_examples(path):
            lang = "zh" if CJK.search(text) else "en"
            counts[(intent, lang)] = counts.get((intent, lang), 0) + 1
    intents = {intent for intent, _ in counts}
    assert len(intents) >= 20
    short = {k: v for k, v in counts.items() if v < 20}
    assert not short, short
    assert all((intent, lang) in counts for intent in intents for lang in ("en", "zh"))


def test_held_out_nlu_set_shares_no_sentence_with_training_data():
    normalise = lambda s: re.sub(r"[\s\W_]+", "", s.lower())  # noqa: E731
    train = {normalise(t) for p in (PROJECT_ROOT / "data" / "nlu").glob("*.yml") for _, t in nlu_examples(p)}
    test = [t for _, t in nlu_examples(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml")]
    copied = [t for t in test if normalise(t) in train]
    assert not copied, copied


def test_nlu_on_held_out_set(trained_model, tmp_path, capsys):
    result = rasa(
        "test", "nlu", "--model", str(trained_model), "--nlu", "tests/nlu/test_nlu.yml",
        "--out", str(tmp_path), "--no-plot",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    errors = json.loads((tmp_path / "intent_errors.json").read_text())
    examples = nlu_examples(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml")
    total = {"en": 0, "zh": 0}
    for _, text in examples:
        total["zh" if CJK.search(text) else "en"] += 1
    wrong = {"en": 0, "zh": 0}
    for error in errors:
        wrong["zh" if CJK.search(error["text"]) else "en"] += 1
    accuracy = {lang: 1 - wrong[lang] / total[lang] for lang in total}
    responses = json.loads((tmp_path / "response_selection_report.json").read_text())
    with capsys.disabled():
        print(
            f"\n[rasa test nlu] held-out set of {sum(total.values())} messages: intent accuracy "
            f"{report['accuracy']:.1%} (en {accuracy['en']:.1%}, zh {accuracy['zh']:.1%}), "
            f"macro-F1 {report['macro avg']['f1-score']:.3f}; FAQ answer selection "
            f"{responses['accuracy']:.1%}"
        )
    for lang, minimum in MIN_INTENT_ACCURACY.items():
        assert accuracy[lang] >= minimum, (lang, accuracy[lang], errors)


def test_stories_in_both_languages_predict_every_action(trained_model, tmp_path):
    result = rasa(
        "test", "core", "--model", str(trained_model), "--stories", "tests/stories",
        "--out", str(tmp_path), "--fail-on-prediction-errors", "--no-plot",
    )
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
    report = json.loads((tmp_path / "story_report.json").read_text())
    assert report["conversation_accuracy"]["accuracy"] == 1.0, details
    assert report["conversation_accuracy"]["total"] >= 10
