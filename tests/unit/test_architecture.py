"""The layers hold: import rules (.importlinter), no import cycle, no function over 80 lines, docstrings (and the errors they announce)."""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import grimp

from tests.conftest import PROJECT_ROOT

PACKAGES = ("bot", "connectors", "actions")
# Everything but tests/.
CODE = ("bot", "connectors", "actions", "scripts", "bench")
MAX_FUNCTION_LINES = 80


def test_import_contracts_are_kept():
    """connectors/actions never import sqlalchemy or bot.storage.db; bot never imports connectors/actions."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_import_cycle():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                cycles.append(f"{module} -> {' -> '.join(back)}")
    assert cycles == []


# The one file the length rule skips: Alembic's autogenerate output for the first schema (one
# declarative create_table listing per table, ~240 lines in upgrade()). A revision is history: it is
# never edited once released (a database migrated by it must stay reproducible), so it is not split.
# Every later revision is hand-written and held to the rule.
LENGTH_EXEMPT = frozenset({"bot/storage/migrations/versions/0001_baseline.py"})


def long_functions(folders=CODE, limit=MAX_FUNCTION_LINES, exempt=LENGTH_EXEMPT) -> list:
    """Functions longer than ``limit`` lines (decorators excluded, the ``def`` line to the last line).

    Args:
        folders: project folders walked recursively, migrations included.
        limit: the most lines a function may have.
        exempt: paths relative to the project root (``bot/x.py``) not checked (:data:`LENGTH_EXEMPT`).

    Returns:
        ``"path:line name (N lines)"`` strings, in file order; empty when none is too long.
    """
    found = []
    for folder in folders:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            if path.relative_to(PROJECT_ROOT).as_posix() in exempt:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > limit:
                        found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_function_over_80_lines():
    assert long_functions() == []


def test_the_length_check_sees_a_long_function(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text("def f():\n" + "    x = 1\n" * 80)
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert long_functions(("pkg",)) == ["pkg/long.py:1 f (81 lines)"]


def test_the_length_check_sees_migrations_but_the_baseline(tmp_path, monkeypatch):
    versions = tmp_path / "bot" / "storage" / "migrations" / "versions"
    versions.mkdir(parents=True)
    long = "def upgrade():\n" + "    x = 1\n" * 80
    (versions / "0001_baseline.py").write_text(long)
    (versions / "0002_next.py").write_text(long)
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert long_functions(("bot",)) == ["bot/storage/migrations/versions/0002_next.py:1 upgrade (81 lines)"]


# Issue 12: public functions of bot/ document their arguments, return shapes, units and errors.
DOCUMENTED = ("bot",)


def undocumented(folders=DOCUMENTED, exempt=frozenset()) -> list:
    """Every public module-level function/class and public method of a public class without a docstring.

    Args:
        folders: project folders walked recursively (Alembic revisions under ``migrations`` are skipped).
        exempt: paths relative to the project root (``bot/x.py``) not checked.

    Returns:
        ``"path:line Qualified.name"`` strings, in file and line order; empty when everything is documented.
    """
    found = []

    def walk(body, prefix, path):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                if ast.get_docstring(node) is None:
                    found.append(f"{path}:{node.lineno} {prefix}{node.name}")
                if isinstance(node, ast.ClassDef):
                    walk(node.body, f"{prefix}{node.name}.", path)

    for folder in folders:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT)
            if "migrations" in path.parts or relative.as_posix() in exempt:
                continue
            walk(ast.parse(path.read_text(encoding="utf-8")).body, "", relative.as_posix())
    return found


def test_public_functions_of_bot_have_docstrings():
    assert undocumented() == []


def test_the_docstring_check_sees_what_is_missing(tmp_path, monkeypatch):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "m.py").write_text(
        'def f():\n    pass\n\n\ndef _private():\n    pass\n\n\n'
        'class C:\n    """Documented."""\n\n    def method(self):\n        return 1\n\n'
        '    async def documented(self):\n        """Yes."""\n\n    def __init__(self):\n        pass\n')
    (tmp_path / "pkg" / "skipped.py").write_text("def g():\n    pass\n")
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert undocumented(("pkg",), {"pkg/skipped.py"}) == ["pkg/sub/m.py:1 f", "pkg/sub/m.py:12 C.method"]


# Issue 12: public functions of bot/ document their arguments and return shapes (review rev12 #7).
# Every public function or method (no leading ``_``) of bot/ that takes parameters (``self``/``cls``
# aside) has a Google-style ``Args:`` section naming each parameter (``*args``/``**kwargs`` by
# name; several parameters may share one line, ``a, b: ...``), and a ``Returns:`` (or ``Yields:``) section -- unless it is annotated ``-> None``: a
# procedure says what it does in its summary, and "Returns: None." would be filler.
# Functions without parameters are not checked here (their docstring says what they return).
# tests/unit/test_service_signatures.py holds bot/services to the same rule through inspect.
ARGS_DOCUMENTED = ("bot",)


def _parameters(node) -> list:
    args = node.args
    names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return [n for n in names if n not in ("self", "cls")]


def _args_section(doc: str) -> str:
    """The text of a docstring's ``Args:`` section (empty when it has none)."""
    if "Args:" not in doc:
        return ""
    return re.split(r"\n\s*(?:Returns|Yields|Raises):", doc.split("Args:", 1)[1])[0]


def _documented_contracts() -> dict:
    """``{contract class: methods whose docstring has Args}`` of bot/storage/repositories.py: an
    implementation (the SQL repository, its fake) inherits that documentation instead of copying it."""
    path = PROJECT_ROOT / "bot/storage/repositories.py"
    if not path.exists():
        return {}
    return _documented_classes(ast.parse(path.read_text(encoding="utf-8")))


def _documented_classes(tree: ast.Module) -> dict:
    """``{class: methods whose docstring has Args}`` of a module's top-level classes."""
    return {node.name: {f.name for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                        and "Args:" in (ast.get_docstring(f) or "")}
            for node in tree.body if isinstance(node, ast.ClassDef)}


def undocumented_args(folders=ARGS_DOCUMENTED) -> list:
    """Public functions of ``folders`` whose docstring lacks a parameter in ``Args:`` or a ``Returns:``.

    Args:
        folders: project paths (folders walked recursively, or single ``.py`` files); Alembic
            revisions under ``migrations`` are skipped.

    Returns:
        ``"path:line Qualified.name: what is missing"`` strings in file order; empty when all is documented.
    """
    found = []
    contracts = _documented_contracts()

    def walk(body, prefix, path, inherited=frozenset()):
        for node in body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", None) for b in node.bases}
                walk(node.body, f"{prefix}{node.name}.", path,
                     frozenset().union(*(contracts.get(b, set()) for b in bases)))
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name.startswith("_"):
                continue
            if node.name in inherited:
                continue  # documented once, on its repository contract (bot/storage/repositories.py)
            params = _parameters(node)
            if not params:
                continue
            doc = ast.get_docstring(node) or ""
            section = _args_section(doc)
            # "name: ..." at the start of a line, or one of "a, b: ..." (parameters described together)
            missing = [p for p in params if not re.search(rf"^\s*(?:\*{{0,2}}\w+,\s*)*\*{{0,2}}{p}\s*[,:(]", section, re.M)]
            procedure = isinstance(node.returns, ast.Constant) and node.returns.value is None
            if not procedure and "Returns:" not in doc and "Yields:" not in doc:
                missing.append("Returns")
            if missing:
                found.append(f"{path}:{node.lineno} {prefix}{node.name}: {', '.join(missing)}")

    for folder in folders:
        root = PROJECT_ROOT / folder
        for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            contracts.update(_documented_classes(tree))  # a base class documented in the same module
            walk(tree.body, "", path.relative_to(PROJECT_ROOT).as_posix())
    return found


def test_public_functions_of_bot_document_args_and_returns():
    assert undocumented_args() == []


def test_the_args_check_sees_what_is_missing(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        'def done(a, *rest):\n    """Sum.\n\n    Args:\n        a: one.\n        *rest: more.\n\n'
        '    Returns:\n        The sum.\n    """\n\n\n'
        'def procedure(a) -> None:\n    """Do.\n\n    Args:\n        a: one.\n    """\n\n\n'
        'def prose(a, b):\n    """Uses ``a`` and ``b`` but names them only in prose.\n\n    Returns:\n        x.\n    """\n\n\n'
        'def together(a, b, c):\n    """Two share a line.\n\n    Args:\n        a, b: the ends.\n        c is not named first.\n\n'
        '    Returns:\n        x.\n    """\n\n\n'
        'def no_params():\n    """Nothing to name."""\n\n\n'
        'class C:\n    """C."""\n\n    def method(self, x):\n        """M.\n\n        Args:\n            x: the x.\n        """\n')
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert undocumented_args(("pkg",)) == ["pkg/m.py:21 prose: a, b", "pkg/m.py:29 together: c",
                                            "pkg/m.py:48 C.method: Returns"]
    # an implementation of a documented repository contract inherits its documentation
    (tmp_path / "bot" / "storage").mkdir(parents=True)
    (tmp_path / "bot" / "storage" / "repositories.py").write_text(
        'class Repo:\n    def get(self, key):\n        """One.\n\n        Args:\n            key: k.\n\n'
        '        Returns:\n            v.\n        """\n')
    (tmp_path / "pkg" / "impl.py").write_text(
        'class SqlRepo(Repo):\n    def get(self, key):\n        """One."""\n\n    def other(self, key):\n'
        '        """Two."""\n')
    assert undocumented_args(("pkg/impl.py",)) == ["pkg/impl.py:5 SqlRepo.other: key, Returns"]


# Issue 12: a public function that raises says what it raises (a ``Raises:`` section, or ``:raises``).
RAISING = ("bot", "connectors", "actions")
RAISES_SECTION = re.compile(r"\bRaises\b|:raises\b")


def _caught(handlers: list, raised: ast.expr) -> bool:
    """Whether one of a ``try``'s handlers catches what ``raise <raised>`` raises (by class name)."""
    target = raised.func if isinstance(raised, ast.Call) else raised
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
    for handler in handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        names = {k.attr if isinstance(k, ast.Attribute) else getattr(k, "id", None) for k in kinds if k is not None}
        if handler.type is None or name in names or names & {"Exception", "BaseException"}:
            return True
    return False


def own_raises(function: ast.AST) -> list:
    """The ``raise X`` statements of a function's own body: not those of nested functions or
    classes, not a bare re-raise, not one a ``try`` of the function catches itself."""
    found, stack = [], list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Raise) and node.exc is not None and not _nested_catch(function, node):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _nested_catch(function: ast.AST, raise_node: ast.Raise) -> bool:
    """Whether ``raise_node`` sits in the body of a ``try`` of ``function`` that catches it."""
    for node in ast.walk(function):
        if isinstance(node, ast.Try) and any(raise_node in ast.walk(s) for s in node.body):
            if _caught(node.handlers, raise_node.exc):
                return True
    return False


def raises_undocumented(folders=RAISING) -> list:
    """Every public function or public method of a public class whose own body raises an
    exception its docstring does not announce (no ``Raises`` section, no ``:raises``).

    Returns:
        ``"path:line Qualified.name"`` strings, in file and line order.
    """
    found = []

    def walk(body, prefix, path):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                if own_raises(node) and not RAISES_SECTION.search(ast.get_docstring(node) or ""):
                    found.append(f"{path}:{node.lineno} {prefix}{node.name}")
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                walk(node.body, f"{prefix}{node.name}.", path)

    for folder in folders:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            walk(ast.parse(path.read_text(encoding="utf-8")).body, "", path.relative_to(PROJECT_ROOT).as_posix())
    return found


def test_public_functions_that_raise_say_what_they_raise():
    assert raises_undocumented() == []


def test_the_raises_check_sees_an_undocumented_raise(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        'def bad(x):\n    """No section."""\n    if x:\n        raise ValueError(x)\n\n\n'
        'def good(x):\n    """Checked.\n\n    Raises:\n        ValueError: x is set.\n    """\n    raise ValueError(x)\n\n\n'
        'def reraises():\n    """Passes it on."""\n    try:\n        pass\n    except KeyError:\n        raise\n\n\n'
        'def catches():\n    """Keeps it."""\n    try:\n        raise KeyError(1)\n    except KeyError:\n        return 0\n\n\n'
        'class C:\n    """A class."""\n\n    def method(self):\n        """Nothing said."""\n        raise KeyError(1)\n\n'
        '    def _private(self):\n        raise KeyError(2)\n\n\n'
        'def outer():\n    """Only the inner one raises."""\n    def inner():\n        raise KeyError(3)\n    return inner\n')
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert raises_undocumented(("pkg",)) == ["pkg/m.py:1 bad", "pkg/m.py:35 C.method"]
