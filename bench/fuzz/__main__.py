"""`python -m bench.fuzz`: the fuzz benchmark; results in bench/results/fuzz.json.

Default: 100,000 inputs per connector of which at least 10,000 full turns
(issue 10). `--inputs 300 --turns 30` is the bounded run of `make test`.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bench.fuzz.harness import RESULTS, fuzz_servers, table, write_results
from bench.fuzz.targets import TARGETS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs per connector")
    parser.add_argument("--turns", type=int, default=10_000, help="full turns per connector (at least)")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--connectors", default=",".join(TARGETS), help=f"comma-separated, of {', '.join(TARGETS)}")
    parser.add_argument("--concurrency", type=float, default=1.0, help="scale every connector's worker count")
    parser.add_argument("--refused-batch", type=int, default=200, help="refused-only inputs per connector")
    parser.add_argument("--no-coverage", action="store_true")
    parser.add_argument("--coverage-share", type=float, default=0.1,
                        help="share of the inputs sent to the server under coverage (1: all)")
    parser.add_argument("--max-minutes", type=float, default=None,
                        help="stop sending after this long, then check and report what was reached")
    parser.add_argument("--workdir", type=Path, default=None, help="servers' logs, database, coverage data")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    connectors = [c for c in args.connectors.split(",") if c]
    unknown = set(connectors) - set(TARGETS)
    if unknown:
        parser.error(f"unknown connectors {sorted(unknown)}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fuzz-"))
    results = asyncio.run(fuzz_servers(workdir, args.seed, args.inputs, args.turns, connectors,
                                       args.refused_batch, args.concurrency, not args.no_coverage,
                                       max_minutes=args.max_minutes, coverage_share=args.coverage_share,
                                       checkpoint=args.out.with_suffix(".partial.json")))
    results["measured_at"] = time.strftime("%Y-%m-%d")
    given = " ".join(argv if argv is not None else sys.argv[1:])
    results["command"] = f'make fuzz FUZZ_ARGS="{given}"' if given else "make fuzz"
    results["workdir"] = str(workdir)
    write_results(results, args.out)
    args.out.with_suffix(".partial.json").unlink(missing_ok=True)
    print(table(results))
    print(f"results: {args.out}; logs and database: {workdir}")
    bad = sum(s["responses_5xx"] + s["errors"] for s in results["connectors"].values())
    return 1 if bad or not all(results["alive_after"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
