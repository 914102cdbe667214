"""Training rows for the request reader (``bot.nlu.request_reader``) from the development sets already read.

    PYTHONPATH=$PWD .venv/bin/python scripts/request_data.py [--held-out tests/dev21] [--out data/requests/dev_requests.csv]

``--held-out`` defaults to the sets ``tests/unit/test_blind_overlap.py`` names in ``HELD_OUT``; ``tests/unit/
test_request_reader.py`` fails when the committed file is not what this script writes (after a change to the rules
``is_request`` reads, or to a development set: run it again and retrain).

Every first message of ``tests/dev*/messages.csv`` (issue 11's development sets: written by fresh writers from
the label definitions only, scored untuned, then read and mended) becomes a row labelled ``request`` when the
writer tagged it as an explicit request for a person (its ``kind`` matches :data:`REQUEST_KIND`: ``explicit_…``,
``human_request…``, ``callback…``, ``ask_supervisor``, ``angry_plus_person`` …) or, on an angry or needs-a-person
row, the rules read one in it (``bot.handover.triage.asks_for_person``: writers tag "GET ME A MANAGER" as
``caps_demand`` and "…想找负责人核对一下" as ``billing_dispute``), and ``other`` otherwise (every calm row, and angry or
needs-a-person rows with no request: fraud, a formal complaint, sarcasm …).

Never used: the blind set (``tests/blind``), the sets named by ``--held-out`` (a development set kept to measure
the reader on a writer it never saw), and any development row that equals or nearly equals a blind text
(character 5-gram Jaccard ≥ 0.8, ``tests/unit/test_blind_overlap.py``). Deterministic: the same sets give the same
file. ``tests/unit/test_blind_overlap.py`` checks the file never holds a held-out set's row.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.unit.test_blind_overlap import BLIND, HELD_OUT, blind_texts, overlapping  # noqa: E402

OUT = ROOT / "data" / "requests" / "dev_requests.csv"
FIELDS = ("text", "language", "label", "source", "kind", "dev_label")

# A writer's kind tag that marks an explicit request for a person (a human, an agent, a named person, a role, a
# department, a call-back), on needs-a-person and angry rows. Kinds of money moved ("bank_scam_transfer"), a
# complaint about staff or doubt about them are not requests.
REQUEST_KIND = re.compile(
    r"explicit|human|person(?!al)|agent|operator|(?<!scam_)(?<!payee_)(?<!number_)transfer|call_?back|supervisor|"
    r"manager|representative|(?<!complaint_)(?<!company_)staff|specialist|advis[oe]r|employee|colleague|someone|"
    r"somebody|anyone|live_|real_|speak|talk|zhuan|renggong|rengong|(?<!legal_)department|team|ivr_request|ivr_ask|"
    r"decision_maker|ask_higher|named|role|in_person|appointment|kefu")


def is_request(label: str, kind: str, text: str) -> bool:
    """Whether a development row is an explicit request for a person.

    Args:
        label: the row's label (``angry``, ``calm``, ``needs_person``).
        kind: the writer's kind tag.
        text: the message.

    Returns:
        True for an angry or needs-a-person row whose kind marks a request or whose text the rules read as one;
        calm rows never are.
    """
    from bot.handover.triage import asks_for_person

    return label != "calm" and (bool(REQUEST_KIND.search(kind or "")) or asks_for_person(text))


def dev_sets(held_out: list[Path]) -> list[Path]:
    """The development set folders (``tests/dev``, ``tests/dev2`` …) in number order, without ``held_out``."""
    held = {p.resolve() for p in held_out}
    found = [p for p in (ROOT / "tests").glob("dev*") if re.fullmatch(r"dev\d*", p.name) and (p / "messages.csv").exists()]
    return sorted((p for p in found if p.resolve() not in held), key=lambda p: int(p.name[3:] or 1))


def build(held_out: list[Path] | None = None) -> list[dict]:
    """The rows for ``data/requests``: one per distinct development text, blind near-copies left out.

    Args:
        held_out: development set folders never to use (None: ``tests/<name>`` for each name of ``HELD_OUT``).

    Returns:
        Dicts with the keys of :data:`FIELDS`.
    """
    if held_out is None:
        held_out = [ROOT / "tests" / name for name in HELD_OUT]
    rows, seen = [], set()
    for folder in dev_sets(held_out):
        with (folder / "messages.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                text = (row.get("text") or "").strip()
                if not text or text in seen:
                    continue
                seen.add(text)
                rows.append({"text": text, "language": row.get("language", ""),
                             "label": "request" if is_request(row["label"], row.get("kind", ""), text) else "other",
                             "source": f"{folder.name}:{row['id']}", "kind": row.get("kind", ""),
                             "dev_label": row["label"]})
    blind = blind_texts(BLIND)
    drop = set(overlapping([r["text"] for r in rows], blind)) if blind else set()
    return [r for i, r in enumerate(rows) if i not in drop]


def main(argv: list[str] | None = None) -> int:
    """Command line: write the rows; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=Path, nargs="*", default=[ROOT / "tests" / name for name in HELD_OUT],
                        help="development set folders to leave out (kept to measure the reader; default: HELD_OUT)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = build(args.held_out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    requests = sum(r["label"] == "request" for r in rows)
    print(f"{args.out}: {len(rows)} rows, {requests} requests, from {len(dev_sets(args.held_out))} development sets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
