"""The intent classifier and the sentence featurizer with no tokens and invalid Unicode."""
import numpy as np
import scipy.sparse as sp
from rasa.nlu.featurizers.featurizer import Featurizer  # noqa: F401  (registers feature types)
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.classifier import LinearIntentClassifier
from bot.nlu.featurizers import encodable


def classifier() -> LinearIntentClassifier:
    """Two intents over 3 bag-of-words columns and a 2-dimensional embedding."""
    weights = {
        "idf": np.ones(3),
        "coef": np.array([[1.0, 0, 0, 1.0, 0], [0, 1.0, 0, 0, 1.0]]),
        "intercept": np.zeros(2),
    }
    return LinearIntentClassifier({}, None, None, weights, ["greet", "goodbye"])


def with_features(text: str, counts=None, dense=None) -> Message:
    message = Message(data={TEXT: text})
    if counts is not None:
        message.add_features(Features(sp.coo_matrix(np.array([counts], dtype=float)), "sentence", TEXT, "cv"))
    if dense is not None:
        message.add_features(Features(np.array([dense], dtype=float), "sentence", TEXT, "use"))
    return message


def test_a_message_without_tokens_gets_no_intent_instead_of_a_crash():
    empty, blank = with_features(""), with_features("   ")
    normal = with_features("hi", counts=[1, 0, 0], dense=[1.0, 0.0])
    classifier().process([empty, blank, normal])
    for message in (empty, blank):
        assert message.get("intent") == {"name": None, "confidence": 0.0}  # FallbackClassifier → nlu_fallback
        assert message.get("intent_ranking") == []
    assert normal.get("intent")["name"] == "greet"


def test_a_message_with_only_some_features_is_still_ranked():
    dense_only = with_features("？", dense=[0.0, 1.0])  # no word tokens, but an embedding
    classifier().process([dense_only])
    assert dense_only.get("intent")["name"] == "goodbye"


def test_lone_surrogates_become_replacement_characters_for_the_encoder():
    assert encodable("a\ud800b") == "a\ufffdb"
    assert encodable("\ud83d\ude00") == "😀"  # a pair written as two escapes is the character
    assert encodable("订单 QX-100001") == "订单 QX-100001"
    encodable("x\udfff").encode("utf-8")  # no UnicodeEncodeError
