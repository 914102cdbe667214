"""Latency the project adds to a message, per language, for side-by-side runs of two versions (issue 11).

    PYTHONPATH=<a checkout> .venv/bin/python bench/reading_latency.py [--model PATH] [--messages CSV] [--load N]

Times, on every distinct message of each language of ``--messages`` (default: this checkout's blind set,
``tests/blind/messages.csv``; texts only, no label is read), the emotion component's ``predict`` (its
sentence embeddings made beforehand, as the featurizer does in the pipeline) and the hand-over reading
``Turn.from_text`` of whichever ``bot`` package ``PYTHONPATH`` names, with the emotion model of
``--model`` (default ``models/current.tar.gz``): run it once with an older checkout and once with this one
on the same model to compare two versions on one machine. After a warm-up in both languages (the first
Chinese text loads jieba's dictionary); the hand-over readings' per-text caches are cleared before they are timed
(:func:`clear_reading_caches`).

``--load N`` keeps N other processes busy (a pure-Python loop each) while it times, as other servers or a test run
on the same machine would: with N = 2 on a 2-core machine, the sentence encoder's multi-threaded forward pass made
one message wait 166-210 ms (session 40, issue 11; ``bot.nlu.featurizers.ENCODER_THREADS``).

Prints one JSON line: per language ``n``, ``embed`` (the featurizer's sentence embedding of the one message),
``emotion`` and ``reading`` mean milliseconds, their p95 and their mean CPU time (``embed_cpu``, ``emotion_cpu``,
``reading_cpu``: what a busy machine does not inflate; :func:`time_each`), and ``load``.
"""
from __future__ import annotations

import argparse
import csv
import inspect
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List

import joblib

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = ["warm-up: where is my order?", "预热：我的订单到哪了？"]


def load_emotion_model(model: Path):  # type: ignore[no-untyped-def]
    """The ``EmotionModel`` inside a trained Rasa model archive (its ``emotion.joblib``).

    Args:
        model: the ``.tar.gz`` that ``rasa train`` wrote.

    Returns:
        The unpickled ``bot.nlu.emotion.EmotionModel`` (its methods those of the ``bot`` on ``PYTHONPATH``).

    Raises:
        StopIteration: the archive holds no ``emotion.joblib``.
    """
    return _load_member(model, "/emotion.joblib")


def load_request_model(model: Path):  # type: ignore[no-untyped-def]
    """The request reader's ``RequestModel`` inside a trained Rasa model archive (its ``request_reader.joblib``).

    Args:
        model: the ``.tar.gz`` that ``rasa train`` wrote.

    Returns:
        The unpickled ``bot.nlu.request_reader.RequestModel``.

    Raises:
        StopIteration: the archive holds no ``request_reader.joblib`` (a model trained before the reader).
    """
    return _load_member(model, "/request_reader.joblib")


def text_caches(prefix: str = "bot.") -> list:
    """The per-text caches of the loaded modules under ``prefix``: every cached function whose first parameter is
    ``text``. Caches of loaded resources (word lists, the escalation config) are left out, as a running server keeps them.

    Args:
        prefix: a module-name prefix (``bot.`` for every reading, ``bot.handover`` for the hand-over's).

    Returns:
        The cached functions (each has ``cache_clear``), each once.
    """
    caches = []
    for name, module in list(sys.modules.items()):
        if name.startswith(prefix):
            for value in vars(module).values():
                wrapped = getattr(value, "__wrapped__", None)
                if (callable(getattr(value, "cache_clear", None)) and wrapped is not None
                        and list(inspect.signature(wrapped).parameters)[:1] == ["text"] and value not in caches):
                    caches.append(value)
    return caches


def clear_reading_caches() -> int:
    """Empty the hand-over readings' per-text caches (:func:`text_caches` of ``bot.handover``: the triage readings and
    the helpers they share, session 42), so the next ``Turn.from_text`` of a text is a first read. The emotion
    component's (``bot.nlu``) are left: in Rasa it reads the same text first, in the same process.

    Returns:
        How many caches were emptied.
    """
    caches = text_caches("bot.handover")
    for cache in caches:
        cache.cache_clear()
    return len(caches)


def _load_member(model: Path, suffix: str):  # type: ignore[no-untyped-def]
    with tarfile.open(model) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(suffix))
        with tempfile.TemporaryDirectory() as tmp:
            tar.extract(member, tmp)
            return joblib.load(Path(tmp) / member.name)


def _summary(timings: list[float]) -> tuple[float, float]:
    """Mean and 95th percentile of ``timings`` (ms), rounded to 0.01."""
    timings = sorted(timings)
    return round(sum(timings) / len(timings), 2), round(timings[int(0.95 * len(timings))], 2)


def time_each(call: Callable[[Any], Any], items: Iterable[Any]) -> Dict[str, float]:
    """Time ``call(item)`` once per item, in wall-clock time and in the calling thread's CPU time.

    Wall time is what a message waits; CPU time (``time.thread_time``) is the computing the call does on its own
    thread, which another process on the machine barely inflates: a test run on both cores made the wall-clock
    figures of session 36 1.4 to 5 times those of an idle machine (issue 11). Native pool threads are not counted
    (the sentence encoder's, when the emotion component embeds a text again; ``time.process_time`` would count
    them, and also the spinning of NumPy's idle BLAS threads: 3 to 13 ms in a 20 ms sleep here).

    Args:
        call: the work to time, given one item.
        items: the items (messages), each timed once, in order.

    Returns:
        ``{"mean": ms, "p95": ms, "cpu_mean": ms, "cpu_p95": ms, "messages": n}``, milliseconds rounded to 0.01.

    Raises:
        ValueError: ``items`` is empty.
    """
    wall, cpu = [], []
    for item in items:
        started, started_cpu = time.perf_counter(), time.thread_time()
        call(item)
        cpu.append(1000 * (time.thread_time() - started_cpu))
        wall.append(1000 * (time.perf_counter() - started))
    if not wall:
        raise ValueError("nothing to time")
    (mean, p95), (cpu_mean, cpu_p95) = _summary(wall), _summary(cpu)
    return {"mean": mean, "p95": p95, "cpu_mean": cpu_mean, "cpu_p95": cpu_p95, "messages": len(wall)}


def busy_processes(count: int) -> List[subprocess.Popen]:
    """Start ``count`` processes that each keep one core busy (``while True: pass``) until killed.

    Args:
        count: how many (0 for none).

    Returns:
        The processes; the caller kills them (:func:`stop_all`).
    """
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def stop_all(processes: List[subprocess.Popen]) -> None:
    """Kill and reap every process of :func:`busy_processes`.

    Args:
        processes: the processes.
    """
    for process in processes:
        process.kill()
        process.wait()


def main() -> None:
    """Parse the arguments, time the parts per language (under ``--load``) and print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--messages", type=Path, default=ROOT / "tests" / "blind" / "messages.csv")
    parser.add_argument("--load", type=int, default=0, help="busy processes running while it times")
    args = parser.parse_args()
    load = busy_processes(args.load)
    try:
        out = _time_languages(args.model, args.messages)
    finally:
        stop_all(load)
    print(json.dumps({**out, "load": args.load}))


def _time_languages(model_path: Path, messages: Path) -> Dict[str, Dict[str, float]]:
    """Per language of ``messages``: the figures :func:`main` prints (see the module's docstring)."""
    from bot.handover.policy import Turn
    from bot.nlu.featurizers import embed

    with messages.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    model = load_emotion_model(model_path)
    model.predict(WARM_UP, embed(WARM_UP))
    for text in WARM_UP:
        Turn.from_text("complain", None, text)
    out = {}
    for language in sorted({r["language"] for r in rows}):
        texts = list(dict.fromkeys(r["text"] for r in rows if r["language"] == language))
        embedding = time_each(lambda text: embed([text]), texts)
        vectors = embed(texts)
        emotion = time_each(lambda i: model.predict([texts[i]], vectors[i:i + 1]), range(len(texts)))
        clear_reading_caches()
        reading = time_each(lambda text: Turn.from_text("complain", None, text), texts)
        out[language] = {"n": len(texts), "embed": embedding["mean"], "embed_p95": embedding["p95"],
                         "embed_cpu": embedding["cpu_mean"], "emotion": emotion["mean"], "emotion_p95": emotion["p95"],
                         "emotion_cpu": emotion["cpu_mean"], "reading": reading["mean"],
                         "reading_p95": reading["p95"], "reading_cpu": reading["cpu_mean"]}
    return out


if __name__ == "__main__":
    main()
