"""Per-turn costs of Rasa 3.6 removed on the project's server (issue 16).

``install()`` runs when the project's tracker store (bot/stores.py) is
loaded, i.e. in every Rasa server that serves this project with its
endpoints.yml; a plain Rasa server is left as Rasa ships it. Each change
keeps Rasa's behaviour (same results, same errors) and only drops repeated
work, measured with ``make bench-serving``'s profile:

- ``RemoteAction._validate_action_result``: Rasa calls
  ``jsonschema.validate(result, schema)``, which first checks the *schema*
  against the JSON-Schema meta-schema and builds a validator, for every
  action server reply. The schema is a constant: its validator is built
  once here and validates each reply the same way (the same error, the
  best match of all errors, with Rasa's hint appended).
- ``Event.resolve_by_type``: Rasa finds an event's class by walking all
  subclasses of ``Event`` (and ``inspect.isabstract`` on each) for every
  event it deserialises. Found classes are remembered by type name; an
  unknown name still walks them (a class defined later is found) and still
  raises or falls back as before.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Text, Type

logger = logging.getLogger(__name__)

_INSTALLED = False
_NOT_FOUND = type("_NotFound", (), {})  # a "default" no real event class is


def _compiled_action_validator() -> Any:
    """A validator of Rasa's action server reply schema, built (and the schema checked) once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def install_action_validator() -> None:
    """Replace ``RemoteAction._validate_action_result`` by one that reuses a compiled validator.

    Same contract as Rasa's: returns True for a valid reply; raises
    ``jsonschema.ValidationError`` (the best match, as ``jsonschema.validate``
    picks it) with Rasa's hint appended to its message otherwise.
    """
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    validator = _compiled_action_validator()

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    _validate_action_result.__doc__ = "Validates an action server reply with a validator compiled once (bot/speed.py)."
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]


def install_event_class_cache() -> None:
    """Remember ``Event.resolve_by_type``'s answers per type name (same answers, no subclass walk)."""
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    found: Dict[Text, Type[Event]] = {}

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = original(type_name, _NOT_FOUND)  # type: ignore[arg-type]
        if cls is not None and cls is not _NOT_FOUND:
            found[type_name] = cls
            return cls
        return original(type_name, default)  # "topic" → None; else default or ValueError, as Rasa does

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]


def install() -> None:
    """Install every change above once per process (later calls do nothing)."""
    global _INSTALLED
    if _INSTALLED:
        return
    install_action_validator()
    install_event_class_cache()
    _INSTALLED = True
