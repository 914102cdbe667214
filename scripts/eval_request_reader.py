"""The request reader scored on writers it never saw: leave one development set out (issue 11, nineteenth pass).

    PYTHONPATH=$PWD .venv/bin/python scripts/eval_request_reader.py [--threshold 0.7] [--thresholds 0.5 0.7 0.85]

For each development set in ``data/requests/*.csv`` (column ``source``, ``devN:id``), a
:class:`bot.nlu.request_reader.RequestModel` is fitted on the NLU examples and every other set's rows, and scores
that set's rows. Per language and threshold it prints how many of the explicit requests the rules' text reading
(``bot.handover.triage.asks_for_person``) finds, how many the reader finds, how many either finds (what the policy
hands over as ``customer_request`` without the intent), and how many calm rows the reader reads as requests
(a calm customer queued). The reader counts as the policy counts it: a score at or above the threshold on a text
that is no question about a request (``bot.handover.triage.not_a_request``). The text readings only: no intent, no emotion, no trained Rasa model needed.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def nlu_examples() -> list[tuple[str, str]]:
    """``(text, intent)`` of every NLU example under ``data/nlu``."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "data" / "nlu"))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def main(argv: list[str] | None = None) -> int:
    """Command line: print the leave-one-set-out figures; returns the exit status."""
    from bot.handover.triage import asks_for_person, not_a_request
    from bot.nlu.request_reader import RequestModel, read_request_rows, training_examples

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", type=float, nargs="*", default=[0.5, 0.7, 0.85])
    parser.add_argument("--data", default="data/requests/*.csv")
    args = parser.parse_args(argv)
    rows = read_request_rows(args.data)
    nlu = nlu_examples()
    # only the development sets are left out in turn; other rows (the hand-written look-alikes) always train
    sets = sorted({r["source"].split(":")[0] for r in rows if r["source"].startswith("dev")})
    scores: dict[str, float] = {}
    for held in sets:
        train = [r for r in rows if not r["source"].startswith(held + ":")]
        test = [r for r in rows if r["source"].startswith(held + ":")]
        model = RequestModel().fit(*training_examples(nlu, train))
        for row, score in zip(test, model.score([r["text"] for r in test])):
            scores[row["source"]] = score
    for threshold in args.thresholds:
        print(f"threshold {threshold}")
        for lang in ("en", "zh"):
            mine = [r for r in rows if r["language"] == lang and r["source"] in scores]
            count = defaultdict(int)
            for r in mine:
                read = scores[r["source"]] >= threshold and not not_a_request(r["text"])
                rule = asks_for_person(r["text"])
                if r["label"] == "request":
                    count["requests"] += 1
                    count["rule"] += rule
                    count["reader"] += read
                    count["either"] += rule or read
                elif r["dev_label"] == "calm":
                    count["calm"] += 1
                    count["calm_read"] += read
                    count["calm_rule"] += rule
                else:
                    count["other"] += 1
                    count["other_read"] += read
            print(f"  [{lang}] requests {count['requests']}: rules {count['rule']}, reader {count['reader']}, "
                  f"either {count['either']}; calm {count['calm']}: read as requests {count['calm_read']} "
                  f"(rules {count['calm_rule']}); other angry/needs-a-person {count['other']}: read {count['other_read']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
