"""Messages built to make the readings backtrack: how long each reading of a hostile message takes (issue 11, session 39).

    make bench-hostile

A fresh attacker's review (session 39) found messages of at most 2,000 characters (the web chat's limit; REST takes 4,000) that
made the hand-over reading (``Turn.from_text``) or the emotion component take from a tenth of a second to 12 s, and one
whose time doubled with each added word ("please " twenty times, then "today": 1 s). This times every reading a
message goes through on each of them, with ordinary messages of the development sets (tests/dev29, en and zh) beside,
after a warm-up, the readings' per-text caches cleared first. Prints a table and writes
``bench/results/hostile_text.json``: per message and reading, wall-clock and CPU milliseconds
(:func:`bench.reading_latency.time_each`).
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import string
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "hostile_text.json"


def _hostile() -> Dict[str, str]:
    """The review's messages and their 4,000-character kin (the REST channel's limit), fixed by a seeded generator."""
    pick = random.Random(39)
    return {
        "please x20, today (grew x2 a word)": "please " * 20 + "today",
        "please/pls/just mixed x300, today": " ".join(pick.choice(["please", "pls", "plz", "just", "so", "ok"])
                                                    for _ in range(300)) + " today",
        "@ + 1,995 spaces + a!!": "@" + " " * 1995 + "a!!",
        "请问 + 1,994 spaces + a??": "请问" + " " * 1994 + "a??",
        "你 + 1,999 spaces": "你" + " " * 1999,
        "2,000 spaces and tabs": "".join(pick.choice(" \t") for _ in range(2000)),
        "2,000 !": "!" * 2000,
        "a + 1,999 !": "a" + "!" * 1999,
        "2,000 digits": "".join(pick.choice(string.digits) for _ in range(2000)),
        "你 + 1,999 ones": "你" + "1" * 1999,
        "letters and spaces": " ".join(pick.choice(string.ascii_lowercase) for _ in range(1000)),
        "letters and commas": ", ".join(pick.choice(string.ascii_lowercase) for _ in range(667)),
        "today x333": "today " * 333,
        "hi today? x200": "hi today? " * 200,
        "now x500": "now " * 500,
        "it's back now x140": "it's back now " * 140,
        "refund x x230": "refund x " * 230,
        "support + 2 spaces x230": "support  " * 230,
        "ABCD x400": "ABCD " * 400,
        "swell x400": "swell" * 400,
        "不好 x1000": "不好" * 1000,
        "有异议 x666": "有异议" * 666,
        "费用 有异议 x285": "费用 有异议 " * 285,
        # a second fresh attacker's review (session 39)
        "转 + 1,998 spaces + x (5 minutes)": "转" + " " * 1998 + "x",
        "换 + 300 spaces + x": "换" + " " * 300 + "x",
        "do you sell + 1,985 digits + ??": "do you sell " + "1" * 1985 + "??",
        "do you sell + 1,985 digits + !!": "do you sell " + "1" * 1985 + "!!",
        "do you sell + 1,985 一 + ??": "do you sell " + "一" * 1985 + "??",
        "do you actually know anything + 1,969 spaces + x": "do you actually know anything" + " " * 1969 + "x",
        "可以 + 1,990 digits + 吗??": "可以" + "1" * 1990 + "吗??",
        "do you sell + 1 x992 + ??": "do you sell " + "1 " * 992 + "??",
        # the REST channel takes 4,000 characters (connectors/rest.py MAX_MESSAGE_CHARS)
        "4,000: today x666": "today " * 666,
        "4,000: refund x x445": "refund x " * 445,
        "4,000: @ + spaces + a!!": "@" + " " * 3995 + "a!!",
        "4,000: spaces and tabs": "".join(pick.choice(" \t") for _ in range(4000)),
        "4,000: !": "!" * 4000,
        "4,000: letters and spaces": " ".join(pick.choice(string.ascii_lowercase) for _ in range(2000)),
        # session 41: long texts the sentence encoder read whole (numbers become its "<NÚMERO>" placeholder, about six
        # tokens each) and runs without spaces that the language reading's e-mail pattern re-read from every position
        "4,000: numbers and spaces": " ".join(str(pick.randint(0, 9999)) for _ in range(900)),
        "4,000: a Chinese complaint repeated": "我的订单一直没有到，物流信息三天没更新了，请帮我查一下。" * 150,
        "4,000: 中 then @": "中" * 3999 + "@",
        "4,000: letters and digits, no space": "".join(pick.choice(string.ascii_letters + string.digits)
                                                      for _ in range(4000)),
        # a fresh reviewer's (helper-203): many short matches in one run and an "@" elsewhere
        "4,000: <a> x1,332 + @": "<a>" * 1332 + " @",
        # a fresh reviewer's (helper-205, session 42): digit groups, which phonenumbers' matcher reads candidate by
        # candidate, and each of Rasa's readings scanned for private data again (four scans a message before)
        "4,000: 1111/ x800": "1111/" * 800,
        "4,000: 1/ x2000": "1/" * 2000,
        "4,000: 12345/ x667": "12345/" * 667,
        "4,000: 中1 x2000": "中1" * 2000,
        # helper-212 (session 45): the password masking's separators around spaces (0.36 s before the fix)
        "4,000: password is + spaces": "password is" + " " * 3989,
        "4,000: 密码是 + spaces": "密码是" + " " * 3997,
    }


#: The longest message a channel lets through: the REST channel's (the web chat's is 2,000, the IVR's 1,000).
LONGEST = 4000
HOSTILE: Dict[str, str] = {label: text[:LONGEST] for label, text in _hostile().items()}


def _ordinary(language: str, count: int = 40) -> list[str]:
    with (ROOT / "tests" / "dev29" / "messages.csv").open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle) if row["language"] == language]
    return texts[:count]


def _readings(parse: bool = True) -> Dict[str, Callable[[str], object]]:
    """Each reading a message goes through, as a call on its text (the models of models/current.tar.gz).

    Args:
        parse: also Rasa's whole NLU pipeline (``_rasa_parse``; about 20 s to load).

    Returns:
        Reading name → a call on one text.
    """
    from bench.reading_latency import load_emotion_model, load_request_model
    from bot.handover import triage
    from bot.handover.policy import Turn
    from bot.nlu.featurizers import embed
    from bot.privacy.masking import mask_cards

    emotion = load_emotion_model(ROOT / "models" / "current.tar.gz")
    reader = load_request_model(ROOT / "models" / "current.tar.gz")

    def emotion_component(text: str) -> object:
        return emotion.predict([text], embed([text]))

    readings = {"hand-over reading": lambda text: Turn.from_text("complain", None, text),
                "card masking (before the NLU, on the server's thread)": mask_cards,
                "person asked for": triage.asks_for_person,
                "emotion component (with its embedding)": emotion_component,
                "request reader": lambda text: reader.score([text])}
    if parse:
        parsed = _rasa_parse()
        readings["NLU parse (every component, on the server's thread)"] = parsed
        # what one message holds the server's thread for: the card masking, then the parse, sharing the scan's cache
        readings["masking + NLU parse (one message on the server)"] = lambda text: parsed(mask_cards(text))
    return readings


def _rasa_parse() -> Callable[[str], object]:
    """Rasa's whole NLU pipeline on one text, as the server runs it for each message: ``Agent.parse_message`` of
    models/current.tar.gz, without the project's Rasa patches, so the graph runs synchronously on the calling thread.
    Until session 43 a server ran it so on the event loop every conversation shares (session 41), and its time was what
    everything else the server did waited; a server now reads on its NLU worker thread (``bot/nlu_worker.py``), so its
    time is what the message and the next message's reading wait, and the event loop is slowed meanwhile, not stopped
    (``make bench-held-loop``)."""
    import asyncio
    import logging

    from rasa.core.agent import Agent

    import structlog

    loop = asyncio.new_event_loop()
    agent = loop.run_until_complete(_load_agent(Agent))
    # the processor logs every parse at DEBUG through structlog, the text in full
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    return lambda text: loop.run_until_complete(agent.parse_message(text))


async def _load_agent(agent_class):  # type: ignore[no-untyped-def]
    return agent_class.load(str(ROOT / "models" / "current.tar.gz"))


def main(argv: Optional[List[str]] = None) -> int:
    """Time every reading on every hostile message and on ordinary ones; print the table, write the JSON.

    Args:
        argv: command-line arguments: ``--skip TEXT`` (repeatable) leaves out the messages whose label holds TEXT
            (to time an older checkout, on which "please/pls/just mixed" would not end); ``--out PATH`` writes there;
            ``--no-parse`` leaves out Rasa's whole NLU pipeline; ``--repeat N`` reads each hostile message N times
            and gives the mean (one read of a message varies by a third between runs here).

    Returns:
        0.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", action="append", default=[])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-parse", action="store_true", help="leave out Rasa's whole NLU pipeline")
    parser.add_argument("--repeat", type=int, default=1, help="read each hostile message this many times (the mean)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.reading_latency import WARM_UP, text_caches, time_each

    readings = _readings(parse=not args.no_parse)
    for call in readings.values():
        for text in WARM_UP:
            call(text)
    rows = []
    messages: Dict[str, object] = {k: v for k, v in HOSTILE.items() if not any(skip in k for skip in args.skip)}
    for lang in ("en", "zh"):
        ordinary = _ordinary(lang)  # read once
        messages[f"ordinary {lang} (dev29, {len(ordinary)} messages)"] = ordinary
    caches = text_caches()
    for label, texts in messages.items():
        texts = [texts] * max(args.repeat, 1) if isinstance(texts, str) else texts
        row = {"message": label, "characters": max(len(t) for t in texts)}
        for name, call in readings.items():
            def timed(text: str, call: Callable[[str], object] = call) -> None:
                for cache in caches:  # about 20 of them: microseconds
                    cache.cache_clear()
                call(text)
            figures = time_each(timed, texts)
            row[name] = {"ms": figures["mean"], "cpu_ms": figures["cpu_mean"]}
        rows.append(row)
        print(f"{label:45s} {row['characters']:5d} " + " | ".join(f"{n.split(' (')[0]} {row[n]['ms']:.1f}" for n in readings),
              flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"date": date.today().isoformat(), "command": "make bench-hostile",
                                   "repeat": max(args.repeat, 1),
                                   "at": datetime.now(timezone.utc).strftime("%H:%M UTC"), "rows": rows},
                                  indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
