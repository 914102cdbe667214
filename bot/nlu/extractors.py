"""Entity extractors that need no training: intake facts and language."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.privacy.scanner import INTAKE_ENTITIES, extract_intake
from bot.nlu.language import detect_language, requested_language


class _StatelessExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "_StatelessExtractor":
        return cls()

    def entities_for(self, text: str) -> List[Dict[Text, Any]]:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = self.add_extractor_name(self.entities_for(message.get(TEXT) or ""))
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class IntakeEntityExtractor(_StatelessExtractor):
    """``order_number``, ``email`` and ``phone`` with canonical values.

    Regular expressions on the raw text rather than on tokens, so the result
    does not depend on how jieba segments a mixed-language sentence.
    """

    def entities_for(self, text: str) -> List[Dict[Text, Any]]:
        """Rasa entity dicts (``entity``, ``start``, ``end``, ``value``) for the order numbers, e-mails and phones in
        ``text``.

        Args:
            text: the message's text.

        Returns:
            Entity dicts, in order of appearance.
        """
        return [
            {"entity": f.entity, "start": f.start, "end": f.end, "value": f.value}
            for f in extract_intake(text, INTAKE_ENTITIES)
        ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(_StatelessExtractor):
    """Adds a ``language`` entity (``en``/``zh``) that fills the ``language`` slot.

    Responses pick their variant by that slot. Messages without letters of
    either script (a bare order number) add nothing, so the slot keeps the
    conversation's language. A message that asks the bot to use a language
    ("Do you speak Chinese?", 请说英文; ``bot.nlu.language.requested_language``)
    gives that language.
    """

    def entities_for(self, text: str) -> List[Dict[Text, Any]]:
        """One ``language`` entity spanning ``text`` (value ``en`` or ``zh``), or none if the script is unknown.

        Args:
            text: the message's text.

        Returns:
            A list of zero or one entity dict.
        """
        # session 29: a message asking for a language ("Do you speak Chinese?", 请说英文) sets it, whatever its script
        language = requested_language(text) or detect_language(text)
        if language is None:
            return []
        return [{"entity": "language", "start": 0, "end": len(text), "value": language}]
