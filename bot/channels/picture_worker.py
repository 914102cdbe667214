"""A picture worker process (rev14c #1): runs picture checks for ``bot.services.ImagePool`` under a
CPU budget, in a process the server can kill and replace.

Run as ``python -m bot.channels.picture_worker``; it reads requests from stdin and writes answers to
its stdout (its own ``print`` output goes to stderr), each frame an 8-byte big-endian length and a
pickle. Only the server that started it talks to it (pickle is never read from anyone else).

A request is ``(fn, args, env, cpu_s)``: the process environment is set to ``env`` (the server's at
the time of the call, so ``bot.settings.get_settings`` reads what the server reads), then ``fn(*args)``
runs with a CPU timer of ``cpu_s`` seconds (``ITIMER_PROF``: user + system CPU time of this process;
0: none). Past the budget the kernel sends ``SIGPROF``, whose default action ends the process: the
server sees the exit code ``-SIGPROF`` and answers the upload 413 ``too_complex``. An answer is
``("ok", value)`` or ``("raise", exception)`` (an exception that cannot be pickled is sent as a
``RuntimeError`` naming it).
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
from typing import Any, BinaryIO, Optional

HEADER_BYTES = 8


def read_frame(stream: BinaryIO) -> Optional[bytes]:
    """One frame's payload from ``stream``, or None at the end of the stream.

    Args:
        stream: a binary stream (the worker's stdin).

    Returns:
        The payload bytes, or None when the stream ended (the server closed it).
    """
    header = stream.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES:
        return None
    size = int.from_bytes(header, "big")
    payload = stream.read(size)
    return payload if len(payload) == size else None


def frame(payload: bytes) -> bytes:
    """``payload`` with its 8-byte big-endian length in front.

    Args:
        payload: the bytes to send.

    Returns:
        The frame.
    """
    return len(payload).to_bytes(HEADER_BYTES, "big") + payload


def _answer(fn: Any, args: tuple, cpu_s: float) -> bytes:
    if cpu_s > 0:
        signal.setitimer(signal.ITIMER_PROF, cpu_s)
    try:
        result: Any = ("ok", fn(*args))
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the server, which re-raises it
        result = ("raise", exc)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    try:
        return pickle.dumps(result)
    except Exception:  # noqa: BLE001 - e.g. an exception holding something unpicklable
        return pickle.dumps(("raise", RuntimeError(f"picture worker: {result[1]!r}")))


def main() -> None:
    """Serve requests from stdin until it closes (see the module docstring)."""
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the answers
    signal.signal(signal.SIGPROF, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers (Ctrl-C reaches the group)
    while True:
        payload = read_frame(requests)
        if payload is None:
            return
        fn, args, env, cpu_s = pickle.loads(payload)
        if env is not None and env != dict(os.environ):
            os.environ.clear()
            os.environ.update(env)
        answers.write(frame(_answer(fn, args, float(cpu_s or 0))))
        answers.flush()


if __name__ == "__main__":
    main()
