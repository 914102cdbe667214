"""Real Rasa + action servers with the IVR channel enabled (IVR_SECRET set)."""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.integration.conftest import run_servers

IVR_SECRET = "test-ivr-secret-0123456789"


@pytest.fixture(scope="session")
def ivr_servers(tmp_path_factory, trained_model):
    yield from run_servers(tmp_path_factory, "ivr-servers", {"IVR_SECRET": IVR_SECRET})


@pytest.fixture(scope="session")
def espeak() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        pytest.fail("espeak-ng is missing: `make espeak-deps` installs it")
    return path


def assert_speakable(document: str, lang: str, wav: Path) -> None:
    """Valid XML and espeak-ng -m renders it to a non-empty WAV."""
    root = ET.fromstring(document)
    assert root.tag.endswith("speak")
    voice = "cmn" if lang.lower().startswith("zh") else "en"
    subprocess.run(["espeak-ng", "-m", "-v", voice, "-w", str(wav), document], check=True, timeout=60,
                   capture_output=True)
    assert wav.stat().st_size > 1000
