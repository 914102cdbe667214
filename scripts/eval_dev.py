"""Escalation on the development set without the servers (issue 11, third pass).

    PYTHONPATH=$PWD .venv/bin/python scripts/eval_dev.py [--dev PATH] [--show-failures] [--no-cache]

Scores each first message of the development set (``tests/dev/messages.csv``,
columns ``id,language,label,kind,pair_id,text``; labels angry / calm /
needs_person, the first and last the positives) with the decision code the
running servers use on a first message: the trained model's NLU parse
(``rasa.core.agent.Agent`` on ``models/current.tar.gz``: intent, emotion),
then ``bot.handover.policy.Turn.from_text`` and ``decide`` as the
``HandoffPolicy`` does — a decision is a ticket — and ``priority`` as
``action_handoff`` computes it (no earlier escalation).

Parses are cached under ``var/eval_dev/`` per model file (size and mtime), so a
change of triage code or ``escalation.yml`` is re-scored in seconds; a retrained
model is parsed again. Prints per language precision/recall/F1, anger and
needs-a-person recall, calm messages escalated and why, the confusion by
``kind``, translated-pair agreement, and with ``--show-failures`` the failing
texts (for error analysis only: never copy them into training data).

``--check-ids`` prints the decisions of the given ids and ``--texts`` those of
any texts, as JSON lines. ``tests/integration/test_eval_dev.py`` checks that
``parse_all`` + ``decide_first`` agree with the running servers.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import json
import logging
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DEV = ROOT / "tests" / "dev" / "messages.csv"
FALLBACK_DEV = Path("/work/wt/dev/tests/dev/messages.csv")
MODEL = ROOT / "models" / "current.tar.gz"
CACHE_DIR = ROOT / "var" / "eval_dev"
POSITIVE = ("angry", "needs_person")


def read_dev(path: Path) -> list[dict]:
    """Rows of the development CSV with a non-empty text."""
    with path.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if (r.get("text") or "").strip()]


def _cache_path(model: Path) -> Path:
    stat = model.stat()
    key = hashlib.sha1(f"{model.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return CACHE_DIR / f"parses-{key}.json"


def parse_all(texts: list[str], model: Path, use_cache: bool = True) -> dict[str, dict]:
    """``{text: {"intent": name, "emotion": {...}}}`` from the trained model (cached per model file)."""
    cache_file = _cache_path(model)
    cache: dict = {}
    if use_cache and cache_file.exists():
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    if missing:
        os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
        logging.disable(logging.WARNING)
        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)

        agent = Agent.load(str(model))

        async def run() -> None:
            for text in missing:
                parsed = await agent.parse_message(text)
                cache[text] = {"intent": (parsed.get("intent") or {}).get("name"),
                               "confidence": (parsed.get("intent") or {}).get("confidence"),
                               "emotion": parsed.get("emotion")}

        asyncio.run(run())
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    return cache


def decide_first(text: str, parsed: dict, config) -> dict:
    """What the servers do with ``text`` as a conversation's first message:
    ``{"escalated", "reason", "triggers", "priority", "offer", "intent", "negative"}``."""
    from bot.handover.policy import Emotion, Turn, decide, priority, should_offer

    emotion = Emotion.from_parse(parsed.get("emotion"))
    turns = [Turn.from_text(parsed.get("intent"), emotion, text)]
    decision = decide(turns, config)
    return {
        "escalated": decision is not None,
        "reason": decision.code if decision else None,
        "triggers": [t.code for t in decision.all_triggers()] if decision else [],
        "priority": priority(decision, config, parsed.get("intent"), emotion) if decision else None,
        "offer": decision is None and should_offer(turns, config),
        "intent": parsed.get("intent"),
        "negative": None if emotion is None else emotion.negative,
    }


def prf(truth: list[bool], predicted: list[bool]) -> tuple[float, float, float]:
    """Precision, recall, F1 of boolean predictions."""
    tp = sum(t and p for t, p in zip(truth, predicted))
    p = tp / max(sum(predicted), 1)
    r = tp / max(sum(truth), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(rows: list[dict], outcomes: dict[str, dict], show_failures: bool) -> dict:
    """Print the figures (and failures) and return the summary per language."""
    summary = {}
    for lang in sorted({r["language"] for r in rows}):
        subset = [r for r in rows if r["language"] == lang]
        truth = [r["label"] in POSITIVE for r in subset]
        pred = [outcomes[r["id"]]["escalated"] for r in subset]
        p, r_, f1 = prf(truth, pred)

        def recall(label: str) -> str:
            items = [x for x in subset if x["label"] == label]
            hit = sum(outcomes[x["id"]]["escalated"] for x in items)
            return f"{hit}/{len(items)}"

        calm = [x for x in subset if x["label"] == "calm" and outcomes[x["id"]]["escalated"]]
        reasons = Counter(outcomes[x["id"]]["reason"] for x in calm)
        summary[lang] = {"precision": round(p, 3), "recall": round(r_, 3), "f1": round(f1, 3),
                         "angry": recall("angry"), "needs_person": recall("needs_person"),
                         "calm_escalated": len(calm), "calm_reasons": dict(reasons)}
        print(f"[{lang}] n={len(subset)}  P {p:.3f}  R {r_:.3f}  F1 {f1:.3f}  angry {recall('angry')}  "
              f"needs_person {recall('needs_person')}  calm escalated {len(calm)} {dict(reasons)}")
    print("\nby kind (label kind: escalated/total)")
    by_kind: dict = defaultdict(lambda: [0, 0])
    for r in rows:
        key = (r["language"], r["label"], r["kind"])
        by_kind[key][0] += outcomes[r["id"]]["escalated"]
        by_kind[key][1] += 1
    for (lang, label, kind), (hit, total) in sorted(by_kind.items()):
        wrong = total - hit if label in POSITIVE else hit
        if wrong:
            print(f"  {lang} {label:12s} {kind:26s} {hit}/{total}  wrong {wrong}")
    pairs: dict = defaultdict(dict)
    for r in rows:
        if r.get("pair_id"):
            pairs[r["pair_id"]][r["language"]] = outcomes[r["id"]]
    full = [v for v in pairs.values() if len(v) == 2]
    if full:
        same = sum(v["en"]["escalated"] == v["zh"]["escalated"] for v in full)
        same_p = sum(v["en"]["escalated"] == v["zh"]["escalated"] and v["en"]["priority"] == v["zh"]["priority"]
                     for v in full)
        print(f"\npairs {len(full)}: same escalation {same / len(full):.3f}, "
              f"same escalation+priority {same_p / len(full):.3f}")
        summary["pairs"] = {"n": len(full), "same": round(same / len(full), 3),
                            "same_priority": round(same_p / len(full), 3)}
    if show_failures and full:
        print("\npairs that differ (escalation or priority):")
        for pair_id, v in sorted(pairs.items()):
            if len(v) == 2 and (v["en"]["escalated"], v["en"]["priority"]) != (v["zh"]["escalated"], v["zh"]["priority"]):
                print(f"  {pair_id} en {v['en']['reason']} P{v['en']['priority']} neg={v['en']['negative'] or 0:.2f} | "
                      f"zh {v['zh']['reason']} P{v['zh']['priority']} neg={v['zh']['negative'] or 0:.2f}")
    if show_failures:
        print("\nfailures:")
        for r in rows:
            o = outcomes[r["id"]]
            if o["escalated"] != (r["label"] in POSITIVE):
                neg = "-" if o["negative"] is None else f"{o['negative']:.2f}"
                print(f"  {r['id']} {r['label']:12s} {r['kind']:22s} esc={int(o['escalated'])} {o['reason'] or ''}"
                      f" intent={o['intent']} neg={neg} offer={int(o['offer'])} | {r['text']}")
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command line: score the development set; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV if DEFAULT_DEV.exists() else FALLBACK_DEV)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--check-ids", nargs="*", help="print decisions of these ids as JSON lines")
    parser.add_argument("--texts", nargs="*", help="score these texts instead of the dev set (JSON lines)")
    args = parser.parse_args(argv)
    from bot.handover.policy import load_config

    config = load_config()
    if args.texts:
        parsed = parse_all(args.texts, args.model, not args.no_cache)
        for text in args.texts:
            print(json.dumps({"text": text, **decide_first(text, parsed[text], config)}, ensure_ascii=False))
        return 0
    rows = read_dev(args.dev)
    parsed = parse_all([r["text"] for r in rows], args.model, not args.no_cache)
    outcomes = {r["id"]: decide_first(r["text"], parsed[r["text"]], config) for r in rows}
    if args.check_ids is not None:
        for r in rows:
            if r["id"] in args.check_ids:
                print(json.dumps({"id": r["id"], **outcomes[r["id"]]}, ensure_ascii=False))
        return 0
    print(f"dev set: {args.dev} ({len(rows)} messages); model {args.model}")
    report(rows, outcomes, args.show_failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
