"""Loud messages (capitals, rows of "!") through the escalation policy without the servers (issue 11, twenty-first pass).

Reads a CSV with ``text``, ``label`` and ``lang`` columns (``tests/loud23/messages.csv``: labels ``calm_joy``,
``calm_loud_other``, ``angry_sarcasm``, ``angry_loud``; a label starting with ``angry`` is a positive) and prints, per
language and label, how many messages are escalated, how many of them for emotion, and how many the emotion component
reads as style (``bot.nlu.emotion_lexicon.joy_as_style``: good news said loud, read in lower case).

    PYTHONPATH=$PWD .venv/bin/python scripts/eval_loud.py [--csv tests/loud23/messages.csv] [--model models/current.tar.gz]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    import eval_dev  # noqa: E402  (scripts/eval_dev.py: parsing with the trained model, the policy's first decision)

    from bot.handover.policy import load_config
    from bot.nlu.emotion_lexicon import joy_as_style

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=ROOT / "tests" / "loud23" / "messages.csv")
    parser.add_argument("--model", type=Path, default=eval_dev.MODEL)
    parser.add_argument("--json", type=Path, help="write the counts here as JSON")
    args = parser.parse_args()
    with args.csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    parsed = eval_dev.parse_all([r["text"] for r in rows], args.model)
    config = load_config()
    counts: Counter = Counter()
    for row in rows:
        decision = eval_dev.decide_first(row["text"], parsed[row["text"]], config)
        key = f"{row['lang']}/{row['label']}"
        counts[key, "messages"] += 1
        counts[key, "escalated"] += decision["escalated"]
        counts[key, "for_emotion"] += decision["escalated"] and decision["reason"] == "negative_emotion"
        counts[key, "read_as_style"] += joy_as_style(row["text"])
    report = {key: {what: counts[key, what] for what in ("messages", "escalated", "for_emotion", "read_as_style")}
              for key in sorted({k for k, _ in counts})}
    print(f"{args.csv} ({len(rows)} messages); model {args.model}")
    for key, figures in report.items():
        print(f"  {key:24} escalated {figures['escalated']:3}/{figures['messages']:<3} (for emotion {figures['for_emotion']:3})"
              f"  read as style {figures['read_as_style']:3}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
