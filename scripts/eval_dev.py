"""Escalation on the development sets without the servers (issue 11; written in its third pass, used in every pass since).

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

``--conversations PATH`` (a JSON-lines file of ``{"id", "language", "label",
"kind", "turns": [...]}``; by default ``conversations.jsonl`` beside the
messages when it exists) also scores multi-turn conversations: the turns are
decided one after another as the policy does (each turn's ``offered`` set when
the bot offered a person on the turn before; two ``nlu_fallback`` turns
running count as ``nlu_failure``, which the fallback action owns), and a
conversation is escalated when any turn is. Per language: P/R/F1 and the
calm conversations escalated with their reasons.

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
from bench.escalation import turn_text  # noqa: E402  (one reader of a turn, shared with the benchmark)
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
    # the NLU components' code too: a change to how a trained model reads a message (bot/nlu) is a new cache
    code = hashlib.sha1(b"".join(p.read_bytes() for p in sorted((ROOT / "bot" / "nlu").glob("*.py")))).hexdigest()
    key = hashlib.sha1(f"{model.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{code}".encode()).hexdigest()[:16]
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
                               "emotion": parsed.get("emotion"), "request_score": parsed.get("request_score")}

        asyncio.run(run())
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    return cache


def decide_first(text: str, parsed: dict, config) -> dict:
    """What the servers do with ``text`` as a conversation's first message:
    ``{"escalated", "reason", "triggers", "priority", "offer", "intent", "negative"}``."""
    from bot.handover.policy import Emotion, Turn, decide, priority, request_score_of, should_offer

    emotion = Emotion.from_parse(parsed.get("emotion"))
    turns = [Turn.from_text(parsed.get("intent"), emotion, text, request_score=request_score_of(parsed))]
    decision = decide(turns, config)
    return {
        "escalated": decision is not None,
        "reason": decision.code if decision else None,
        "triggers": [t.code for t in decision.all_triggers()] if decision else [],
        "priority": priority(decision, config, parsed.get("intent"), emotion) if decision else None,
        "offer": decision is None and should_offer(turns, config),
        "intent": parsed.get("intent"),
        "negative": None if emotion is None else emotion.negative,
        "request_score": parsed.get("request_score"),
    }


def read_conversations(path: Path) -> list[dict]:
    """The conversations of a JSON-lines file (none when it does not exist)."""
    if not path or not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def decide_conversation(texts: list[str], parsed: dict, config) -> dict:
    """What the policy does over a conversation's customer turns, in order:
    ``{"escalated", "turn", "reason", "triggers"}`` of the first hand-over (turn 1-based), or not escalated."""
    from bot.handover.policy import Emotion, Turn, decide, request_score_of, should_offer

    turns: list = []
    offered = False
    fallbacks = 0
    for number, text in enumerate(texts, 1):
        p = parsed[text]
        turns.append(Turn.from_text(p.get("intent"), Emotion.from_parse(p.get("emotion")), text, offered=offered,
                                    request_score=request_score_of(p)))
        decision = decide(turns, config)
        if decision is not None:
            return {"escalated": True, "turn": number, "reason": decision.code,
                    "triggers": [t.code for t in decision.all_triggers()]}
        fallbacks = fallbacks + 1 if p.get("intent") == "nlu_fallback" else 0
        if fallbacks >= 2:
            return {"escalated": True, "turn": number, "reason": "nlu_failure", "triggers": ["nlu_failure"]}
        offered = should_offer(turns, config)
    return {"escalated": False, "turn": None, "reason": None, "triggers": []}


def report_conversations(conversations: list[dict], parsed: dict, config, show_failures: bool) -> dict:
    """Print and return the conversation figures per language."""
    summary = {}
    outcomes = {c["id"]: decide_conversation([turn_text(t) for t in c["turns"]], parsed, config) for c in conversations}
    for lang in sorted({c.get("language") for c in conversations}):
        subset = [c for c in conversations if c.get("language") == lang]
        truth = [c["label"] in POSITIVE for c in subset]
        pred = [outcomes[c["id"]]["escalated"] for c in subset]
        p, r_, f1 = prf(truth, pred)
        calm = Counter(outcomes[c["id"]]["reason"] for c in subset if c["label"] == "calm" and outcomes[c["id"]]["escalated"])
        summary[lang] = {"n": len(subset), "precision": round(p, 3), "recall": round(r_, 3), "f1": round(f1, 3),
                         "calm_escalated": sum(calm.values()), "calm_reasons": dict(calm)}
        print(f"[{lang} conversations] n={len(subset)}  P {p:.3f}  R {r_:.3f}  F1 {f1:.3f}  "
              f"calm escalated {sum(calm.values())} {dict(calm)}")
    if show_failures:
        print("\nconversation failures:")
        for c in conversations:
            o = outcomes[c["id"]]
            if o["escalated"] != (c["label"] in POSITIVE):
                print(f"  {c['id']} {c['label']:12s} {c.get('kind', ''):22s} esc={int(o['escalated'])} "
                      f"{o['reason'] or ''} turn={o['turn']}")
                for t in c["turns"]:
                    text = turn_text(t)
                    e = parsed[text].get("emotion") or {}
                    print(f"      intent={parsed[text].get('intent')} neg={e.get('negative', 0):.2f} | {text}")
    return summary


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
    parser.add_argument("--conversations", type=Path, default=None,
                        help="JSON-lines conversations (default: conversations.jsonl beside --dev)")
    parser.add_argument("--json", type=Path, default=None, help="write the summary here as JSON")
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
    conversations = read_conversations(args.conversations or args.dev.parent / "conversations.jsonl")
    turn_texts = [turn_text(t) for c in conversations for t in c["turns"]]
    parsed = parse_all([r["text"] for r in rows] + turn_texts, args.model, not args.no_cache)
    outcomes = {r["id"]: decide_first(r["text"], parsed[r["text"]], config) for r in rows}
    if args.check_ids is not None:
        for r in rows:
            if r["id"] in args.check_ids:
                print(json.dumps({"id": r["id"], **outcomes[r["id"]]}, ensure_ascii=False))
        return 0
    print(f"dev set: {args.dev} ({len(rows)} messages); model {args.model}")
    summary = report(rows, outcomes, args.show_failures)
    if conversations:
        print()
        summary["conversations"] = report_conversations(conversations, parsed, config, args.show_failures)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
