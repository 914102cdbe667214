"""A tokenizer for Chinese, English and both in one message."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.jieba_cache import segmenter
from bot.privacy.scanner import extract_intake
from bot.text import HAN_RUN

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

# Identifiers keep their text but share one lemma, so bag-of-words features
# learn "an order number was here" rather than memorising QX-104233.
PLACEHOLDER_LEMMA = {
    "order_number": "__order_number__", "email": "__email__", "phone": "__phone__", "id_number": "__id_number__",
}


def _han_tokens(text: str, offset: int) -> List[Token]:
    jieba = segmenter()  # its cache in a private folder, never /tmp/jieba.cache (bot.nlu.jieba_cache)
    return [Token(word, offset + start) for word, start, _ in jieba.tokenize(text) if word.strip()]


def _plain_tokens(text: str, offset: int) -> List[Token]:
    tokens: List[Token] = []
    for match in WORD.finditer(text):
        piece = match.group(0)
        start = offset + match.start()
        han = HAN_RUN.search(piece)
        if not han:
            tokens.append(Token(piece, start))
            continue
        # \w also matches Han characters: split the run out for jieba.
        cursor = 0
        for run in HAN_RUN.finditer(piece):
            if run.start() > cursor:
                tokens.append(Token(piece[cursor:run.start()], start + cursor))
            tokens.extend(_han_tokens(run.group(0), start + run.start()))
            cursor = run.end()
        if cursor < len(piece):
            tokens.append(Token(piece[cursor:], start + cursor))
    return tokens


def tokenize_mixed(text: str) -> List[Token]:
    """Words for Latin script, jieba segments for Han script, identifiers whole.

    Unlike Rasa's ``JiebaTokenizer`` it emits no whitespace tokens between
    English words and keeps ``QX-123456`` as one token.

    Args:
        text: the message.

    Returns:
        Rasa ``Token`` list with offsets into ``text``.
    """
    tokens: List[Token] = []
    cursor = 0
    for found in extract_intake(text):
        tokens.extend(_plain_tokens(text[cursor:found.start], cursor))
        tokens.append(
            Token(text[found.start:found.end], found.start, lemma=PLACEHOLDER_LEMMA[found.entity])
        )
        cursor = found.end
    tokens.extend(_plain_tokens(text[cursor:], cursor))
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MixedLanguageTokenizer(Tokenizer):
    """Rasa tokenizer for mixed English/Chinese text: jieba for Han runs, words elsewhere, identifiers as one token."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's tokenizer defaults: no intent splitting, no token pattern, no prefix separator."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """None: every language is accepted (the model is bilingual)."""
        return None

    @staticmethod
    def required_packages() -> List[Text]:
        """Rasa's check: ``jieba`` must be importable."""
        return ["jieba"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MixedLanguageTokenizer":
        """Rasa's constructor: a tokenizer with ``config``.

        Args:
            config: the component's settings from config.yml (merged with its defaults).
            model_storage: Rasa's model storage.
            resource: the component's resource in it.
            execution_context: Rasa's graph execution context.

        Returns:
            The tokenizer.
        """
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """The tokens of ``message``'s ``attribute`` (``tokenize_mixed``, then the token pattern).

        A non-empty text with no token (only emoji) becomes one token, as Rasa
        needs at least one; an empty text gives an empty list.

        Args:
            message: the Rasa message.
            attribute: which of its texts (``text``, or a training attribute).

        Returns:
            Rasa ``Token`` list.
        """
        text = message.get(attribute) or ""
        tokens = tokenize_mixed(text)
        if not tokens:
            # Rasa needs at least one token per message (e.g. an emoji only).
            tokens = [Token(text, 0)] if text else []
        return self._apply_token_pattern(tokens)
