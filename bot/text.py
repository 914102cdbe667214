"""Folding text for pattern matching, with a map back to the original.

Chinese input methods type full-width forms (``１３８…``, ``＠``, ``．``,
``ＱＸ－１２３４５６``, the ideographic space), phones paste non-breaking
spaces and typographic dashes, and a zero-width space hides nothing from a
person but everything from a regular expression. Every detector (intake facts,
PII masking, order numbers) runs on :func:`fold` output, so all of them see the
same plain ASCII forms.

What is folded, character by character (so each folded character knows the
original character it came from):

- the full-width and half-width forms block U+FF00–U+FFEF and the small form
  variants U+FE50–U+FE6F: NFKC (``１``→``1``, ``Ａ``→``A``, ``＠``→``@``,
  ``．``→``.``, ``－``→``-``, ``￥``→``¥``, ``：``→``:``);
- every space separator (category Zs: U+3000, no-break and thin spaces): ``" "``;
- every decimal digit of any script (category Nd): its ASCII digit;
- typographic hyphens and dashes (U+2010–U+2015, U+2212): ``-``;
- the ideographic full stop ``。`` (typed for "." in Chinese mode,
  ``li@example。com``): ``.``;
- zero-width characters and the soft hyphen: removed.

NFKC is *not* applied elsewhere: it would turn ``①`` or ``²`` into digits and
``㍻`` into letters, creating numbers the customer never wrote.

Masking replaces spans of the **original** text (found on the folded text and
mapped back with :meth:`Folded.span`), so an agent reads the customer's own
wording and punctuation (``，`` stays a Chinese comma) with only PII replaced.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Sequence

ZERO_WIDTH = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff")
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
FULL_STOPS = frozenset("\u3002")


def fold_char(ch: str) -> str:
    """The folded form of one character: usually one character, ``""`` for zero-width ones."""
    if ch < "\x80":
        return ch
    if ch in ZERO_WIDTH:
        return ""
    if ch in DASHES:
        return "-"
    if ch in FULL_STOPS:
        return "."
    code = ord(ch)
    if 0xFF00 <= code <= 0xFFEF or 0xFE50 <= code <= 0xFE6F:
        folded = unicodedata.normalize("NFKC", ch)
        return "." if folded in FULL_STOPS else folded
    category = unicodedata.category(ch)
    if category == "Zs":
        return " "
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    return ch


@dataclass(frozen=True)
class Folded:
    """Folded text plus, per folded character, the original span it came from.

    ``starts[i]``/``ends[i]`` are offsets into ``original`` for ``text[i]``.
    """

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``[start, end)`` (``end > start``).

        Characters removed by folding (zero-width) inside the span belong to it.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad folded span {start}:{end} of {len(self.text)}")
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> Folded:
    """Fold ``text`` (see the module docstring); ASCII text comes back as is."""
    text = text or ""
    if text.isascii():
        offsets = range(len(text))
        return Folded(text, text, offsets, range(1, len(text) + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        out.append(folded)
        starts.extend([i] * len(folded))
        ends.extend([i + 1] * len(folded))
    return Folded(text, "".join(out), starts, ends)


def fold_text(text: str) -> str:
    """Just the folded string, for comparing or normalising a value."""
    return fold(text).text
