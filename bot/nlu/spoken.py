"""Identifiers the way speech recognisers write them, normalised (voice channel only).

A caller says "Q X one zero zero zero zero two"; the platform's recogniser
writes ``q x one zero zero zero zero two``, ``Q X 1 0 0 0 0 2``,
``queue ex 100002`` or ``Q叉幺零零零零二``. The project's detectors
(``bot.orders.model``, ``bot.privacy.scanner``) look for ``QX-100002``, ``+44…`` and
``pat.lee@example.com``. :func:`normalise` rewrites the spoken forms into the
written ones, table-driven (the tables below are the whole vocabulary), and
reports every identifier it made with ``literal=False`` so the IVR bridge reads
it back before the bot acts on it.

What is recognised (both languages in any call: Chinese callers say Latin
letters, English callers read digits):

- digits as words: :data:`EN_DIGITS` (``zero oh o nought one … nine``),
  :data:`ZH_DIGITS` (``零 〇 洞 幺 一 二 两 三 … 九``), ``double``/``triple``
  (:data:`EN_REPEAT`, ``双``/``三个`` are not digit readings and stay), numerals
  spaced one by one (``1 0 0 0 0 2``); a few homophones (:data:`EN_WEAK`:
  ``to too for won ate``) count only *between* two digits or to complete an
  order number after its prefix;
- ``十`` only inside a run of at least four digits, as the tens of a
  two-digit group (``幺零零零十二`` → ``100012``): anywhere else (``十分``,
  ``十点``, ``二十个``) it is a number word and stays;
- a run of digit words becomes digits only when it is an identifier: six
  digits or more (order number, one-time code, phone in groups, with pauses
  ``, 、 -`` between the groups), or after an order prefix. Shorter runs stay
  words ("two shirts", ``一下``, ``三四个``);
- the order prefix ``QX`` and its mishearings (:data:`Q_FORMS` ×
  :data:`X_FORMS`, :data:`QX_FORMS`): ``Q X``, ``Q. X.``, ``queue x``,
  ``cue ex``, ``kyu eks``, ``QX`` in Chinese as ``Q叉``, ``Q艾克斯``;
- ``plus`` / ``加`` before a digit run: an international phone (``+44…``);
- e-mail addresses said aloud: ``at``/``艾特``/``圈a`` for ``@``,
  ``dot``/``点``/``点儿`` for ``.`` (only between Latin words or digits, so
  ``一点`` stays), ``underscore``/``下划线``, ``dash``/``hyphen``/``横杠``,
  spelled letters (``p a t``) joined; the part after ``@`` needs a dot.

Text channels never call this: they keep only ``bot.text.fold``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple

from bot.text import EN_DIGITS, EN_REPEAT, HAN, ZH_DIGITS, fold

# ---- the vocabulary (the digit words EN_DIGITS, EN_REPEAT, ZH_DIGITS: bot.text) ----
# Homophones a recogniser writes for a digit; digits only between two digits
# (or to complete an order number after its prefix), else words ("talk to someone").
EN_WEAK = {"to": "2", "too": "2", "for": "4", "fore": "4", "won": "1", "ate": "8"}
ZH_TEN = "十"
# The order prefix: Q and X as recognisers write them, and the two glued together.
Q_FORMS = frozenset({"q", "cue", "queue", "kyu", "kew", "que", "kyou", "queues"})
X_FORMS = frozenset({"x", "ex", "eks", "ecks", "exe", "叉", "艾克斯", "爱克斯", "埃克斯"})
QX_FORMS = frozenset({"qx", "cuex", "queuex", "kyuex", "qex", "qix"})
# Chinese characters a recogniser writes for a spoken Q (扣叉 for "Q X"): a prefix only before an X form.
ZH_Q_FORMS = frozenset({"扣", "丘", "秋", "球", "酷", "抠", "寇"})
PLUS = frozenset({"plus", "加"})
EMAIL_AT = {"at": "@", "艾特": "@", "圈a": "@", "圈": "@"}
EMAIL_JOIN = {"dot": ".", "period": ".", "point": ".", "点": ".", "点儿": ".",
              "underscore": "_", "下划线": "_", "下横线": "_",
              "dash": "-", "hyphen": "-", "横杠": "-", "中划线": "-", "减号": "-"}
# Words that end a sentence before "at", never the end of an e-mail's local part.
NOT_LOCAL = frozenset({
    "is", "am", "are", "was", "were", "be", "been", "it", "me", "him", "her", "them", "us", "you", "i",
    "look", "looking", "arrived", "here", "there", "home", "work", "only", "please", "email", "address",
    "mail", "my", "the", "a", "an", "and", "or", "call", "back", "be", "stuck", "sent", "delivered",
    "是", "的", "在",
})
SEPARATORS = re.compile(r"^[\s,，、.。\-–—]*$")  # pauses a recogniser writes between digit groups
# Chinese multi-character words first, then one CJK character, Latin words, numerals, other.
_TOKEN = re.compile(
    r"(?P<zh>" + "|".join(sorted((w for w in {**EMAIL_AT, **EMAIL_JOIN, **{x: x for x in X_FORMS}}
                                  if not w.isascii()), key=len, reverse=True)) + "|" + HAN.pattern + r"|\u3007)"
    r"|(?P<word>[A-Za-z]+(?:'[A-Za-z]+)?)"
    r"|(?P<num>[0-9]+)"
)

ORDER_DIGITS = 6
MIN_RUN = 6  # digits: shorter runs of digit words stay words
MAX_DIGITS = 15  # the longest identifier (an international phone, E.164): longer runs stay words
MAX_EMAIL_LOCAL, MAX_EMAIL_DOMAIN = 64, 253  # RFC 5321 limits: a longer "address" is no e-mail
# "order" said next to a run of six digits: the run is the order number (QX-…) even without its prefix.
_ORDER_WORDS = re.compile(
    r"(?:\border(?:s|'s)?|订单|单号)\s*(?:number|no\.?|num|#|号码?|编号)?\s*"
    r"(?:is|was|it's|its|=|是|为|:|：|,|，)?\s*$", re.I)
# A misheard order prefix the tables don't list, accepted only where an order number is expected
# (asked for, or "order" said before it): one word or character, then an X (扣叉, "cute ex").
_UNKNOWN_Q = re.compile(r"^(?:[a-z]{1,6}|" + HAN.pattern + ")$")


@dataclass(frozen=True)
class Identifier:
    """One identifier in normalised text.

    ``kind``: ``order_number`` | ``phone`` | ``email`` | ``digits`` (a code or
    a number whose use the dialogue decides); ``value`` as the project writes
    it (``QX-100002``, ``+447700900111`` or the digits, ``pat.lee@example.com``);
    ``heard``: the original words; ``literal``: the recogniser already wrote it
    the way it is typed (nothing rewritten), so no read-back is needed for it.
    """

    kind: str
    value: str
    heard: str
    literal: bool


@dataclass(frozen=True)
class Spoken:
    """:func:`normalise` output: the text for NLU and the identifiers made in it."""

    original: str
    text: str
    identifiers: Tuple[Identifier, ...] = ()
    # Where each identifier is in ``text``: (start, end) character offsets, one per identifier.
    spans: Tuple[Tuple[int, int], ...] = ()

    @property
    def rewritten(self) -> Tuple[Identifier, ...]:
        """The identifiers that were not written literally (read them back before use)."""
        return tuple(i for i in self.identifiers if not i.literal)


@dataclass
class _Tok:
    kind: str  # zh | word | num
    text: str  # lower-case for words
    start: int
    end: int
    spoken_words: bool = False  # a ``zhnum`` token made of English digit words (``one two three``)


@dataclass
class _Edit:
    start: int
    end: int
    replacement: str
    identifier: Optional[Identifier] = field(default=None)


def _tokens(text: str) -> List[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "zh"
        out.append(_Tok(kind, m.group(0).lower() if kind == "word" else m.group(0), m.start(), m.end()))
    return out


def _gap(text: str, a: _Tok, b: _Tok) -> str:
    return text[a.end:b.start]


def _digit_of(tok: _Tok) -> Optional[str]:
    """The digits a single token stands for (strong readings only), else None."""
    if tok.kind == "num":
        return tok.text
    if tok.kind == "word":
        return EN_DIGITS.get(tok.text)
    return ZH_DIGITS.get(tok.text)


def _read_digits(text: str, toks: List[_Tok], i: int, need: Optional[int] = None) -> Tuple[str, int, bool]:
    """A run of digits starting at token ``i``: (digits, index after the run, all numerals in groups).

    Tokens join across pauses (``SEPARATORS``). ``need``: stop once that many
    digits are read (an order number's six) and let weak homophones complete it.
    """
    digits = ""
    j = i
    numerals_only = True
    while j < len(toks):
        if j > i and not SEPARATORS.match(_gap(text, toks[j - 1], toks[j])):
            break
        if need is not None and len(digits) >= need:
            break
        tok = toks[j]
        repeat = EN_REPEAT.get(tok.text) if tok.kind == "word" else None
        if repeat and j + 1 < len(toks) and _digit_of(toks[j + 1]) and len(_digit_of(toks[j + 1])) == 1 \
                and SEPARATORS.match(_gap(text, tok, toks[j + 1])):
            digits += _digit_of(toks[j + 1]) * repeat
            numerals_only = False
            j += 2
            continue
        d = _digit_of(tok)
        if d is None and tok.kind == "zh" and tok.text == ZH_TEN and len(digits) >= 4:
            # X十Y inside a digit run: the tens of a two-digit group (幺零零零十二 → …12).
            tens = digits[-1] if (toks[j - 1].text in ZH_DIGITS and toks[j - 1].end == tok.start
                                  and digits[-1] != "0") else None
            nxt = toks[j + 1] if j + 1 < len(toks) and toks[j + 1].start == tok.end else None
            units = ZH_DIGITS.get(nxt.text) if nxt is not None else None
            digits = (digits[:-1] if tens else digits) + (tens or "1") + (units or "0")
            numerals_only = False
            j += 2 if units else 1
            continue
        if d is None and tok.kind == "word" and tok.text in EN_WEAK and digits:
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            between = nxt is not None and _digit_of(nxt) is not None and SEPARATORS.match(_gap(text, tok, nxt))
            completes = need is not None and len(digits) == need - 1
            if between or completes:
                d = EN_WEAK[tok.text]
        if d is None:
            break
        if tok.kind != "num" or (len(tok.text) == 1 and j + 1 < len(toks) and toks[j + 1].kind == "num"
                                 and len(toks[j + 1].text) == 1 and SEPARATORS.match(_gap(text, tok, toks[j + 1]))):
            numerals_only = False  # words, or numerals spaced one by one
        if j > i and toks[j - 1].kind == "num" and tok.kind == "num" and len(tok.text) == 1 \
                and len(toks[j - 1].text) == 1:
            numerals_only = False
        digits += d
        j += 1
    return digits, j, numerals_only


def _prefix_at(text: str, toks: List[_Tok], i: int) -> Tuple[int, bool]:
    """Tokens used by an order prefix at ``i`` (0 if none) and whether it was written ``QX`` as typed."""
    tok = toks[i]
    if tok.kind == "word" and tok.text in QX_FORMS:
        return 1, tok.text == "qx"
    if tok.kind == "word" and tok.text in Q_FORMS and i + 1 < len(toks):
        nxt = toks[i + 1]
        if nxt.text in X_FORMS and re.fullmatch(r"[\s.\-]*", _gap(text, tok, nxt)):
            return 2, False
    return 0, False


def _order_at(text: str, toks: List[_Tok], i: int) -> Optional[Tuple[int, Optional[str], bool]]:
    """An order number at token ``i``: (index after it, ``QX-dddddd``, literal).

    A prefix followed by a run of more than six digits (``q x one zero zero zero
    zero two five``, ``Q叉幺零零零零二三``) is no order number: (index after the
    whole run, None, False), and the words stay as said.
    """
    used, typed_prefix = _prefix_at(text, toks, i)
    if not used:
        return None
    k = i + used
    if k >= len(toks) or not re.fullmatch(r"[\s.,\-_:]*", _gap(text, toks[k - 1], toks[k])):
        return None
    digits, end, numerals = _read_digits(text, toks, k, need=ORDER_DIGITS)
    if len(digits) != ORDER_DIGITS:
        return None
    if _run_goes_on(text, toks, k, end):
        return _read_digits(text, toks, k)[1], None, False
    return end, f"QX-{digits}", typed_prefix and numerals


def _run_goes_on(text: str, toks: List[_Tok], first: int, end: int) -> bool:
    """Whether the digits read from ``toks[first:end]`` go on right after ``end`` (no pause written)."""
    if end >= len(toks) or not re.fullmatch(r"\s*", _gap(text, toks[end - 1], toks[end])):
        return False
    return _read_digits(text, toks, first)[1] > end


def _order_context(before: str) -> bool:
    """Whether the text just before a run of digits names an order ("order number", 订单号)."""
    return bool(_ORDER_WORDS.search(before[-40:]))


def _unknown_prefix(text: str, toks: List[_Tok], first: int, floor: int) -> Tuple[Optional[int], bool]:
    """Where a misheard order prefix starts before the digits at token ``first``, and whether it is
    a Q-like word then an X (None, False if there is no prefix).

    The prefix is an X form (:data:`X_FORMS`) right before the digits, with one
    short word or character before it (``cute ex``, ``扣叉``), or a Q form
    alone; nothing an earlier identifier (ending at ``floor``) used. A Q-like
    word then an X (``cute ex``, ``queue ex``, ``扣叉``, ``秋叉``: an unknown short
    English word or a character of :data:`ZH_Q_FORMS`) is an order prefix even
    where no order number was asked for; an X or a Q alone only where one was.
    """
    x = first - 1
    if x < 0 or toks[x].start < floor or not re.fullmatch(r"[\s.\-]*", _gap(text, toks[x], toks[first])):
        return None, False
    if toks[x].text in Q_FORMS or toks[x].text in QX_FORMS or toks[x].text in ZH_Q_FORMS:
        return toks[x].start, False
    if toks[x].text not in X_FORMS:
        return None, False
    q = x - 1
    if q >= 0 and toks[q].start >= floor and _UNKNOWN_Q.match(toks[q].text) and _digit_of(toks[q]) is None \
            and re.fullmatch(r"[\s.\-]*", _gap(text, toks[q], toks[x])) and toks[q].text not in NOT_LOCAL:
        q_like = toks[q].kind == "word" or toks[q].text in ZH_Q_FORMS
        return toks[q].start, q_like
    return toks[x].start, False


def _email_tokens(text: str, toks: List[_Tok]) -> List[_Tok]:
    """``toks`` with each run of spoken digits merged into one digits token (kind ``zhnum``).

    E-mail parts said as digits are pieces of the address: Chinese digit
    characters (``幺二三四五六艾特qq点com``) and English digit words
    (``emma one two three at example dot com``). The letter ``o`` stays a letter
    (``j o e``) and ``oh`` is a digit only inside a run of digit words.
    """
    out: List[_Tok] = []
    for k, tok in enumerate(toks):
        if tok.kind == "zh":
            digit = ZH_DIGITS.get(tok.text)
            joins = digit is not None and out and out[-1].kind == "zhnum" and not out[-1].spoken_words \
                and out[-1].end == tok.start
        elif tok.kind == "word" and tok.text in EN_DIGITS and tok.text != "o":
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            in_run = (out and out[-1].kind == "zhnum") or (nxt is not None and nxt.kind == "word"
                                                          and nxt.text in EN_DIGITS and nxt.text != "o")
            digit = EN_DIGITS[tok.text] if tok.text != "oh" or in_run else None
            joins = digit is not None and out and out[-1].kind == "zhnum" and out[-1].spoken_words \
                and re.fullmatch(r"\s*", text[out[-1].end:tok.start]) is not None
        else:
            digit, joins = None, False
        if joins:
            out[-1] = _Tok("zhnum", out[-1].text + digit, out[-1].start, tok.end, tok.kind == "word")
        elif digit is not None:
            out.append(_Tok("zhnum", digit, tok.start, tok.end, tok.kind == "word"))
        else:
            out.append(tok)
    return out


def _email_at(text: str, toks: List[_Tok], at: int) -> Optional[Tuple[int, int, str, bool]]:
    """An e-mail whose ``@`` word is token ``at`` of :func:`_email_tokens`: (first token, index after,
    address, literal).

    Pieces join by a spoken word (``dot``, ``点``, ``underscore``) or by the
    symbol itself written between two words (``Pat.Lee at example.com``).
    Spelled letters (``m i k e``, ``l i s a``) join, the letters ``a`` and
    ``i`` too when they are spelled (a single letter next to another).
    """
    def piece(t: _Tok) -> bool:
        return t.kind in ("word", "num", "zhnum") and "'" not in t.text and t.text not in EMAIL_AT \
            and t.text not in EMAIL_JOIN

    def single(k: int) -> bool:
        return 0 <= k < len(toks) and piece(toks[k]) and len(toks[k].text) == 1

    def spelled(k: int) -> bool:  # a single letter with a single letter next to it (a pause between)
        return single(k) and ((single(k - 1) and re.fullmatch(r"\s+", text[toks[k - 1].end:toks[k].start]))
                              or (single(k + 1) and re.fullmatch(r"\s+", text[toks[k].end:toks[k + 1].start]))
                              or (k + 2 < len(toks) and toks[k + 1].text in EMAIL_JOIN and single(k - 1)))

    def local(k: int) -> bool:
        return k >= 0 and piece(toks[k]) and (toks[k].text not in NOT_LOCAL or spelled(k))

    def written(a: _Tok, b: _Tok) -> Optional[str]:
        gap = text[a.end:b.start]
        return gap if gap in (".", "_", "-") else None

    # The domain: piece (joiner piece)+, at least one dot, ending in a top-level domain.
    j = at + 1
    if j >= len(toks) or not piece(toks[j]) or not re.fullmatch(r"\s*", text[toks[at].end:toks[j].start]):
        return None
    domain = toks[j].text
    j += 1
    while j < len(toks):
        sep = written(toks[j - 1], toks[j])
        if sep is not None and piece(toks[j]):
            domain += sep + toks[j].text
            j += 1
        elif toks[j].text in EMAIL_JOIN and j + 1 < len(toks) and piece(toks[j + 1]):
            domain += EMAIL_JOIN[toks[j].text] + toks[j + 1].text
            j += 2
        else:
            break
    if "." not in domain or not re.search(r"\.[a-z]{2,}$", domain):
        return None
    # The local part, backwards: words or digits joined by dot/underscore/dash, or spelled letters.
    i = at - 1
    if not local(i):
        return None
    parts = [toks[i].text]
    while i - 1 >= 0:
        prev = toks[i - 1]
        sep = written(prev, toks[i])
        if sep is not None and piece(prev):
            parts[:0] = [prev.text, sep]
            i -= 1
        elif prev.text in EMAIL_JOIN and local(i - 2):
            parts[:0] = [toks[i - 2].text, EMAIL_JOIN[prev.text]]
            i -= 2
        elif len(toks[i].text) == 1 and len(prev.text) == 1 and local(i - 1) \
                and re.fullmatch(r"\s*", text[prev.end:toks[i].start]):
            parts.insert(0, prev.text)  # spelled letters or digits: p a t
            i -= 1
        elif "zhnum" in (prev.kind, toks[i].kind) and prev.kind != toks[i].kind and local(i - 1) \
                and re.fullmatch(r"\s*", text[prev.end:toks[i].start]):
            parts.insert(0, prev.text)  # a word and spoken digits: emma one two three, wang幺二三
            i -= 1
        else:
            break
    if len("".join(parts)) > MAX_EMAIL_LOCAL or len(domain) > MAX_EMAIL_DOMAIN:
        return None  # longer than an address can be (RFC 5321): not an e-mail
    address = ("".join(parts) + "@" + domain).lower()
    literal = text[toks[i].start:toks[j - 1].end].lower() == address
    return i, j, address, literal


def _digit_run_edit(folded: str, toks: list, i: int, first: int, end: int, digits: str, numerals: Any,
                    plus: bool, expect: Optional[str], edits: List["_Edit"]) -> "_Edit":
    """The edit for a run of digits ``toks[first:end]`` (``toks[i]`` is "plus" when ``plus``):
    an order number (six digits asked for or said next to "order"/订单, a misheard prefix
    taken in), a phone (said "plus", asked for, or longer than an order number), or digits."""
    tok = toks[i]
    start = tok.start
    literal = numerals and not plus  # "plus"/"加" said: rewritten
    if not plus and tok.kind == "num" and folded[start - 1:start] == "+":  # "+44 seven seven …"
        plus, start = True, start - 1
    prefix_start, q_like = _unknown_prefix(folded, toks, first, edits[-1].end if edits else 0)
    order = len(digits) == ORDER_DIGITS and not plus and (
        expect == "order_number" or q_like or _order_context(folded[:start if prefix_start is None
                                                                    else prefix_start]))
    if order and prefix_start is not None:
        start, literal = prefix_start, False  # "cute ex one zero …": a misheard QX
    heard = folded[start:toks[end - 1].end]
    if order:
        ident = Identifier("order_number", f"QX-{digits}", heard, literal)
        replacement = ident.value
    elif plus or expect == "phone" or len(digits) > ORDER_DIGITS:
        value = ("+" if plus else "") + digits
        ident = Identifier("phone", value, heard, literal)
        replacement = value
    else:
        ident = Identifier("digits", digits, heard, literal)
        replacement = digits
    if literal and not order:
        replacement = heard  # typed-looking groups: left as written
    return _Edit(start, toks[end - 1].end, replacement, ident)


def normalise(text: str, expect: Optional[str] = None) -> Spoken:
    """Rewrite spoken identifiers in a recogniser's transcript as they are typed.

    Args:
        text: one speech event's text (any language; full-width forms are folded first).
        expect: what the dialogue asked for: ``"order_number"`` (a bare run of
            six digits is the order's, ``QX-…``), ``"code"`` or ``"phone"``
            (a run of digits is that), or None.

    Returns:
        :class:`Spoken` with the rewritten text and the identifiers in it;
        text without spoken identifiers comes back unchanged (only folded).
    """
    text = text or ""
    mapping = fold(text)
    folded = mapping.text
    toks = _tokens(folded)
    edits: List[_Edit] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        order = _order_at(folded, toks, i)
        if order is not None and order[1] is None:  # a prefix and too many digits: words, as said
            i = order[0]
            continue
        if order is not None:
            end, value, literal = order
            heard = folded[tok.start:toks[end - 1].end]
            edits.append(_Edit(tok.start, toks[end - 1].end, value if not literal else heard,
                               Identifier("order_number", value, heard, literal)))
            i = end
            continue
        if tok.text in EMAIL_AT:
            merged = _email_tokens(folded, toks)
            email = _email_at(folded, merged, next(k for k, t in enumerate(merged) if t.start == tok.start))
            if email is not None:
                first, end, address, literal = email
                start, stop = merged[first].start, merged[end - 1].end
                while edits and edits[-1].end > start:  # digits of the local part read as a run
                    edits.pop()
                heard = folded[start:stop]
                edits.append(_Edit(start, stop, address, Identifier("email", address, heard, literal)))
                i = next((k for k, t in enumerate(toks) if t.start >= stop), len(toks))
                continue
        plus = tok.text in PLUS and i + 1 < len(toks) and _digit_of(toks[i + 1]) is not None
        first = i + 1 if plus else i
        if _digit_of(toks[first]) is not None or (toks[first].kind == "word" and toks[first].text in EN_REPEAT):
            digits, end, numerals = _read_digits(folded, toks, first)
            if len(digits) > MAX_DIGITS:  # no identifier is that long: leave the words alone
                i = max(end, i + 1)
                continue
            if len(digits) > ORDER_DIGITS and not plus and \
                    _unknown_prefix(folded, toks, first, edits[-1].end if edits else 0)[1]:
                i = max(end, i + 1)  # "扣叉" then seven digits: no order number, no phone either: words
                continue
            if end > first and (len(digits) >= MIN_RUN or (expect and numerals is False and len(digits) >= 4)):
                edits.append(_digit_run_edit(folded, toks, i, first, end, digits, numerals, plus, expect, edits))
                i = end
                continue
            i = max(end, i + 1)
            continue
        i += 1
    out, last, size = [], 0, 0  # edits go into the original text: what was not rewritten stays as written
    spans: List[Tuple[int, int]] = []
    for edit in edits:
        start, end = mapping.span(edit.start, edit.end)
        out.append(text[last:start])
        size += start - last
        out.append(edit.replacement)
        if edit.identifier:
            spans.append((size, size + len(edit.replacement)))
        size += len(edit.replacement)
        last = end
    out.append(text[last:])
    return Spoken(text, "".join(out), tuple(e.identifier for e in edits if e.identifier), tuple(spans))


# ---- reading back -------------------------------------------------------
_LETTER_NAMES = {".": {"en": "dot", "zh": "点"}, "@": {"en": "at", "zh": "艾特"},
                 "_": {"en": "underscore", "zh": "下划线"}, "-": {"en": "dash", "zh": "横杠"},
                 "+": {"en": "plus", "zh": "加"}}


def read_back(identifier: Identifier, lang: str = "en") -> str:
    """How the bridge says an identifier back: characters spaced (``Q X 1 0 0 0 0 2``).

    E-mail addresses keep their words and spell only the symbols
    (``pat dot lee at example dot com``).

    Args:
        identifier: the identifier found in the caller's words.
        lang: the call's language (``en`` or ``zh``): the words for the symbols.

    Returns:
        The text to speak.
    """
    value = identifier.value
    if identifier.kind == "email":
        pieces = re.split(r"([.@_\-])", value)
        words = [_LETTER_NAMES[p][lang] if p in _LETTER_NAMES else p for p in pieces if p]
        return " ".join(words)
    chars = [(_LETTER_NAMES["+"][lang] if ch == "+" else ch) for ch in value if ch != "-"]
    return " ".join(chars)


# ---- yes or no ----------------------------------------------------------
# Answers to "…, is that right?" and "Shall we call you on …?", both languages.
# The answer is split into clauses (:data:`_CLAUSE`: ，,！!。?？;； and a space
# between two Chinese characters), so "不，错了" is a no and a no, never the yes
# "不错". Within a clause, phrases are matched longest first over the words
# (Latin) and characters (Chinese), so "没错" / "no problem" / "not wrong" are
# one yes and never a "错" / "no" / "wrong", and "不对" / "not right" one no,
# never a "对" / "right"; a negator (:data:`NEGATORS`) right before a yes word
# makes it a no ("that ain't right", "not exactly right", 不完全对).
YES_PHRASES = (
    # English
    "yes", "yeah", "yea", "yep", "yup", "ya", "yah", "aye", "sure", "ok", "okay", "o k", "alright", "all right",
    "right", "that's right", "that is right", "correct", "that's correct", "that is correct", "exactly",
    "absolutely", "definitely", "certainly", "affirmative", "indeed", "precisely", "perfect", "true",
    "sounds good", "sounds right", "looks good", "all good", "good", "great", "fine", "confirm", "confirmed",
    "uh huh", "uh-huh", "mm hmm", "mm-hmm", "mhm", "mhmm", "mmhmm", "yes please", "spot on", "you got it",
    "that's it", "that's the one", "it is", "it's right", "it's correct", "that's my number", "go ahead",
    "no problem", "no problems", "no mistake", "no mistakes", "no worries", "no doubt", "not wrong",
    "nothing wrong", "not a problem", "not incorrect", "of course", "you bet", "please do", "bang on", "dead on",
    # Chinese
    "是", "是的", "是啊", "是呀", "是滴", "对", "对的", "对啊", "对呀", "对对", "对对对", "对了", "没错", "没错儿",
    "没有错", "不错", "正确", "准确", "没问题", "没有问题", "没什么问题", "没毛病", "行", "可以", "好", "好的", "好啊",
    "确认", "确定", "就是", "就是这个", "是这个", "没错的", "对头",
)
NO_PHRASES = (
    # English
    "no", "nope", "nah", "no no", "negative", "wrong", "that's wrong", "that is wrong", "it's wrong",
    "incorrect", "not right", "not correct", "that's not right", "that is not right", "that's not it",
    "not it", "not that", "not quite", "not exactly", "not really", "no it isn't", "it isn't", "it is not",
    "it's not", "isn't", "is not", "not the one", "is not correct", "is not right", "isn't correct",
    "isn't right", "ain't right", "that's not my number", "not my number", "i don't think so",
    "don't think so", "mistake", "that's a mistake", "different", "another", "other", "change", "wait",
    "no way", "uh uh", "uh-uh", "never", "not at all", "you got it wrong", "got it wrong", "got that wrong", "not even close",
    # Chinese
    "不", "不是", "不是的", "不对", "不对的", "不正确", "错", "错了", "错的", "不行", "不可以", "否", "换", "换一个",
    "不要", "别", "搞错", "弄错", "说错", "听错", "不准确", "有错", "有问题", "不好", "不确定", "不太对",
    "不是这个", "别的", "其他", "另一个", "没", "没有", "对不上", "对不上号", "不准", "不完全对", "不是很对",
)
# Yes on their own, a hesitation before another answer ("嗯，不对" is a no).
WEAK_YES_PHRASES = ("嗯", "嗯嗯", "恩", "恩恩", "嗯哼", "mm", "mmm")
# Words holding an answer's characters or words that answer nothing (你好, 银行, 是不是, "is it right?"),
# and half answers (差不多 "more or less", 不好说 "hard to say"): unclear, asked again.
NEUTRAL_PHRASES = (
    "你好", "您好", "银行", "进行", "还好", "好像", "是不是", "对不对", "行不行", "好不好", "可不可以", "是吗", "对吗",
    "不知道", "不清楚", "不好意思", "对不起", "是什么", "is it", "is that right", "is it right", "right now",
    "not sure", "i'm not sure", "good morning", "good afternoon", "good evening", "wait a moment",
    "差不多", "差不多吧", "不好说", "说不好", "不一定", "kind of", "sort of", "more or less",
)
# Said right before a yes word, these make it a no ("that ain't right", "not exactly right", 不完全对).
NEGATORS = (
    "not", "no", "ain't", "isn't", "wasn't", "aren't", "don't", "doesn't", "never", "hardly",
    "not exactly", "not quite", "not entirely", "not completely", "not totally", "not really", "not very",
    "不", "没", "没有", "并不", "不是", "不太", "不完全", "不是很", "不怎么", "不大",
)
# "是" / "it is" with more words after it in a clause that follows a no is the start of a correction
# ("不是，是三"; "no, it is three"), not a yes.
COPULAS = frozenset({("是",), ("it", "is"), ("it's",), ("就是",)})
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|" + HAN.pattern + r"|\d+")
_CLAUSE = re.compile(r"[，,！!。?？;；]+|\.(?:\s+|$)|(?<=" + HAN.pattern + r")\s+(?=" + HAN.pattern + ")")


def _words(phrase: str) -> tuple:
    return tuple(_WORD.findall(phrase.lower().replace("-", " ")))


def _phrase_table() -> dict:
    table: dict = {}
    for answer, phrases in ((True, YES_PHRASES), (False, NO_PHRASES), (None, NEUTRAL_PHRASES),
                            ("weak", WEAK_YES_PHRASES)):
        for phrase in phrases:
            words = _words(phrase)
            if words in table and table[words] != answer:
                raise ValueError(f"{phrase!r} is both a yes and a no")
            table[words] = answer
    return table


_ANSWERS = _phrase_table()
_LONGEST = max(len(k) for k in _ANSWERS)
_NEGATORS = sorted({_words(n) for n in NEGATORS}, key=len, reverse=True)


def _longest(words: List[str], k: int) -> Tuple[int, Any]:
    """The longest answer phrase starting at ``words[k]``: (its length, its answer); (0, None) if none."""
    for size in range(min(_LONGEST, len(words) - k), 0, -1):
        key = tuple(words[k:k + size])
        if key in _ANSWERS:
            return size, _ANSWERS[key]
    return 0, None


def _clause_answers(words: List[str], after_no: bool) -> List[Any]:
    """The answers said in one clause, in order (True, False, "weak"; neutral phrases dropped)."""
    found: List[Any] = []
    k = 0
    while k < len(words):
        size, answer = _longest(words, k)
        for negator in _NEGATORS:  # a negator right before a yes word: a no ("not exactly right")
            n = len(negator)
            if tuple(words[k:k + n]) == negator:
                yes_size, yes = _longest(words, k + n)
                if yes is True and n + yes_size > size:
                    size, answer = n + yes_size, False
                    break
        if size and answer is True and after_no and tuple(words[k:k + size]) in COPULAS \
                and k + size < len(words):
            answer = None  # "不是，是三": the correction's "it is", not a yes
        if size:
            if answer is not None:
                found.append(answer)
            k += size
        else:
            k += 1
    return found


def yes_or_no(text: Optional[str]) -> Optional[bool]:
    """A spoken answer to a yes/no question: True (yes), False (no) or None (unclear).

    Args:
        text: the recogniser's transcript, English or Chinese (full-width forms folded).

    Returns:
        True when every answer phrase in it is a yes (``yes, no mistake``,
        ``对，没错``; ``嗯`` alone, but not before a no), False when every one is a no (``no it isn't``,
        ``不对``, ``不，错了``, ``not exactly right``), None when there is none or they disagree
        (``yes… no, wait``): ask again. Phrases never cross a clause boundary (``，`` ``,`` ``!``…),
        so ``不，错了`` is no and no. Words that are not answers are ignored (``yes that's my order``),
        and so are :data:`NEUTRAL_PHRASES` (``你好``, ``not sure``, ``差不多``: unclear).
    """
    lowered = fold(text or "").text.lower().replace("’", "'")
    found: List[Any] = []
    for clause in _CLAUSE.split(lowered):
        found += _clause_answers(_WORD.findall(clause), after_no=False in found)
    answers = set(found)
    if answers == {"weak"}:
        return True
    answers.discard("weak")
    return answers.pop() if len(answers) == 1 else None
