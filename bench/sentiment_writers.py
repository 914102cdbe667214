"""Which sentiment head generalises to a writer it never saw: leave one writer out.

    make bench-sentiment-writers      (python -m bench.sentiment_writers)

Issue 11, eighth pass. ``data/sentiment/`` holds general-domain sentiment rows
from four independent writers, one CSV per writer and language
(``general_en.csv`` / ``general_zh.csv`` the first, ``general_en_a.csv``,
``general_zh_b.csv``, ``general_en_c.csv`` / ``general_zh_c.csv`` three more).
For each file, the three heads of ``bot.nlu.emotion.EmotionModel`` are fitted on
every other file and scored on it (a message is unhappy when its
``sentiment_negative`` is at least 0.5):

- ``union`` — :meth:`EmotionModel.fit_sentiment_union` (fifth pass): the
  classifier's unhappy logit and VADER / SnowNLP, on held-out service rows and
  general rows;
- ``general`` — :meth:`EmotionModel.fit_sentiment`: those inputs beside the
  sentence embedding and character n-grams of the general rows;
- ``library`` — :meth:`EmotionModel.fit_sentiment_library` (ninth pass, the
  default): VADER at its published threshold (en), a character n-gram model of
  SnowNLP's shipped reviews and the other writers' rows (zh).

The emotion classifier is trained once, as ``rasa train`` does. Reads only the
project's own data (never ``../shared/bench-data``); writes
``bench/results/sentiment_writers.json`` and prints a table. About 5 minutes on
2 cores.
"""
from __future__ import annotations

import copy
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "sentiment_writers.json"
WRITER_FILES = ["general_en.csv", "general_en_a.csv", "general_en_c.csv",
                "general_zh.csv", "general_zh_b.csv", "general_zh_c.csv"]


def main() -> int:
    """Fit and score the three heads with each writer's file held out; returns the exit code (0)."""
    sys.path.insert(0, str(ROOT))
    from bench.emotion import prf
    from bot.nlu.emotion import EmotionModel, read_rows, sentiment_rows, training_paths

    folder = ROOT / "data" / "sentiment"
    by_file = {name: sentiment_rows(str(folder / name)) for name in WRITER_FILES if (folder / name).is_file()}
    general = [row for rows in by_file.values() for row in rows]
    emotion_rows = [row for path in training_paths(str(ROOT / "data" / "emotion" / "*.csv")) for row in read_rows(path)]
    held: dict = {}
    union = EmotionModel.fit_sentiment_union

    def capture(self, rows, held_heads, seed=11):  # the held-out service rows fit_calibrated scores
        held.update(held_heads)
        return union(self, rows, held_heads, seed)

    started = time.perf_counter()
    EmotionModel.fit_sentiment_union = capture
    try:
        base = EmotionModel().fit_calibrated(emotion_rows, sentiment_rows=general, sentiment_head="union")
    finally:
        EmotionModel.fit_sentiment_union = union
    results = []
    for name, test in by_file.items():
        train = [row for other, rows in by_file.items() if other != name for row in rows]
        truth = [row["label"] == "negative" for row in test]
        entry = {"held_out": name, "rows": len(test), "negative_share": round(100 * sum(truth) / len(test), 1)}
        for head in ("union", "general", "library"):
            model = copy.deepcopy(base)
            {"union": lambda: model.fit_sentiment_union(train, held), "general": lambda: model.fit_sentiment(train),
             "library": lambda: model.fit_sentiment_library(train)}[head]()
            predicted = [p["sentiment_negative"] >= 0.5 for p in model.predict([row["text"] for row in test])]
            entry[head] = prf(truth, predicted)
        results.append(entry)
        print(f"{name}: union {entry['union']}  general {entry['general']}  library {entry['library']}", flush=True)
    print("\n| held-out writer's file | rows | negative % | union F1 / acc | general F1 / acc | library F1 / acc |\n"
          "|---|---|---|---|---|---|")
    for e in results:
        print(f"| {e['held_out']} | {e['rows']} | {e['negative_share']} | "
              + " | ".join(f"{e[h]['f1']} / {e[h]['accuracy']}" for h in ("union", "general", "library")) + " |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"date": date.today().isoformat(), "command": "make bench-sentiment-writers",
                                   "seconds": round(time.perf_counter() - started), "results": results},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
