"""A linear intent classifier that trains in seconds, not epochs.

Bag-of-words (word and character n-gram counts from Rasa's
``CountVectorsFeaturizer``, re-weighted by sublinear TF-IDF) and the dense
multilingual sentence embedding go side by side into a one-vs-rest linear SVM
(liblinear). Decision values become confidences through a softmax with a
fixed temperature, so Rasa's ``FallbackClassifier`` can threshold them.
Chosen by `make bench-nlu` (README): it beat logistic regression and DIET on
accuracy and train time on CLINC150 and CAIS.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.declined import without_declined_request

logger = logging.getLogger(__name__)


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Row-wise softmax of ``scores * temperature``.

    Args:
        scores: an (n_messages, n_classes) array of SVM decision values.
        temperature: sharpness; larger makes the top class's confidence closer to 1.

    Returns:
        An array of the same shape whose rows sum to 1.
    """
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Intent classifier: a linear SVM over tf-idf weighted bag-of-words plus the sentence embedding.

    Confidences are a softmax of the SVM's decision values (``temperature``);
    a message with no features at all gets no intent (confidence 0).
    """

    @classmethod
    def required_components(cls) -> List[type]:
        """Rasa's check: a featurizer must run before this classifier."""
        return [Featurizer]

    @staticmethod
    def required_packages() -> List[Text]:
        """Rasa's check: scikit-learn (``sklearn``) must be importable."""
        return ["sklearn"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's default config: ``C``, ``dense_weight``, ``temperature``, ``class_weight``, ``ranking_length``."""
        return {
            "C": 0.5,  # SVM regularisation (smaller = smoother)
            "dense_weight": 1.0,  # scale of the sentence embedding vs bag-of-words
            "temperature": 5.0,  # softmax sharpness for confidences
            "class_weight": None,  # or "balanced" for very skewed data
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: Optional[Dict[str, np.ndarray]] = None,
        classes: Optional[List[str]] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.weights = weights or {}
        self.classes = classes or []

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        """Rasa's constructor for training: an untrained classifier with ``config``.

        Args:
            config: the component's settings from config.yml (merged with its defaults).
            model_storage: Rasa's model storage.
            resource: the component's resource in it.
            execution_context: Rasa's graph execution context.

        Returns:
            A classifier with no weights yet.
        """
        return cls(config, model_storage, resource)

    # -- features ---------------------------------------------------------
    @staticmethod
    def _raw(
        messages: List[Message], width: Optional[int] = None, dim: Optional[int] = None
    ) -> Tuple[sp.csr_matrix, np.ndarray]:
        """Bag-of-words counts (rows x ``width``) and embeddings (rows x ``dim``).

        A message without features (no tokens: empty or whitespace-only text)
        gets a row of zeros. ``width``/``dim`` are the trained sizes; while
        training they are taken from the messages themselves.
        """
        sparse_rows, dense_rows = [], []
        for message in messages:
            _, sparse = message.get_sparse_features(TEXT)
            _, dense = message.get_dense_features(TEXT)
            sparse_rows.append(sp.csr_matrix(sparse.features) if sparse is not None else None)
            dense_rows.append(np.asarray(dense.features).reshape(-1) if dense is not None else None)
        if width is None:
            width = next((r.shape[1] for r in sparse_rows if r is not None), 0)
        sparse_m = sp.vstack(
            [r if r is not None and r.shape[1] == width else sp.csr_matrix((1, width)) for r in sparse_rows]
        ).tocsr() if messages else sp.csr_matrix((0, width))
        if dim is None:
            dim = next((len(r) for r in dense_rows if r is not None), 0)
        dense_m = np.vstack(
            [r if r is not None and len(r) == dim else np.zeros(dim) for r in dense_rows]
        ) if dim else np.zeros((len(messages), 0))
        return sparse_m, dense_m

    def _trained_sizes(self) -> Tuple[int, int]:
        """(bag-of-words width, embedding size) the weights were trained on."""
        width = len(self.weights["idf"])
        return width, int(self.weights["coef"].shape[1]) - width

    def _features(self, messages: List[Message], sizes: Optional[Tuple[int, int]] = None) -> sp.csr_matrix:
        counts, dense = self._raw(messages, *(sizes or (None, None)))
        blocks = []
        if counts.shape[1]:
            tf = counts.astype(np.float64)
            tf.data = 1.0 + np.log(np.maximum(tf.data, 1e-12))  # sublinear tf
            tf = tf.multiply(self.weights["idf"]).tocsr()
            norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).reshape(-1))
            norms[norms == 0] = 1.0
            blocks.append(sp.diags(1.0 / norms) @ tf)
        if dense.shape[1]:
            blocks.append(sp.csr_matrix(dense * self.config["dense_weight"]))
        if not blocks:
            return sp.csr_matrix((len(messages), 0))
        return sp.hstack(blocks).tocsr()

    # -- training ---------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        """Fit the SVM on the training data's intent examples and persist the weights.

        Args:
            training_data: featurized NLU training data; examples without text or intent are skipped.

        Returns:
            The component's resource (nothing is trained, with a warning, when there are fewer than two intents).
        """
        from sklearn.svm import LinearSVC

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        labels = sorted({e.get(INTENT) for e in examples})
        if len(labels) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents; skipping training.")
            return self._resource
        counts, _ = self._raw(examples)
        document_frequency = np.asarray((counts > 0).sum(axis=0)).reshape(-1)
        self.weights["idf"] = np.log((1 + len(examples)) / (1 + document_frequency)) + 1.0
        X = self._features(examples)
        y = np.array([e.get(INTENT) for e in examples])
        svm = LinearSVC(C=self.config["C"], class_weight=self.config["class_weight"])
        svm.fit(X, y)
        self.classes = [str(c) for c in svm.classes_]
        coef = svm.coef_
        intercept = svm.intercept_
        if len(self.classes) == 2:  # binary SVM keeps one hyperplane
            coef = np.vstack([-coef, coef])
            intercept = np.array([-intercept[0], intercept[0]])
        self.weights["coef"] = np.asarray(coef, dtype=np.float64)
        self.weights["intercept"] = np.asarray(intercept, dtype=np.float64)
        self.persist()
        return self._resource

    # -- inference --------------------------------------------------------
    def process(self, messages: List[Message]) -> List[Message]:
        """Rank intents; a message with no features at all (no tokens: empty,
        whitespace-only) gets no intent with confidence 0, which the
        ``FallbackClassifier`` turns into ``nlu_fallback``.

        Args:
            messages: the messages to classify (changed in place).

        Returns:
            The same messages, each with ``intent`` and ``intent_ranking`` set.
        """
        if not self.classes or not messages:
            return messages
        X = self._features(messages, self._trained_sizes())
        scores = np.asarray(X @ self.weights["coef"].T) + self.weights["intercept"]
        confidences = softmax(scores, self.config["temperature"])
        for message, row, features in zip(messages, confidences, X):
            if features.nnz == 0:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
                continue
            order = np.argsort(-row)
            ranking = without_declined_request(message.get(TEXT) or "", [
                {"name": self.classes[i], "confidence": float(row[i])} for i in order
            ])[: self.config["ranking_length"]]  # "no need for a person, just tell me …": the rest decides
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Return the training data unchanged (this component adds nothing to it).

        Args:
            training_data: Rasa's training data.

        Returns:
            ``training_data``.
        """
        return training_data

    # -- storage ----------------------------------------------------------
    def persist(self) -> None:
        """Write ``weights.npz`` (idf, coef, intercept) and ``classes.json`` to the model storage."""
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(model_dir / "weights.npz", **self.weights)
            (model_dir / "classes.json").write_text(json.dumps(self.classes, ensure_ascii=False))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentClassifier":
        """Rasa's loader: the classifier with its persisted weights.

        Args:
            config: the component's settings from config.yml (merged with its defaults).
            model_storage: Rasa's model storage.
            resource: the component's resource in it.
            execution_context: Rasa's graph execution context.
            **kwargs: what Rasa's graph passes besides (unused).

        Returns:
            The trained classifier, or an untrained one (it predicts nothing) if the
            model holds no weights.
        """
        try:
            with model_storage.read_from(resource) as model_dir:
                with np.load(model_dir / "weights.npz") as data:
                    weights = {k: data[k] for k in data.files}
                classes = json.loads((model_dir / "classes.json").read_text())
        except (ValueError, FileNotFoundError):
            logger.debug("No trained LinearIntentClassifier in the model; predicting nothing.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, weights, classes)
