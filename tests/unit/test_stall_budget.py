"""What a server that dies costs a conversation (issue 13, README "stall budget"): no lock of
ours outlives Rasa's conversation lock (``TICKET_LOCK_LIFETIME``)."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_an_ivr_call_lock_lives_as_long_as_the_conversation_lock():
    """The IVR bridge holds a call's lock around the event's turn; a server killed inside it
    delayed the call a fixed 60 s, three times the kill test's lock lifetime of 20 s."""
    code = "import connectors.ivr as ivr; print(ivr.CALL_LOCK_S)"
    for lifetime in ("7", "20"):
        env = {**os.environ, "TICKET_LOCK_LIFETIME": lifetime, "PYTHONPATH": str(PROJECT_ROOT)}
        out = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        assert float(out.stdout.strip().splitlines()[-1]) == float(lifetime)
