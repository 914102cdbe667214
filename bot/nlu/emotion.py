"""Emotion of every customer message: anger, frustration, sadness, neutral, positive.

Trained by `rasa train` on the project's own labelled customer-service
messages (`data/emotion/train.csv`, English and Chinese). Features: the
multilingual sentence embedding (the same USE vector the intent classifier
uses), character n-grams (catch 气死了, 什么破…, "!!!"), and surface cues
(caps, "third time", angry emoji; `bot.emotion_lexicon`). Encoder features
alone do not carry emotion across languages or domains, hence the mix.
Puts ``emotion: {label, score, negative}`` on the parsed message.
"""
from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import joblib
import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.emotion_lexicon import cue_features
from bot.nlu.featurizers import embed
from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

NEGATIVE_LABELS = ("anger", "frustration")
EMOTION = "emotion"


def read_examples(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r.get("text") and r.get("label")]
    return [r["text"] for r in rows], [r["label"] for r in rows]


class EmotionModel:
    """The classifier without Rasa around it (also used by the benchmark)."""

    def __init__(self, vectorizer=None, classifier=None, cue_weight: float = 1.0) -> None:
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.cue_weight = cue_weight

    def _features(self, texts: List[str], embeddings: Optional[np.ndarray] = None) -> sp.csr_matrix:
        if embeddings is None:
            embeddings = embed(texts)
        cues = np.vstack([cue_features(t) for t in texts]) * self.cue_weight
        return sp.hstack([self.vectorizer.transform(texts), sp.csr_matrix(embeddings), sp.csr_matrix(cues)]).tocsr()

    def fit(self, texts: List[str], labels: List[str], C: float = 4.0) -> "EmotionModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1, lowercase=False)
        self.vectorizer.fit(texts)
        self.classifier = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
        self.classifier.fit(self._features(texts), labels)
        return self

    def predict(self, texts: List[str], embeddings: Optional[np.ndarray] = None) -> List[Dict[str, Any]]:
        probabilities = self.classifier.predict_proba(self._features(texts, embeddings))
        classes = list(self.classifier.classes_)
        negative = [classes.index(label) for label in NEGATIVE_LABELS if label in classes]
        out = []
        for row in probabilities:
            best = int(np.argmax(row))
            out.append(
                {
                    "label": classes[best],
                    "score": round(float(row[best]), 4),
                    "negative": round(float(row[negative].sum()), 4),
                    "ranking": {c: round(float(p), 4) for c, p in zip(classes, row)},
                }
            )
        return out


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmotionClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"training_file": "data/emotion/train.csv", "C": 4.0}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[EmotionModel] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "EmotionClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        path = Path(self.config["training_file"])
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        texts, labels = read_examples(path)
        self.model = EmotionModel().fit(texts, labels, C=self.config["C"])
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.model, directory / "emotion.joblib")
        logger.info(f"Emotion classifier trained on {len(texts)} examples from {path}")
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "EmotionClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / "emotion.joblib")
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        todo = [m for m in messages if m.get(TEXT)]
        if not todo:
            return messages
        embeddings = []
        for message in todo:
            _, dense = message.get_dense_features(TEXT)
            embeddings.append(None if dense is None else np.asarray(dense.features).reshape(-1))
        known = None if any(e is None for e in embeddings) else np.vstack(embeddings)
        try:
            predictions = self.model.predict([m.get(TEXT) for m in todo], known)
        except Exception:  # never lose a customer's message over its mood
            logger.exception("emotion prediction failed; messages go on without an emotion")
            return messages
        for message, emotion in zip(todo, predictions):
            emotion.pop("ranking")
            message.set(EMOTION, emotion, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
