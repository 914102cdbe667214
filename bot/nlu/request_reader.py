"""A learned reader of explicit requests for a person (issue 11, nineteenth pass).

The triage rules (``bot.handover.triage.person``) read requests for a person as phrasings; each fresh writer
found new ones they miss (dev20: 8 of 32 English and 15 of 32 Chinese explicit requests). This reader is a
second opinion beside them: a logistic regression on character 1–4-grams and word 1–2-grams (jieba's cut,
which splits English at spaces too) that gives every message a ``request_score``, the probability (0–1) that
it asks for a person: a human, a named colleague, a role, a department, a call-back.

It learns from

* the NLU examples (``request_human`` against every other intent), and
* ``data/requests/*.csv`` (columns ``text``, ``language``, ``label`` = ``request`` / ``other``, ``source``, ``kind``,
  optionally ``weight``): ``dev_requests.csv``, which ``scripts/request_data.py`` writes from the development sets
  that were already read and mended — never the blind set, nor a development set held out to measure — and
  ``lookalikes.csv``, hand-written calm messages that name staff, talking or a person without asking for one
  ("Can I speak Spanish in this chat?", "Is there a staff discount?", 人工草皮怎么卖, 上次的客服态度很好，想表扬一下),
  weighted 8 so their words ("speak", "manager", 人工) do not read as a request on their own.

The policy hands over when the score reaches ``triggers.customer_request.reader_threshold`` in
``escalation.yml`` (``bot.handover.policy``), unless the text is a question about a request
(``bot.handover.triage.not_a_request``). Puts ``request_score`` (a float 0–1) on the parsed message.
"""
from __future__ import annotations

import csv
import glob
import logging
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Text

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.emotion import jieba_words, tfidf_dot
from bot.nlu.featurizers import bounded
from bot.nlu.stored import StoredModelComponent
from bot.settings import PROJECT_ROOT
from bot.text import fold_text

logger = logging.getLogger(__name__)

REQUEST_SCORE = "request_score"
REQUEST, OTHER = "request", "other"
REQUEST_INTENT = "request_human"

_DIGIT = re.compile(r"\d")
_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """The text as the reader sees it: folded as every reading folds it (``bot.text.fold_text``: full-width
    letters and digits, zero-width characters, odd spaces), lower case, curly quotes straight, every digit ``0`` (an
    order or phone number is a shape, not words).

    Args:
        text: a customer's message.

    Returns:
        The normalised text.
    """
    return _DIGIT.sub("0", fold_text(text).translate(_CURLY).lower())


def _words(text: str) -> str:
    return jieba_words(normalise(text))


class RequestModel:
    """Character and word n-gram tf-idf and a class-balanced logistic regression: ``score(texts)`` gives each
    text's probability (0–1) of asking for a person.

    Args:
        C: the inverse regularisation strength of the logistic regression.
    """

    def __init__(self, C: float = 4.0) -> None:
        self.C = C
        self.chars = None
        self.words = None
        self.weights: Optional[np.ndarray] = None
        self.bias = 0.0

    def fit(self, texts: Sequence[str], labels: Sequence[str],
            weights: Optional[Sequence[float]] = None) -> "RequestModel":
        """Fit on texts labelled ``request`` or ``other``.

        Args:
            texts: the messages.
            labels: ``request`` or ``other`` for each (any other label counts as ``other``).
            weights: how much each example counts (default 1 each; the hand-written look-alikes count more).

        Returns:
            The fitted model (self).

        Raises:
            ValueError: the texts have no request or no other example, or the lengths differ.
        """
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        import scipy.sparse as sp

        if len(texts) != len(labels) or (weights is not None and len(weights) != len(texts)):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels"
                             + ("" if weights is None else f" and {len(weights)} weights"))
        truth = np.array([label == REQUEST for label in labels])
        if truth.all() or not truth.any():
            raise ValueError("the request reader needs both request and other examples")
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), min_df=2, sublinear_tf=True,
                                     preprocessor=normalise, dtype=np.float32)
        self.words = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), min_df=2,
                                     sublinear_tf=True, lowercase=False, dtype=np.float32)
        features = sp.hstack([self.chars.fit_transform(texts),
                              self.words.fit_transform([_words(t) for t in texts])]).tocsr()
        classifier = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, solver="liblinear")
        classifier.fit(features, truth, sample_weight=None if weights is None else np.asarray(weights, float))
        self.weights = classifier.coef_.ravel().astype(np.float64)
        self.bias = float(classifier.intercept_[0])
        return self

    def score(self, texts: Sequence[str]) -> List[float]:
        """The probability (0–1) that each text asks for a person.

        Args:
            texts: the messages.

        Returns:
            One float per text, rounded to 4 places.

        Raises:
            RuntimeError: the model was not fitted.
        """
        if self.weights is None:
            raise RuntimeError("RequestModel.score before fit")
        if not texts:
            return []
        # a long message's first and last 500 characters (session 41): jieba cut a 4,000-character run of one Chinese
        # character in about 0.15 s on the server's one thread; no request row is longer, and the hand-over reading
        # (bot.handover.triage) still reads every word of it for a request for a person
        texts = [bounded(t) for t in texts]
        n_chars = len(self.chars.vocabulary_)
        logits = (tfidf_dot(self.chars, list(texts), self.weights[:n_chars])
                  + tfidf_dot(self.words, [_words(t) for t in texts], self.weights[n_chars:]) + self.bias)
        return [round(float(p), 4) for p in 1.0 / (1.0 + np.exp(-np.asarray(logits).ravel()))]


def read_request_rows(pattern: str) -> List[dict]:
    """The rows of the request CSVs a setting names (a path or glob relative to the project); none when no file
    matches (the reader then learns from the NLU examples alone).

    Args:
        pattern: a CSV path or glob.

    Returns:
        Dicts with at least ``text`` and ``label``.
    """
    full = pattern if Path(pattern).is_absolute() else str(PROJECT_ROOT / pattern)
    rows: List[dict] = []
    for path in sorted(glob.glob(full)):
        with open(path, encoding="utf-8") as f:
            rows.extend(r for r in csv.DictReader(f) if (r.get("text") or "").strip() and r.get("label"))
    return rows


def training_examples(nlu_examples: Iterable[tuple],
                      rows: Iterable[dict]) -> tuple[List[str], List[str], List[float]]:
    """Texts, labels and weights for the reader: NLU examples (``request_human`` is a request, any other intent is
    not; weight 1) and the request CSVs' rows (their ``weight`` column, default 1); a text seen twice keeps its first
    label and weight.

    Args:
        nlu_examples: ``(text, intent)`` pairs.
        rows: dicts with ``text``, ``label`` (``request`` / ``other``) and optionally ``weight`` (a positive number).

    Returns:
        ``(texts, labels, weights)``.

    Raises:
        ValueError: a row's weight is not a positive number.
    """
    seen: Dict[str, tuple] = {}
    for text, intent in nlu_examples:
        if text and intent:
            seen.setdefault(text, (REQUEST if intent == REQUEST_INTENT else OTHER, 1.0))
    for row in rows:
        weight = float(row.get("weight") or 1.0)
        if not weight > 0:
            raise ValueError(f"weight {row.get('weight')!r} of {row['text']!r} is not a positive number")
        seen.setdefault(row["text"], (REQUEST if row["label"] == REQUEST else OTHER, weight))
    return list(seen), [label for label, _ in seen.values()], [weight for _, weight in seen.values()]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RequestReader(StoredModelComponent):
    """Rasa component that puts ``request_score`` (0–1: the message asks for a person) on each message.

    Trained on the NLU data's ``request_human`` examples against the other intents, and the CSVs named by
    ``training_file`` (``data/requests/*.csv``).
    """

    MODEL_FILE = "request_reader.joblib"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's default config: ``training_file`` (a CSV path or glob, relative to the project) and ``C``."""
        return {"training_file": "data/requests/*.csv", "C": 4.0}

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the model on the NLU examples and the request CSVs and write it to the model storage.

        Args:
            training_data: Rasa's NLU training data.

        Returns:
            The component's ``Resource``, holding ``request_reader.joblib``.

        Raises:
            ValueError: the data has no request or no other example.
        """
        nlu = [(m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples]
        rows = read_request_rows(self.config["training_file"])
        texts, labels, weights = training_examples(nlu, rows)
        resource = self.store(RequestModel(C=self.config["C"]).fit(texts, labels, weights))
        logger.info(f"Request reader trained on {len(texts)} texts ({labels.count(REQUEST)} requests; "
                    f"{len(rows)} rows from {self.config['training_file']})")
        return resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Set ``request_score`` on each message with text. A failed reading is logged and the messages go on
        without a score (the rules still read them).

        Args:
            messages: the parsed messages (changed in place).

        Returns:
            The same messages.
        """
        if self.model is None:
            return messages
        todo = [m for m in messages if m.get(TEXT)]
        if not todo:
            return messages
        try:
            scores = self.model.score([m.get(TEXT) for m in todo])
        except Exception:  # never lose a customer's message over this reading
            logger.exception("request reader failed; messages go on without a request_score")
            return messages
        for message, score in zip(todo, scores):
            message.set(REQUEST_SCORE, score, add_to_output=True)
        return messages
