"""jieba's dictionary cache lives in a private folder, never the shared temporary folder (bot/nlu/jieba_cache.py).

A fresh new user and attacker: jieba wrote /tmp/jieba.cache (world-writable folder, shared by every local user)
and every later process loaded it back with ``marshal``: a planted file becomes the segmentation of every
Chinese message. Each test cuts Chinese in a new Python process, as Rasa, the action server and the scripts do,
and records every file it opens (an audit hook).
"""
from __future__ import annotations

import json
import marshal
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

# A process that cuts Chinese the ways the project does (the Rasa tokenizer, the sentiment head's words) and
# prints the files it opened whose name mentions jieba, and what it cut.
CUT = r"""
import json, os, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(os.fsdecode(args[0])) if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)) and "jieba" in os.fsdecode(args[0]) else None)
from bot.nlu.tokenizer import tokenize_mixed
from bot.nlu.emotion import jieba_words
words = [t.text for t in tokenize_mixed("我要转人工，我的订单QX-100002在哪里")]
import jieba
print(json.dumps({"opened": opened, "words": words, "cut": jieba_words("快递一直没有到"),
                  "tmp_dir": jieba.dt.tmp_dir}))
"""

POISON = {"我要转人工，我的订单": 1, "在哪里": 1}  # what a planted cache would make the words


def cut_in_a_new_process(tmp_path: Path, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in ("JIEBA_CACHE_DIR", "XDG_CACHE_HOME")}
    environment.update({"PYTHONPATH": str(PROJECT_ROOT), "TMPDIR": str(tmp_path / "shared-tmp"), **env})
    done = subprocess.run([sys.executable, "-c", CUT], cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def shared_tmp(tmp_path) -> Path:
    """The process's shared temporary folder (TMPDIR), holding a planted jieba.cache newer than jieba's dictionary."""
    shared = tmp_path / "shared-tmp"
    shared.mkdir(mode=0o777)
    shared.chmod(0o1777)
    planted = shared / "jieba.cache"
    planted.write_bytes(marshal.dumps((POISON, 2)))
    return shared


def test_cutting_chinese_never_reads_or_writes_the_shared_temporary_jieba_cache(tmp_path, shared_tmp):
    private = tmp_path / "cache" / "jieba"
    for run in ("builds the cache", "loads it back"):
        seen = cut_in_a_new_process(tmp_path, XDG_CACHE_HOME=str(tmp_path / "cache-home"),
                                    JIEBA_CACHE_DIR=str(private))
        assert seen["tmp_dir"] == str(private), run
        assert not [p for p in seen["opened"] if Path(p).parent in (shared_tmp, Path("/tmp"))], (run, seen["opened"])
        if run == "builds the cache":  # written to a temporary file in the private folder, then renamed
            assert [p for p in seen["opened"] if Path(p).parent == private], seen["opened"]
        else:
            assert str(private / "jieba.cache") in seen["opened"], seen["opened"]
        assert seen["words"][:3] == ["我要", "转", "人工"] and "QX-100002" in seen["words"], seen["words"]  # jieba's own dictionary
        assert seen["cut"].split() == ["快递", "一直", "没有", "到"]
    assert (private / "jieba.cache").is_file()
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert marshal.loads((shared_tmp / "jieba.cache").read_bytes()) == (POISON, 2)  # left alone
    assert sorted(p.name for p in shared_tmp.iterdir()) == ["jieba.cache"]  # nothing written there


def test_without_a_setting_the_cache_is_under_xdg_cache_home_made_private(tmp_path, shared_tmp):
    home = tmp_path / "cache-home"
    seen = cut_in_a_new_process(tmp_path, XDG_CACHE_HOME=str(home))
    private = home / "qx-assistant" / "jieba"
    assert seen["tmp_dir"] == str(private)
    assert (private / "jieba.cache").is_file() and stat.S_IMODE(private.stat().st_mode) == 0o700
    assert not [p for p in seen["opened"] if Path(p).parent in (shared_tmp, Path("/tmp"))], seen["opened"]


def test_the_default_folder_is_the_projects_var_cache(monkeypatch):
    from bot.nlu.jieba_cache import cache_dir

    monkeypatch.delenv("JIEBA_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache_dir() == PROJECT_ROOT / "var" / "cache" / "jieba"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG rule: only an absolute path counts
    assert cache_dir() == PROJECT_ROOT / "var" / "cache" / "jieba"


def test_a_folder_others_can_write_is_made_private_and_a_link_or_a_file_is_refused(tmp_path):
    from bot.nlu.jieba_cache import private_dir

    open_to_all = tmp_path / "open"
    open_to_all.mkdir()
    open_to_all.chmod(0o777)
    assert private_dir(open_to_all) and stat.S_IMODE(open_to_all.stat().st_mode) == 0o700
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    assert not private_dir(link)  # a planted link to a folder the attacker reads
    plain = tmp_path / "file"
    plain.write_text("x")
    assert not private_dir(plain)


def test_the_folders_it_makes_above_the_cache_are_private_too_and_existing_ones_left_alone(tmp_path):
    """Fresh-user report 26 #11: var/cache was 0755 (mkdir(parents=True) makes the parents with the umask's mode,
    here a `make train` outside run.sh's umask 077), while the README says every folder under var/ is 0700."""
    from bot.nlu.jieba_cache import private_dir

    existing = tmp_path / "project"
    existing.mkdir(mode=0o755)
    existing.chmod(0o755)
    old = os.umask(0o022)
    try:
        assert private_dir(existing / "var" / "cache" / "jieba")
    finally:
        os.umask(old)
    modes = {p.relative_to(tmp_path).as_posix(): oct(stat.S_IMODE(p.stat().st_mode))
             for p in (existing, existing / "var", existing / "var" / "cache", existing / "var" / "cache" / "jieba")}
    assert modes == {"project": "0o755", "project/var": "0o700", "project/var/cache": "0o700",
                     "project/var/cache/jieba": "0o700"}
    file_in_the_way = tmp_path / "plain"
    file_in_the_way.write_text("x")
    assert not private_dir(file_in_the_way / "cache")  # a file where a parent should be: not usable, no error


def test_an_unusable_folder_falls_back_to_a_private_temporary_folder_of_the_process(tmp_path, shared_tmp):
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / "planted-link"
    link.symlink_to(target)
    seen = cut_in_a_new_process(tmp_path, JIEBA_CACHE_DIR=str(link))
    used = Path(seen["tmp_dir"])
    assert used.name.startswith("jieba-") and used.parent == shared_tmp and used != link
    assert stat.S_IMODE(used.stat().st_mode) == 0o700  # mkdtemp: this process's own folder
    assert not (target / "jieba.cache").exists()
    assert str(shared_tmp / "jieba.cache") not in seen["opened"]
