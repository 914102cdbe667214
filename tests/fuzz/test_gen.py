"""The fuzzer's seeded draws from hypothesis strategies (bench/fuzz/gen.py)."""
from __future__ import annotations

import itertools

from hypothesis import strategies as st

from bench.fuzz import strategies as S
from bench.fuzz.gen import Source, draws


def test_same_seed_same_inputs_and_few_duplicates():
    first = list(itertools.islice(draws(S.raw_bodies, 7), 300))
    again = list(itertools.islice(draws(S.raw_bodies, 7), 300))
    other = list(itertools.islice(draws(S.raw_bodies, 8), 300))
    assert first == again
    assert first != other
    assert len(set(first)) > 200  # a fifth of raw_bodies are fixed cases


def test_filtered_strategy_skips_abandoned_draws():
    values = list(itertools.islice(draws(st.integers(0, 100).filter(lambda n: n % 7 == 0), 1), 50))
    assert len(values) == 50 and all(v % 7 == 0 for v in values)


def test_named_streams_are_independent_and_reproducible():
    a, b = Source(3), Source(3)
    for source in (a, b):
        source.register("text", S.turn_text)
        source.register("ids", S.ids)
    assert [a("text") for _ in range(20)] == [b("text") for _ in range(20)]
    assert [a("ids") for _ in range(5)] == [b("ids") for _ in range(5)]
