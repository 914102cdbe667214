"""The latency benchmarks' timer (bench.reading_latency.time_each): wall-clock and CPU time told apart, so a figure
taken on a busy machine shows what the project computes beside what the message waited."""
import time

import pytest

from bench.reading_latency import time_each


def test_waiting_counts_in_wall_time_and_not_in_cpu_time():
    figures = time_each(lambda seconds: time.sleep(seconds), [0.02, 0.02, 0.02])
    assert figures["messages"] == 3
    assert figures["mean"] >= 20 and figures["p95"] >= 20
    assert figures["cpu_mean"] < 10 and figures["cpu_p95"] < 10  # asleep: no computing


def test_computing_counts_in_both():
    def spin(_item):
        until = time.thread_time() + 0.01
        while time.thread_time() < until:
            pass

    figures = time_each(spin, range(3))
    assert figures["cpu_mean"] >= 10 and figures["mean"] >= figures["cpu_mean"] - 0.5


def test_every_item_is_timed_once_in_order():
    seen = []
    time_each(seen.append, iter(["a", "b", "c"]))
    assert seen == ["a", "b", "c"]


def test_nothing_to_time_is_an_error():
    with pytest.raises(ValueError, match="nothing to time"):
        time_each(print, [])


def test_the_load_option_keeps_processes_busy_and_stops_them():
    from bench.reading_latency import busy_processes, stop_all

    processes = busy_processes(2)
    try:
        time.sleep(0.3)
        assert len(processes) == 2 and all(p.poll() is None for p in processes)  # still running: busy
    finally:
        stop_all(processes)
    assert all(p.returncode is not None for p in processes)  # killed and reaped
    assert busy_processes(0) == []
