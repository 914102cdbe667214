"""Emotion benchmark: the project's emotion classifier on public sets.

    make bench-emotion

Trains the classifier exactly as `rasa train` does (on data/emotion/*.csv,
the project's own customer-service messages, calibrated per language; the
sentiment head on data/sentiment/*.csv, general-domain sentiment the
project wrote) and measures, with a
keyword-only baseline beside it in the same run:
- goemotions_en (Reddit comments, English): the `negative` column;
- waimai10k_zh (food-delivery reviews, Chinese): negative vs positive.
Neither set is customer-service chat, so these measure transfer. A message
counts as negative when its ``sentiment_negative`` is at least 0.5
(bench.escalation.is_unhappy; the top label for older models).
Reads ../shared/bench-data (or $BENCH_DATA); skips when absent.
"""
from __future__ import annotations

import csv
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "emotion.json"
SETS = {
    "goemotions_en": lambda row: row["negative"] == "1",
    "waimai10k_zh": lambda row: row["label"] == "negative",
}


def bench_data_dir() -> Path:
    return Path(os.environ.get("BENCH_DATA", ROOT.parent / "shared" / "bench-data"))


def transfer_sets(data: Path):
    """Each transfer set's test data: ``(name, texts, truth)``, ``truth[i]`` whether text i is negative.

    Args:
        data: the benchmark data directory (``bench_data_dir()``) holding ``<set>/test.csv``.

    Raises:
        FileNotFoundError: a set's test.csv is missing.
    """
    for name, is_negative in SETS.items():
        with (data / name / "test.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        yield name, [r["text"] for r in rows], [is_negative(r) for r in rows]


def prf(truth: list[bool], predicted: list[bool]) -> dict:
    tp = sum(t and p for t, p in zip(truth, predicted))
    precision = tp / max(sum(predicted), 1)
    recall = tp / max(sum(truth), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(t == p for t, p in zip(truth, predicted)) / len(truth)
    return {k: round(100 * v, 1) for k, v in
            {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}.items()}


def main() -> int:
    data = bench_data_dir()
    if not data.is_dir():
        print(f"bench-emotion: skipped, no benchmark data at {data} (set BENCH_DATA).")
        return 0
    sys.path.insert(0, str(ROOT))
    from bot.nlu.emotion_lexicon import keyword_negative
    from bench.escalation import is_unhappy
    from bot.nlu.emotion import EmotionModel, read_rows, sentiment_rows, training_paths

    started = time.perf_counter()
    rows = [row for path in training_paths("data/emotion/*.csv") for row in read_rows(path)]
    model = EmotionModel().fit_calibrated(rows, sentiment_rows=sentiment_rows("data/sentiment/*.csv"))
    train_s = time.perf_counter() - started
    results = []
    for name, texts, truth in transfer_sets(data):
        started = time.perf_counter()
        predicted = [is_unhappy(p) for p in model.predict(texts)]
        batch_ms = 1000 * (time.perf_counter() - started) / len(texts)
        sample = texts[:200]
        started = time.perf_counter()
        for text in sample:  # one message at a time, as in a conversation
            model.predict([text])
        single_ms = 1000 * (time.perf_counter() - started) / len(sample)
        started = time.perf_counter()
        keywords = [keyword_negative(t) for t in texts]
        keyword_ms = 1000 * (time.perf_counter() - started) / len(texts)
        majority = max(sum(truth), len(truth) - sum(truth)) / len(truth)
        results.append({"set": name, "messages": len(texts), "negative_share": round(100 * sum(truth) / len(truth), 1),
                        "majority_accuracy": round(100 * majority, 1),
                        "project": {**prf(truth, predicted), "ms_per_message": round(single_ms, 2),
                                    "ms_per_message_batched": round(batch_ms, 2)},
                        "keywords": {**prf(truth, keywords), "ms_per_message": round(keyword_ms, 3)}})

    print(f"emotion classifier trained in {train_s:.1f} s on the project's own data\n")
    print("| set | detector | precision | recall | F1 | accuracy | ms/message |\n|---|---|---|---|---|---|---|")
    for r in results:
        for label, m in (("project classifier", r["project"]), ("keywords only", r["keywords"])):
            print(f"| {r['set']} ({r['negative_share']} % negative) | {label} | {m['precision']} | {m['recall']} | "
                  f"{m['f1']} | {m['accuracy']} | {m['ms_per_message']} |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"date": date.today().isoformat(), "command": "make bench-emotion",
                                   "train_seconds": round(train_s, 1), "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
