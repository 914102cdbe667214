"""Connectors and actions never touch a repository's session (review rev12 #12), and tests reach rows
only through ``tests.rows.RowsUnitOfWork``: checked on the syntax tree, not just true today."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, List, Tuple

ROOT = Path(__file__).resolve().parents[2]
SESSION_NAMES = {"session", "_session"}


def _files(*folders: str) -> Iterator[Path]:
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def session_uses(source: str) -> List[Tuple[int, str]]:
    """``(line, expression)`` of every ``<x>.session`` / ``<x>._session`` attribute in ``source``
    (``uow._session``, ``uow.tickets.session``...), except an object's own (``self._session``: a
    connector's HTTP client session, as WeChat's API client has)."""
    return [(node.lineno, ast.unparse(node)) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in SESSION_NAMES
            and not (isinstance(node.value, ast.Name) and node.value.id == "self")]


def repository_session_uses(source: str) -> List[Tuple[int, str]]:
    """Like :func:`session_uses`, but only a unit of work's (``x._session``) or a repository's
    (``x.<repository>.session``): what a test must leave to ``RowsUnitOfWork``."""
    return [(line, text) for line, text in session_uses(source)
            if text.endswith("._session") or text.count(".") >= 2]


def test_the_checks_see_what_they_forbid():
    assert session_uses("with SqlAlchemyUnitOfWork() as uow:\n    uow.tickets.session.execute(q)\n") \
        == [(2, "uow.tickets.session")]
    assert repository_session_uses("u._session.execute(q)\nsio.get_session(s)\nuow.tickets.session.add(r)\n") \
        == [(1, "u._session"), (3, "uow.tickets.session")]
    assert session_uses("actions_session = 1\nsio.get_session(sid)\nself._session.get(url)\n") == []


def test_connectors_and_actions_never_touch_a_session():
    found = {str(path.relative_to(ROOT)): uses for path in _files("connectors", "actions")
             if (uses := session_uses(path.read_text(encoding="utf-8")))}
    assert found == {}, f"connectors and actions go through bot.services, never a session: {found}"


def test_tests_reach_rows_only_through_rows_unit_of_work():
    found = {str(path.relative_to(ROOT)): uses for path in _files("tests")
             if path.name != "rows.py" and path.name != Path(__file__).name
             and (uses := repository_session_uses(path.read_text(encoding="utf-8")))}
    assert found == {}, f"use tests.rows.RowsUnitOfWork (execute, rows, get, add) instead: {found}"
