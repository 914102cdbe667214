"""Start ``rasa run`` with its API token taken from the environment (``make scale-up``).

``rasa run --auth-token=…`` would put the token on the command line, where any local user
reads it (``ps``, ``/proc/<pid>/cmdline``). This launcher builds Rasa's ``sys.argv`` inside
the process instead: ``/proc/<pid>/cmdline`` shows only
``python scripts/rasa_launch.py <the other arguments>``.

Usage: ``RASA_API_TOKEN=… python scripts/rasa_launch.py --model … --enable-api --port …``
(every argument of ``rasa run`` except ``--auth-token``). Exits with status 2 and a message
when ``RASA_API_TOKEN`` is unset or empty.
"""
from __future__ import annotations

import os
import sys


def main() -> None:
    """Run ``rasa run <arguments> --auth-token=$RASA_API_TOKEN`` in this process."""
    token = os.environ.get("RASA_API_TOKEN", "")
    if not token:
        sys.stderr.write("RASA_API_TOKEN is not set: the Rasa HTTP API needs a token\n")
        sys.exit(2)
    if any(arg.startswith("--auth-token") for arg in sys.argv[1:]):
        sys.stderr.write("pass the token in RASA_API_TOKEN, not --auth-token\n")
        sys.exit(2)
    # one argument (a token may start with '-'); sys.argv is this process's copy, not /proc's
    sys.argv = ["rasa", "run", *sys.argv[1:], f"--auth-token={token}"]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
