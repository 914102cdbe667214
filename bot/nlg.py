"""The bot's responses with every echoed value shown as written: never a link or markup (endpoints.yml ``nlg``).

A response such as ``utter_ask_address_change_confirmed`` ("Change the delivery address of
{order_number} to {new_address}?") puts slot values and the values an action passes into the bot's
markdown. Rasa's own generator puts them in as they are, so a customer who gives
``[Verify your agent session here](https://evil.example/login)`` as an address had a link drawn by the
agent desk in a line headed "Bot" (fresh-user report, issue 1). This generator escapes each value
(:func:`bot.text.markdown_literal`) where Rasa fills it into a response's ``text``: one place, every slot
and every action's value, now and later, while the slots themselves keep what the customer wrote (the
address stored on the order has no backslashes). Buttons, images and custom payloads are filled as Rasa
fills them: they are not markdown.

Rasa builds it from ``endpoints.yml`` (``nlg: type: bot.nlg.LiteralValuesNaturalLanguageGenerator``)
and gives it the model's responses on every model load, as it does its own.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.nlg import interpolator

from bot.text import markdown_literal

# A placeholder in a response's text, as rasa.core.nlg.interpolator.interpolate_text finds it (Rasa 3.6).
_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


def literal_values(values: Dict[str, Any]) -> Dict[str, Any]:
    """``values`` with each text (and each list or mapping, which formats with its texts in it) as
    :func:`bot.text.markdown_literal`; numbers, booleans and None unchanged.

    Args:
        values: the slot values and action values a response is filled from, by name.

    Returns:
        A new dict, same keys.
    """
    return {name: value if value is None or isinstance(value, (bool, int, float)) else markdown_literal(value)
            for name, value in values.items()}


class LiteralValuesNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's response generator, with the values filled into a response's ``text`` escaped."""

    def __init__(self, endpoint_config: Any = None, domain: Any = None, **_: Any) -> None:
        """Build it as Rasa builds a generator named in endpoints.yml.

        Args:
            endpoint_config: the ``nlg`` entry of endpoints.yml (unused: nothing to configure).
            domain: the model's domain (its responses); None before a model is loaded.
        """
        super().__init__(domain.responses if domain is not None else {})

    def _fill_response(self, response: Dict[str, Any], filled_slots: Optional[Dict[str, Any]] = None,
                       **kwargs: Any) -> Dict[str, Any]:
        """Rasa's ``_fill_response``, the ``text`` filled with :func:`literal_values` of the values it names.

        Only the values the text has a placeholder for are escaped: Rasa passes every slot and, as
        ``domain_responses``, all the domain's responses (48 KB as text here), which escaping on every reply
        took 22 % of a busy server's time (py-spy, ``make bench-serving``, session 40). For every placeholder a slot or an
        action's value can fill (string names) the text comes out the same: ``interpolate_text`` reads no other value.
        Malformed placeholders (``{a][0}``) and non-string names, which no slot has, may come out differently.
        """
        values = self._response_variables(filled_slots, kwargs)
        text = response.get("text")
        response = super()._fill_response(response, filled_slots, **kwargs)
        if values and isinstance(text, str):
            named = {name: values[name] for name in _PLACEHOLDER.findall(text) if name in values}
            response["text"] = interpolator.interpolate_text(text, literal_values(named))
        return response
