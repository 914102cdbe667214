"""The service layer speaks one convention (bot/services/__init__.py): a unit of work, or a factory of them,
first and typed; every public function documents its Args and Returns (and Raises, checked elsewhere)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import bot.services
from bot.services import UnitOfWorkFactory
from bot.storage.uow import AbstractUnitOfWork


def public_functions():
    """(qualified name, function) of every public function defined in a module of bot.services."""
    found = []
    for info in pkgutil.iter_modules(bot.services.__path__):
        module = importlib.import_module(f"bot.services.{info.name}")
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", fn))
    for name, fn in vars(bot.services).items():
        if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == "bot.services":
            found.append((f"bot.services.{name}", fn))
    return found


def test_there_are_services_to_check():
    assert len(public_functions()) > 60


def test_every_public_service_function_documents_args_and_returns():
    missing = []
    for name, fn in public_functions():
        doc = inspect.getdoc(fn) or ""
        has_args = "Args:" in doc or not inspect.signature(fn).parameters
        if not has_args or "Returns:" not in doc:
            missing.append(name)
    assert missing == []


def test_the_documented_args_are_the_real_ones():
    wrong = []
    for name, fn in public_functions():
        doc = inspect.getdoc(fn) or ""
        args = doc.split("Args:", 1)[1].split("Returns:", 1)[0] if "Args:" in doc else ""
        for param in inspect.signature(fn).parameters:
            if param not in args:
                wrong.append(f"{name}: {param}")
    assert wrong == []


def test_a_unit_of_work_or_its_factory_comes_first_and_typed():
    """``uow: AbstractUnitOfWork`` or ``uow_factory: UnitOfWorkFactory`` first; no ``Any`` unit of work,
    no other spelling (``unit_of_work_factory``) anywhere in a signature."""
    wrong = []
    for name, fn in public_functions():
        params = inspect.signature(fn).parameters
        for param in params:
            # the annotation as written, resolved in the function's module (no Any, no Optional)
            annotation = params[param].annotation
            resolved = fn.__globals__.get(annotation) if isinstance(annotation, str) else annotation
            if param in ("uow", "uow_factory") and param != list(params)[0]:
                wrong.append(f"{name}: {param} is not first")
            if param == "uow" and resolved is not AbstractUnitOfWork:
                wrong.append(f"{name}: uow is {annotation}")
            if param == "uow_factory" and resolved is not UnitOfWorkFactory:
                wrong.append(f"{name}: uow_factory is {annotation}")
            if "unit_of_work" in param:
                wrong.append(f"{name}: {param}")
    assert wrong == []
