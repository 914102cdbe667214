"""make bench-held-loop's table (bench/held_loop.py): every server, what was timed, idle beside the flood."""
from bench.held_loop import LONG_MESSAGES, table, unique
from bot.nlu_worker import on_the_thread


def _figures(p50: float) -> dict:
    return {"n": 3, "p50_ms": p50, "p95_ms": p50 * 2, "max_ms": p50 * 3}


def test_the_table_names_each_server_and_figure():
    results = {"servers": {name: {"idle": {"health": _figures(1.0), "second customer": _figures(30.0)},
                                  "flood": {"health": _figures(p50), "second customer": _figures(120.0),
                                            "long": _figures(200.0)},
                                  "ordinary": {"sequential": _figures(21.0), "20 at once": _figures(380.0),
                                               "messages_per_s": [48.0, 50.1]}}
                           for name, p50 in (("worker thread", 2.5), ("event loop", 9.0))}}
    lines = table(results).splitlines()
    assert "| worker thread | health | 1.0 / 2.0 / 3.0 (n=3) | 2.5 / 5.0 / 7.5 (n=3) |" in lines
    assert "| event loop | long |  | 200.0 / 400.0 / 600.0 (n=3) |" in lines
    assert "| event loop | 21.0 / 42.0 / 63.0 (n=3) | 380.0 / 760.0 / 1140.0 (n=3) | [48.0, 50.1] |" in lines


def test_every_flood_message_is_one_the_worker_reads():
    assert all(len(text) == 4000 and on_the_thread(text) for text in LONG_MESSAGES.values())
    assert not on_the_thread("what are your opening hours?") and not on_the_thread(None)


def test_each_flood_message_is_new_and_as_long():
    text = LONG_MESSAGES["digit groups"]
    first, second = unique(text, "r0"), unique(text, "r0")
    assert first != second and len(first) == len(second) == len(text) and first.startswith("r0 ")
