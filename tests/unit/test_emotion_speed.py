"""``bot.nlu.emotion.tfidf_rows``: scikit-learn's tf-idf numbers without its per-call checks (thirteenth pass of
issue 11: the Chinese review head's ``transform`` recomputed the idf vector of its whole vocabulary per message)."""
from __future__ import annotations

import numpy as np
import pytest

from bot.nlu.emotion import jieba_words, tfidf_rows

TEXTS = ["送餐太慢了，饭都凉了", "味道不错，下次还点", "the driver was late again!!", "好吃 fast delivery",
         "服务态度很差，再也不来了", "包装很好，好评", "", "😡😡"]


def _vectorizers():
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    yield TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1, lowercase=False)
    yield TfidfVectorizer(analyzer="char", ngram_range=(1, 2), use_idf=False, norm="l1")
    yield FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1)),
        ("words", TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\S+", ngram_range=(1, 2), sublinear_tf=True,
                                  min_df=1, preprocessor=jieba_words)),
    ])
    yield CountVectorizer()


@pytest.mark.parametrize("vectorizer", list(_vectorizers()), ids=["char_wb", "no_idf_l1", "union", "counts"])
def test_tfidf_rows_gives_scikit_learns_numbers(vectorizer):
    vectorizer.fit(TEXTS)
    unseen = ["饭凉了，太慢", "late driver", "完全没见过的词"]
    for texts in (TEXTS, unseen, unseen[:1]):
        expected = vectorizer.transform(texts).toarray()
        got = tfidf_rows(vectorizer, texts)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got.toarray(), expected, rtol=0, atol=1e-12)
    # and again: the cached idf vector is the fitted one
    np.testing.assert_allclose(tfidf_rows(vectorizer, unseen).toarray(), vectorizer.transform(unseen).toarray(),
                               rtol=0, atol=1e-12)


def test_tfidf_rows_follows_a_refit_and_the_fitted_settings():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True).fit(TEXTS)
    tfidf_rows(vectorizer, TEXTS[:2])  # caches the idf of the first fit
    vectorizer.fit(TEXTS[2:] + ["另一批完全不同的文字"])  # a refit in place: a new vocabulary and idf
    np.testing.assert_allclose(tfidf_rows(vectorizer, TEXTS).toarray(), vectorizer.transform(TEXTS).toarray(),
                               rtol=0, atol=1e-12)
    vectorizer.set_params(use_idf=False)  # scikit-learn 1.1 keeps transforming with what was fitted
    np.testing.assert_allclose(tfidf_rows(vectorizer, TEXTS).toarray(), vectorizer.transform(TEXTS).toarray(),
                               rtol=0, atol=1e-12)


def test_tfidf_rows_keeps_the_vectorizers_dtype():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char", dtype=np.float32).fit(TEXTS)
    assert tfidf_rows(vectorizer, TEXTS).dtype == vectorizer.transform(TEXTS).dtype == np.float32


def test_the_loader_warms_every_lazily_loaded_library(tmp_path):
    """A customer's first loud praise must not pay for loading VADER or HowNet's / DUTIR's lists (0.15 s in a fresh
    process, session 23's note): ``EmotionClassifier.load`` calls ``warm_up``, after which both are loaded."""
    import subprocess
    import sys
    import textwrap

    from bot.settings import PROJECT_ROOT

    script = textwrap.dedent("""
        from unittest import mock
        from bot.nlu import emotion, emotion_lexicon
        from bot.nlu.sentiment_lexicons import chinese_lexicons
        from bot.nlu.stored import StoredModelComponent
        assert emotion_lexicon._VADER is None and chinese_lexicons.cache_info().currsize == 0
        with mock.patch.object(StoredModelComponent, "load", classmethod(lambda cls, *a, **k: "component")):
            assert emotion.EmotionClassifier.load({}, None, None, None) == "component"
        assert emotion_lexicon._VADER is not None
        assert chinese_lexicons.cache_info().currsize == 1
        print("warm")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("warm")


@pytest.mark.parametrize("vectorizer", list(_vectorizers()), ids=["char_wb", "no_idf_l1", "union", "counts"])
@pytest.mark.parametrize("outputs", [None, 3])
def test_tfidf_dot_is_the_rows_times_the_weights(vectorizer, outputs):
    """Session 25: the request reader and the emotion heads take the dot product without a sparse matrix."""
    from bot.nlu.emotion import tfidf_dot

    vectorizer.fit(TEXTS)
    width = vectorizer.transform(TEXTS[:1]).shape[1]
    rng = np.random.default_rng(7)
    weights = rng.normal(size=(width,) if outputs is None else (width, outputs))
    for texts in (TEXTS, ["饭凉了，太慢", "late driver", "完全没见过的词", ""], ["late driver"]):
        expected = np.asarray(vectorizer.transform(texts) @ weights)
        got = tfidf_dot(vectorizer, texts, weights)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_tfidf_rows_counts_a_repeated_feature_and_binary_vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    for vectorizer in (TfidfVectorizer(analyzer="word", ngram_range=(1, 2)),
                       TfidfVectorizer(analyzer="word", binary=True, sublinear_tf=True, norm=None)):
        vectorizer.fit(["late late late driver", "driver was fine", "late again"])
        texts = ["late late late late driver", "unknown words only", "driver driver"]
        np.testing.assert_allclose(tfidf_rows(vectorizer, texts).toarray(), vectorizer.transform(texts).toarray(),
                                   rtol=0, atol=1e-12)
        assert tfidf_rows(vectorizer, texts).has_sorted_indices
