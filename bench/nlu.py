"""NLU benchmark: the project pipeline (config.yml) on public intent sets.

    make bench-nlu                      # project pipeline; stored baseline shown beside it
    make bench-nlu BENCH_ARGS=--with-baseline   # also retrain Rasa's default pipeline

Reads ../shared/bench-data (or $BENCH_DATA); skips with a message when absent.
Prints CLINC150 in-scope accuracy / out-of-scope recall / train time and CAIS
accuracy / macro-F1 / train time, beside Rasa's default pipeline (`rasa init`
config), whose figures are stored in bench/results/ because its DIET needs
hours on these sets on 2 cores.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BASELINE_FILE = RESULTS / "nlu_baseline_rasa_default.json"
PROJECT_FILE = RESULTS / "nlu_project.json"

# `rasa init` (3.6) leaves the pipeline empty, so Rasa fills in its default:
# this is that default written out.
RASA_DEFAULT_CONFIG = """\
recipe: default.v1
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 100
  - name: EntitySynonymMapper
  - name: ResponseSelector
    epochs: 100
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
policies: []
"""

PUBLISHED = {
    "clinc150": "Rasa 2019: 91.5 in-scope / 45.3 oos recall; BERT 96.9 / 40.3 (Larson et al. 2019)",
    "cais_zh": "CM-Net 94.56 accuracy; majority class 86.2",
}


def bench_data_dir() -> Path:
    return Path(os.environ.get("BENCH_DATA", ROOT.parent / "shared" / "bench-data"))


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_rasa_nlu(rows: list[dict], path: Path) -> None:
    by_label: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        text = " ".join(row["text"].split())
        if text:
            by_label[row["label"]].append(text)
    with path.open("w", encoding="utf-8") as f:
        f.write('version: "3.1"\nnlu:\n')
        for label, texts in by_label.items():
            f.write(f"- intent: {label}\n  examples: |\n")
            for text in dict.fromkeys(texts):
                f.write(f"    - {text}\n")


def train(config: Path, nlu: Path, out: Path, name: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    started = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "train", "nlu", "--config", str(config),
         "--nlu", str(nlu), "--out", str(out), "--fixed-model-name", name],
        cwd=out, env=env, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"rasa train nlu failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return elapsed


async def predict(model: Path, texts: list[str]) -> tuple[list[str], float]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    predictions = []
    started = time.perf_counter()
    for text in texts:
        parsed = await agent.parse_message(text)
        predictions.append(parsed["intent"]["name"])
    return predictions, (time.perf_counter() - started) / max(len(texts), 1)


def score(dataset: str, gold: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import f1_score

    if dataset == "clinc150":
        in_scope = [(g, p) for g, p in zip(gold, predicted) if g != "oos"]
        oos = [p for g, p in zip(gold, predicted) if g == "oos"]
        return {
            "in_scope_accuracy": 100 * sum(g == p for g, p in in_scope) / len(in_scope),
            "oos_recall": 100 * sum(p in ("oos", "nlu_fallback") for p in oos) / len(oos),
        }
    return {
        "accuracy": 100 * sum(g == p for g, p in zip(gold, predicted)) / len(gold),
        "macro_f1": 100 * f1_score(gold, predicted, average="macro", zero_division=0),
    }


def run(dataset: str, config_text: str, label: str, workdir: Path) -> dict:
    data = bench_data_dir() / dataset
    train_rows = read_csv(data / "train.csv")
    test_rows = read_csv(data / "test.csv")
    folder = workdir / f"{dataset}-{label}"
    folder.mkdir(parents=True)
    write_rasa_nlu(train_rows, folder / "nlu.yml")
    (folder / "config.yml").write_text(config_text, encoding="utf-8")
    print(f"  training {label} on {dataset} ({len(train_rows)} examples)...", flush=True)
    seconds = train(folder / "config.yml", folder / "nlu.yml", folder, "model")
    predicted, latency = asyncio.run(predict(folder / "model.tar.gz", [r["text"] for r in test_rows]))
    result = {
        "dataset": dataset,
        "pipeline": label,
        "train_examples": len(train_rows),
        "test_examples": len(test_rows),
        "train_seconds": round(seconds, 1),
        "ms_per_message": round(1000 * latency, 2),
        **{k: round(v, 2) for k, v in score(dataset, [r["label"] for r in test_rows], predicted).items()},
    }
    print(f"  {json.dumps(result)}", flush=True)
    return result


def row(result: dict) -> str:
    if result["dataset"] == "clinc150":
        metrics = f"in-scope {result['in_scope_accuracy']:.2f} | oos recall {result['oos_recall']:.2f}"
    else:
        metrics = f"accuracy {result['accuracy']:.2f} | macro-F1 {result['macro_f1']:.2f}"
    return (
        f"| {result['dataset']} | {result['pipeline']} | {metrics} | "
        f"train {result['train_seconds']:.0f} s | {result['ms_per_message']:.1f} ms/msg |"
    )


def save(path: Path, stamp: dict, results: list[dict]) -> None:
    """Keep one entry per data set: a run on one set leaves the others' figures."""
    stored = json.loads(path.read_text())["results"] if path.exists() else []
    fresh = {r["dataset"] for r in results}
    merged = [r for r in stored if r["dataset"] not in fresh] + [{**r, **stamp} for r in results]
    path.write_text(json.dumps({"results": merged}, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--with-baseline", action="store_true", help="retrain Rasa's default pipeline too (hours)")
    parser.add_argument("--baseline-only", action="store_true", help="only retrain Rasa's default pipeline")
    parser.add_argument("--datasets", nargs="+", default=["clinc150", "cais_zh"])
    args = parser.parse_args(argv)

    if not bench_data_dir().is_dir():
        print(f"bench-nlu: skipped, no benchmark data at {bench_data_dir()} (set BENCH_DATA).")
        return 0
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    RESULTS.mkdir(parents=True, exist_ok=True)
    args.with_baseline = args.with_baseline or args.baseline_only
    command = "make bench-nlu" + (f" BENCH_ARGS='{' '.join(argv or sys.argv[1:])}'" if (argv or sys.argv[1:]) else "")
    stamp = {"date": date.today().isoformat(), "command": command, "machine": f"{os.cpu_count()} cores"}

    project_config = (ROOT / "config.yml").read_text(encoding="utf-8")
    results, baseline = [], []
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        for dataset in args.datasets:
            if not args.baseline_only:
                results.append(run(dataset, project_config, "project (config.yml)", Path(tmp)))
            if args.with_baseline:
                baseline.append(run(dataset, RASA_DEFAULT_CONFIG, "Rasa default (rasa init)", Path(tmp)))

    if results:
        save(PROJECT_FILE, stamp, results)
    if args.with_baseline:
        save(BASELINE_FILE, stamp, baseline)
    elif BASELINE_FILE.exists():
        stored = json.loads(BASELINE_FILE.read_text())
        baseline = [dict(r, pipeline=f"{r['pipeline']} [stored {r['date']}]") for r in stored["results"]]

    print("\n| set | pipeline | quality | train time | latency |\n|---|---|---|---|---|")
    for result in results + [b for b in baseline if b["dataset"] in args.datasets]:
        print(row(result))
    for dataset in args.datasets:
        print(f"published ({dataset}): {PUBLISHED.get(dataset, '-')}")
    if not baseline:
        print("Rasa default pipeline: no stored figures yet; run with --with-baseline.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
