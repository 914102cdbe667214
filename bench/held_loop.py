"""What the rest of a server does while it reads long messages: the NLU on its worker thread beside Rasa's way.

Two of the project's servers, started side by side from the same code and model (``models/current.tar.gz``), one with
the NLU on its worker thread (``bot/nlu_worker.py``, the default) and one with ``NLU_ON_EVENT_LOOP=true`` (the whole
pipeline on the event loop, as Rasa runs it). In turns (a round on one, the same round on the other), on each:

- a **flood**: one client sends long messages one after the other (4,000 characters each: digit groups, a Chinese
  complaint repeated, letters and spaces, "中1" repeated; the shapes of ``make bench-hostile``; three times over,
  each time with a new beginning, so that no per-text cache answers), each waiting for its reply;
- meanwhile a **health check** polls ``GET /`` every 20 ms, and a **second customer** asks "what are your opening
  hours?" every 250 ms, each on a new conversation.

Reported per server (ms): the health check's and the second customer's reply times during the flood (median, p95,
max) beside the same with no flood (idle), and the long messages' own turn times. Then **ordinary traffic**, in turns
too: 5 sequential 4-turn conversations and 20 customers at once (``bench.serving``'s), turn times and messages a
second: what a thread would cost the messages that are read on the event loop. The second customer's message is
read after the long one before it in both (one reading at a time); what the thread changes is everything else the
server does meanwhile: the health check here, and in production the agent desk, WeChat's and the IVR's replies, and
the bot's turns of conversations already read.

Run: ``make bench-held-loop`` (``BENCH_ARGS="--rounds 1"`` for a quick look). Results: bench/results/held_loop.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp
import rasa

from bench.serving import Client, commit, concurrent, seeded, sequential, summary
from tests.conftest import MODEL, PROJECT_ROOT
from tests.integration.conftest import Servers

RESULTS = PROJECT_ROOT / "bench" / "results" / "held_loop.json"
#: The long messages, 4,000 characters each (the REST channel's most): shapes of bench/hostile_text.py.
LONG_MESSAGES = {
    "digit groups": "1111/" * 800,
    "a Chinese complaint repeated": ("我上周买的手机屏幕碎了，你们客服一直不回复，我已经打了三次电话，每次都说等通知。" * 100)[:4000],
    "letters and spaces": ("lorem ipsum dolor sit amet consectetur " * 110)[:4000],
    "中1 repeated": "中1" * 2000,
}
FLOOD_PASSES = 3  # each long message sent this many times a round
SHORT = "what are your opening hours?"
POLL_S, SHORT_EVERY_S = 0.02, 0.25


class OnLoopServers(Servers):
    """The project's servers with ``NLU_ON_EVENT_LOOP=true``: Rasa's own way of reading a message."""

    def launch(self) -> "OnLoopServers":
        """Start them with the setting (``Servers.launch``)."""
        self.env["NLU_ON_EVENT_LOOP"] = "true"
        return super().launch()  # type: ignore[return-value]


def unique(text: str, tag: str) -> str:
    """``text`` made a text no reading has seen (so no per-text cache answers for it, as for a real customer's
    message; helper-207): ``tag`` and a nanosecond clock at its start, the same length.

    Args:
        text: a long message.
        tag: the round's name.

    Returns:
        A text of ``len(text)`` characters.
    """
    head = f"{tag} {time.time_ns()} "
    return head + text[len(head):]


async def _poll(http: aiohttp.ClientSession, url: str, stop: asyncio.Event, out: List[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        async with http.get(f"{url}/") as response:
            await response.read()
        out.append(time.perf_counter() - started)
        await asyncio.sleep(POLL_S)


async def _customer(http: aiohttp.ClientSession, client: Client, stop: asyncio.Event, tag: str,
                    out: List[float]) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        out.append(await client.turn(http, f"held-{tag}-short-{time.time_ns()}-{n}", SHORT))
        await asyncio.sleep(SHORT_EVERY_S)


async def one_round(server: Servers, tag: str, flood: bool, idle_s: float = 3.0) -> Dict[str, List[float]]:
    """One round on one server: the health check and the second customer, during a flood of the long messages (each
    :data:`FLOOD_PASSES` times, in order) or for ``idle_s`` seconds with none.

    Args:
        server: running servers.
        tag: a name for the conversations' senders.
        flood: send the long messages (else wait ``idle_s``).
        idle_s: seconds of an idle round.

    Returns:
        ``{"health": [...], "second customer": [...], "long": [...]}``, seconds each.
    """
    client = Client(server.url, server.rest_api_token)
    found: Dict[str, List[float]] = {"health": [], "second customer": [], "long": []}
    stop = asyncio.Event()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as http:
        side = [asyncio.ensure_future(_poll(http, server.url, stop, found["health"])),
                asyncio.ensure_future(_customer(http, client, stop, tag, found["second customer"]))]
        if flood:
            sender = f"held-{tag}-long-{time.time_ns()}"
            for n in range(FLOOD_PASSES):
                for text in LONG_MESSAGES.values():
                    found["long"].append(await client.turn(http, sender, unique(text, f"{tag}-{n}")))
        else:
            await asyncio.sleep(idle_s)
        stop.set()
        await asyncio.gather(*side)
    return found


def measure(servers: Dict[str, Servers], rounds: int) -> Dict[str, Any]:
    """Rounds in turns on each server (idle, then flood, then ordinary traffic, server after server, the order of the
    servers turned each round), summarised.

    Args:
        servers: name → running servers.
        rounds: how many rounds of each.

    Returns:
        name → ``{"idle": {...}, "flood": {...}, "ordinary": {...}}`` of :func:`bench.serving.summary` figures (ms),
        ``ordinary`` with ``messages_per_s`` (one figure a round) beside them.
    """
    kept: Dict[str, Dict[str, Dict[str, List[float]]]] = {
        name: {"idle": {"health": [], "second customer": []}, "flood": {"health": [], "second customer": [], "long": []},
               "ordinary": {"sequential": [], "20 at once": []}}
        for name in servers}
    rates: Dict[str, List[float]] = {name: [] for name in servers}
    for name, server in servers.items():  # warm up: every long shape read once, so no first-use load is timed
        asyncio.run(one_round(server, f"{name}-warm", flood=True))
    for r in range(rounds):
        # the server measured second in a round ran about 6 % more messages a second, whichever it was (session 43):
        # the order turns each round
        for name, server in (list(servers.items()) if r % 2 == 0 else list(servers.items())[::-1]):
            for kind in ("idle", "flood"):
                print(f"[{time.strftime('%H:%M:%S')}] round {r + 1}: {name} {kind}", flush=True)
                found = asyncio.run(one_round(server, f"{name}-{r}", flood=kind == "flood"))
                for what, seconds in found.items():
                    if what in kept[name][kind]:
                        kept[name][kind][what] += seconds
            print(f"[{time.strftime('%H:%M:%S')}] round {r + 1}: {name} ordinary", flush=True)
            client = Client(server.url, server.rest_api_token)
            kept[name]["ordinary"]["sequential"] += asyncio.run(sequential(client, 5, f"held-{name[:6]}-{r}"))
            turns, elapsed = asyncio.run(concurrent(client, 20, 1, f"held-{name[:6]}-{r}"))
            kept[name]["ordinary"]["20 at once"] += turns
            rates[name].append(round(len(turns) / elapsed, 1))
    out: Dict[str, Any] = {name: {kind: {what: summary(seconds) for what, seconds in figures.items() if seconds}
                                  for kind, figures in kinds.items()} for name, kinds in kept.items()}
    for name in servers:
        out[name]["ordinary"]["messages_per_s"] = rates[name]
    return out


def run(rounds: int) -> Dict[str, Any]:
    """Start both servers, measure, stop them.

    Args:
        rounds: rounds of each kind on each server.

    Returns:
        The results (what :data:`RESULTS` holds).

    Raises:
        SystemExit: no trained model.
    """
    if not MODEL.exists():
        raise SystemExit("models/current.tar.gz is missing: run `make train` first")
    results: Dict[str, Any] = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"), "commit": commit(), "nproc": os.cpu_count(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
        "rasa": rasa.__version__,
        "command": "make bench-held-loop" + (f" BENCH_ARGS=\"{' '.join(sys.argv[1:])}\"" if sys.argv[1:] else ""),
        "workload": {"long_messages": {k: len(v) for k, v in LONG_MESSAGES.items()}, "passes": FLOOD_PASSES,
                     "rounds": rounds,
                     "health_check_every_s": POLL_S, "second_customer": SHORT, "second_customer_every_s": SHORT_EVERY_S},
    }
    with tempfile.TemporaryDirectory() as tmp:
        servers: Dict[str, Servers] = {}
        try:
            for name, kind in (("worker thread", Servers), ("event loop (NLU_ON_EVENT_LOOP)", OnLoopServers)):
                folder = Path(tmp) / name.split()[0]
                print(f"[{time.strftime('%H:%M:%S')}] starting {name} ...", flush=True)
                servers[name] = kind(folder, seeded(folder)).start()
            results["servers"] = measure(servers, rounds)
        finally:
            for server in servers.values():
                server.stop()
    results["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def table(results: Dict[str, Any]) -> str:
    """The results as a Markdown table: per server and what was timed, median / p95 / max ms, idle and in the flood,
    then ordinary traffic.

    Args:
        results: what :func:`run` returns.

    Returns:
        The table's lines.
    """
    def cell(f: Optional[dict]) -> str:
        return f"{f['p50_ms']} / {f['p95_ms']} / {f['max_ms']} (n={f['n']})" if f else ""

    lines = ["| server | timed | idle: median / p95 / max ms | during the flood: median / p95 / max ms |",
             "|---|---|---|---|"]
    for name, kinds in results["servers"].items():
        for what in ("health", "second customer", "long"):
            lines.append(f"| {name} | {what} | {cell(kinds['idle'].get(what))} | {cell(kinds['flood'].get(what))} |")
    lines += ["", "| server | ordinary: sequential turn | 20 at once: turn | messages a second (a round each) |",
              "|---|---|---|---|"]
    for name, kinds in results["servers"].items():
        ordinary = kinds["ordinary"]
        lines.append(f"| {name} | {cell(ordinary.get('sequential'))} | {cell(ordinary.get('20 at once'))} | "
                     f"{ordinary['messages_per_s']} |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    """Measure, print the table, write :data:`RESULTS` (or ``--out``).

    Args:
        argv: ``--rounds N`` (default 4: each server first in two), ``--out PATH``.

    Returns:
        0.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = run(args.rounds)
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
