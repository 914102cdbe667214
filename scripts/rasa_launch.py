"""Start ``rasa run`` with its API token taken from the environment (``make scale-up``).

``rasa run --auth-token=…`` would put the token on the command line, where any local user
reads it (``ps``, ``/proc/<pid>/cmdline``). This launcher builds Rasa's ``sys.argv`` inside
the process instead: ``/proc/<pid>/cmdline`` shows only
``python scripts/rasa_launch.py <the other arguments>``.

Usage: ``RASA_API_TOKEN=… python scripts/rasa_launch.py --model … --enable-api --port …``
(every argument of ``rasa run`` except ``--auth-token``). Exits with status 2 and a message
when ``RASA_API_TOKEN`` is unset or empty, or when ``escalation.yml`` (or the file named by
``ESCALATION_CONFIG``) does not match its schema — the message names the key
(``escalation.yml: triggers.negative_emotion.treshold: extra fields not permitted``).

The escalation file is checked here, before Rasa starts, because Rasa itself would not stop:
``rasa.core.agent.load_agent`` catches every error of loading the model (the hand-over policy
reads the file then), logs it and serves with no model — HTTP 200 and no answer to every
customer.
"""
from __future__ import annotations

import os
import sys


def check_escalation_config() -> None:
    """Read and validate the escalation rules the Rasa server will use; exit with status 2 if they are bad.

    Reads ``ESCALATION_CONFIG`` (else ``escalation.yml`` of the project) as the server will
    (``bot.handover.policy.load_config``); the project is imported from the working folder, as
    ``rasa run`` imports its components.

    Raises:
        SystemExit: status 2, the error (each bad key, dotted; or the unreadable file) written to stderr.
    """
    if os.getcwd() not in sys.path:
        sys.path.insert(1, os.getcwd())  # what `rasa run` does for config.yml's components
    import yaml

    from bot.handover.policy import EscalationConfigError, load_config

    try:
        load_config()
    except (EscalationConfigError, OSError, yaml.YAMLError) as error:  # a bad key, a missing file, bad YAML
        sys.stderr.write(f"The Rasa server does not start: {error}\n")
        sys.exit(2)


def main() -> None:
    """Run ``rasa run <arguments> --auth-token=$RASA_API_TOKEN`` in this process."""
    token = os.environ.get("RASA_API_TOKEN", "")
    if not token:
        sys.stderr.write("RASA_API_TOKEN is not set: the Rasa HTTP API needs a token\n")
        sys.exit(2)
    if any(arg.startswith("--auth-token") for arg in sys.argv[1:]):
        sys.stderr.write("pass the token in RASA_API_TOKEN, not --auth-token\n")
        sys.exit(2)
    check_escalation_config()
    # one argument (a token may start with '-'); sys.argv is this process's copy, not /proc's
    sys.argv = ["rasa", "run", *sys.argv[1:], f"--auth-token={token}"]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
