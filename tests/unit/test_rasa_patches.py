"""The one list of the project's Rasa patches (bot/rasa_patches.py): each installed exactly once."""
from __future__ import annotations

import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rasa

from bot import rasa_patches

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    "action_fallback", "session_start_fallback", "idempotent_turns", "action_validator",
    "event_class_cache", "incremental_history", "fast_copy", "quiet_state_formatting",
    "quiet_memoization_debug", "feature_key_cache", "bounded_rule_matching", "known_states_skipped",
    "frozen_model_heap", "scans_from_the_end", "memoization_length_bound", "form_tracker_copy",
    "action_events_window", "card_masking", "error_without_version", "customer_intent_syntax",
    "nlu_off_the_loop", "written_language",
}


def _resolve(dotted: str):
    """The object a dotted ``module.Class.attr`` path names (the longest importable module first)."""
    parts = dotted.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = inspect.getattr_static(obj, name) if inspect.isclass(obj) else getattr(obj, name)
        return obj
    raise ImportError(dotted)


def test_the_list_names_every_patch_once_with_what_and_why():
    names = [p.name for p in rasa_patches.PATCHES]
    assert len(names) == len(set(names))
    assert set(names) == EXPECTED
    for patch in rasa_patches.PATCHES:
        assert patch.replaces and patch.why.strip() and callable(patch.install)
        for target in patch.replaces:
            _resolve(target)  # each named Rasa attribute exists


def test_the_patches_were_checked_with_the_installed_rasa():
    assert rasa.__version__ == rasa_patches.RASA_VERSION_CHECKED == "3.6.21"


def test_install_all_installs_each_patch_exactly_once(monkeypatch):
    calls: list = []
    counted = tuple(
        rasa_patches.Patch(p.name, p.replaces, p.why, lambda name=p.name: calls.append(name))
        for p in rasa_patches.PATCHES
    )
    monkeypatch.setattr(rasa_patches, "PATCHES", counted)
    monkeypatch.setattr(rasa_patches, "_installed", set())
    rasa_patches.install_all()
    rasa_patches.install_all()
    assert sorted(calls) == sorted(EXPECTED)


def test_a_failed_patch_is_retried_and_the_others_stay_installed(monkeypatch):
    calls: list = []
    failing = {"left": 1}

    def flaky() -> None:
        calls.append("flaky")
        if failing["left"]:
            failing["left"] -= 1
            raise ImportError("not yet")

    patches = (
        rasa_patches.Patch("a", ("x",), "why", lambda: calls.append("a")),
        rasa_patches.Patch("flaky", ("y",), "why", flaky),
    )
    monkeypatch.setattr(rasa_patches, "PATCHES", patches)
    monkeypatch.setattr(rasa_patches, "_installed", set())
    with pytest.raises(ImportError):
        rasa_patches.install_all()
    rasa_patches.install_all()
    rasa_patches.install_all()
    assert calls == ["a", "flaky", "flaky"]


@pytest.mark.parametrize("patch", rasa_patches.PATCHES, ids=lambda p: p.name)
def test_each_patch_is_idempotent_and_replaces_what_it_names(patch):
    rasa_patches.install_all()
    before = [_resolve(t) for t in patch.replaces]
    patch.install()  # a second install of the same patch changes nothing
    assert [_resolve(t) for t in patch.replaces] == before
    for target, now in zip(patch.replaces, before):
        function = getattr(now, "__func__", now)  # a staticmethod's function
        assert function.__module__.startswith("bot."), f"{target} is still Rasa's"


def test_loading_the_tracker_store_installs_them_all():
    """As in a fresh Rasa server: endpoints.yml's tracker store is loaded, and every patch is in."""
    code = ("import bot.storage.stores, bot.rasa_patches as p, bot.handover.handoff_policy;"
            "print(','.join(sorted(p._installed)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().split(",") == sorted(EXPECTED)


def test_nothing_else_installs_a_patch():
    """install_all is the one caller of the patches' install functions, the tracker store its one caller."""
    own = re.compile(r"\b(action_fallback|session_start|idempotency|rasa_speed|nlu_worker)\.install\w*\(")
    callers, install_all = [], []
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("connectors/**/*.py"), *ROOT.glob("actions/**/*.py"),
                 *ROOT.glob("scripts/*.py")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            where = f"{path.relative_to(ROOT)}: {line.strip()}"
            if own.search(line) and path.name != "rasa_patches.py":
                callers.append(where)
            if re.match(r"\s*[\w.]*\binstall_all\(\)\s*(#.*)?$", line):
                install_all.append(str(path.relative_to(ROOT)))
    assert callers == []
    assert install_all == ["bot/storage/stores.py"]


@pytest.mark.parametrize("text, language", [
    ("any news on my refund?", "en"),
    ("我的退款到哪了？", "zh"),
    ("How do I 退货 please, it is broken", "en"),
    ("QX-123456", None),  # an order number shows no language
    ("/greet{\"language\": \"zh\"}", None),  # the widget's hidden opening, a button's payload: a command
    ("   ", None),
])
def test_the_metadata_says_the_language_the_message_is_written_in(text, language):
    """Session 46's open item: the session start sees the first message's metadata, not its text."""
    from types import SimpleNamespace

    from bot.domain import WRITTEN_LANGUAGE_KEY

    message = SimpleNamespace(text=text, metadata={"channel": "rest"})
    rasa_patches.note_written_language(message)
    assert message.metadata.get(WRITTEN_LANGUAGE_KEY) == language and message.metadata["channel"] == "rest"
