"""`rasa init`'s bot for the serving benchmark: created, trained once, cached.

The model is cached under ``var/bench/rasa-init-<rasa version>/`` (git-ignored)
with the project ``rasa init --no-prompt`` wrote, so later runs only start it.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import rasa

from tests.conftest import PROJECT_ROOT

BIN = Path(sys.executable).parent
CACHE = PROJECT_ROOT / "var" / "bench" / f"rasa-init-{rasa.__version__}"


def init_bot() -> Path:
    """The folder of `rasa init`'s bot with its trained model at ``models/init.tar.gz``.

    Returns:
        The cached folder (``CACHE``); created and trained on first use
        (a few minutes on 2 cores).

    Raises:
        subprocess.CalledProcessError: ``rasa init`` failed.
    """
    model = CACHE / "models" / "init.tar.gz"
    if model.exists():
        return CACHE
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "init"
        project.mkdir()  # rasa init wants the folder to exist
        # --no-prompt trains the bot too; its models/ gets one timestamped archive.
        subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
                       cwd=tmp, check=True, env={**_env(), "PYTHONPATH": ""},
                       stdout=subprocess.DEVNULL)
        trained = sorted((project / "models").glob("*.tar.gz"))[-1]
        trained.rename(project / "models" / "init.tar.gz")
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(CACHE, ignore_errors=True)
        shutil.copytree(project, CACHE)
    return CACHE


def _env() -> dict:
    import os

    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


if __name__ == "__main__":
    print(init_bot())
