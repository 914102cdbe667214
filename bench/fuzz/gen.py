"""Fast, seeded draws from hypothesis strategies, for a fuzzer rather than a test.

`@given` runs hypothesis's whole test engine around every example (example
database, novelty tracking, health checks): about 2.6 ms per input on the
benchmark machine. A fuzzer needs none of that, only the strategies' own
generation, so `draws` feeds a strategy straight from a seeded random source,
the way the engine does in its generate phase: about 0.9 ms per input, and
practically no duplicates. It uses two internals of the pinned hypothesis
(`ConjectureData`, `BuildContext`); `draws` falls back to the public
`strategy.example()` if they move.
"""
from __future__ import annotations

import random
import warnings
import zlib
from typing import Any, Iterator

from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

try:  # hypothesis==6.168.5 (requirements.txt)
    from hypothesis.control import BuildContext
    from hypothesis.internal.conjecture.data import ConjectureData
except ImportError:  # pragma: no cover - a hypothesis that moved them
    BuildContext = ConjectureData = None  # type: ignore[assignment,misc]


def _draw_internal(strategy: st.SearchStrategy, rnd: random.Random) -> Any:
    data = ConjectureData(random=rnd)
    with BuildContext(data, is_final=False, wrapped_test=None):
        return data.draw(strategy)


def draws(strategy: st.SearchStrategy, seed: int) -> Iterator[Any]:
    """An endless stream of values of `strategy`, the same stream for the same seed.

    Draws that hypothesis abandons (a filter that never passed, a value too
    big for its buffer) are skipped, as its engine does.
    """
    rnd = random.Random(seed)
    internal = ConjectureData is not None and BuildContext is not None
    while True:
        try:
            if internal:
                try:
                    value = _draw_internal(strategy, rnd)
                except TypeError:  # the internals' signatures changed
                    internal = False
                    continue
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = strategy.example()
        except HypothesisException:  # UnsatisfiedAssumption, Frozen: abandoned, as the engine does
            continue
        except BaseException as error:  # StopTest (overrun) is not an Exception subclass
            if type(error).__name__ == "StopTest":
                continue
            raise
        yield value


class Source:
    """Named streams of one seed: `source("rest.body")` draws from its own stream."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, Iterator[Any]] = {}
        self._strategies: dict[str, st.SearchStrategy] = {}

    def register(self, name: str, strategy: st.SearchStrategy) -> None:
        self._strategies[name] = strategy

    def __call__(self, name: str) -> Any:
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = draws(self._strategies[name], zlib.crc32(f"{self.seed}:{name}".encode()))
        return next(stream)


def weighted(rnd: random.Random, table: dict[str, float]) -> str:
    """One key of `table`, picked with the given weights."""
    return rnd.choices(list(table), weights=list(table.values()))[0]

