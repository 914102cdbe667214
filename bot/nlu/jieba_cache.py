"""jieba with its dictionary cache in a private folder, never the shared temporary folder.

jieba keeps its prefix dictionary, built on first use (about a second), in ``<tempfile.gettempdir()>/jieba.cache``
and loads it back with ``marshal`` in every later process: on a shared machine ``/tmp/jieba.cache`` can be
planted by any local user (or be theirs, unwritable for us), and whatever it holds becomes the segmentation
of every Chinese message. :func:`segmenter` points jieba at a folder only this user can write before jieba
first builds or loads its dictionary; every part of the project that cuts Chinese (the tokenizer in Rasa,
the emotion component, scripts, the action server through them) gets jieba from it.

The folder: ``JIEBA_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/qx-assistant/jieba`` when ``XDG_CACHE_HOME``
is set, else ``var/cache/jieba`` in the project. It is created 0700, and so are the folders above it that
it creates (``var/cache``); one that is a symbolic link, another
user's, or writable by others is not used: jieba then caches in a new private temporary folder of this
process (``tempfile.mkdtemp``, 0700), rebuilt once per process.
"""
from __future__ import annotations

import logging
import os
import stat
import tempfile
import threading
from pathlib import Path
from types import ModuleType

from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

_LOCK = threading.Lock()
_READY = False


def cache_dir() -> Path:
    """The folder jieba's cache belongs in (not created): ``JIEBA_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/qx-assistant/jieba``, else the project's ``var/cache/jieba``.

    Returns:
        An absolute path.
    """
    configured = os.environ.get("JIEBA_CACHE_DIR", "").strip()
    if configured:
        return Path(configured).expanduser().absolute()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):  # the XDG rule: a relative value is ignored
        return Path(xdg) / "qx-assistant" / "jieba"
    return PROJECT_ROOT / "var" / "cache" / "jieba"


def private_dir(path: Path) -> bool:
    """Create ``path`` and its missing parents 0700 if absent (existing parents are left as they are);
    whether it is a real folder of this user that nobody else can write (group and others' bits are cleared
    when it is ours).

    Args:
        path: the folder.

    Returns:
        True when jieba may keep its cache there.
    """
    try:
        # not mkdir(parents=True), which makes the parents with the umask's mode: a first `make train` left
        # var/cache 0755 (fresh-user report 26 #11)
        missing = []
        folder = path
        while not os.path.lexists(folder) and folder.parent != folder:
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:  # made meanwhile (another process): checked below like any other
                pass
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            return False
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, 0o700)
        return stat.S_IMODE(os.lstat(path).st_mode) & 0o077 == 0
    except OSError:
        return False


def segmenter() -> ModuleType:
    """The ``jieba`` module, its default tokenizer's cache folder set to a private one (see the module's
    docstring) before the dictionary is first built or loaded. Call it instead of ``import jieba``.

    Returns:
        The ``jieba`` module.
    """
    global _READY
    import jieba

    if not _READY:
        with _LOCK:
            if not _READY:
                _use_private_cache(jieba)
                _READY = True
    return jieba


def _use_private_cache(jieba: ModuleType) -> None:
    wanted = cache_dir()
    chosen = str(wanted)
    if not private_dir(wanted):
        chosen = tempfile.mkdtemp(prefix="jieba-")
        logger.warning("jieba's cache folder %s is not private to this user (a link, another user's or writable "
                       "by others): caching in %s for this process", wanted, chosen)
    if jieba.dt.initialized:  # somebody imported and used jieba directly first
        logger.warning("jieba was initialised before its cache folder was set (cache in %s)",
                       jieba.dt.tmp_dir or tempfile.gettempdir())
        return
    jieba.dt.tmp_dir = chosen
