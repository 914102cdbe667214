"""Surface cues of anger and frustration in customer messages (en + zh).

Used two ways: as extra features of the emotion classifier (caps, "!!!",
"third time", 气死了 …) and, alone, as the keyword baseline that
`make bench-emotion` prints beside the classifier.
"""
from __future__ import annotations

import re

import numpy as np

ANGRY_WORDS_EN = (
    "ridiculous", "unacceptable", "useless", "pathetic", "disgusting", "terrible", "worst",
    "scam", "scammers", "fraud", "liar", "liars", "joke", "rubbish", "garbage", "trash",
    "incompetent", "furious", "angry", "outraged", "sick of", "fed up", "wtf", "damn",
    "hell", "stupid", "idiot", "lawyer", "sue", "report you", "never again", "refund now",
    "third time", "again and again", "how many times", "still waiting", "still not",
    "annoying", "frustrating", "frustrated", "ugh", "seriously", "waste of",
)
ANGRY_WORDS_ZH = (
    "气死", "生气", "愤怒", "破服务", "垃圾", "骗子", "骗人", "坑爹", "坑人", "差评", "投诉",
    "无语", "服了", "醉了", "什么鬼", "搞什么", "烦死", "烦人", "受不了", "忍无可忍", "太差",
    "恶心", "滚", "废物", "脑子", "有病", "第三次", "多少次", "又是", "还没", "到底",
    "消协", "12315", "曝光", "退钱", "赶紧", "什么玩意", "离谱", "过分", "失望透顶",
)
SAD_WORDS = (
    "sad", "disappointed", "unfortunately", "shame", "pity", "upset", "let down",
    "失望", "难过", "可惜", "遗憾", "伤心", "郁闷",
)
POSITIVE_WORDS = (
    "thanks", "thank you", "great", "awesome", "perfect", "love", "amazing", "helpful",
    "appreciate", "excellent", "wonderful", "worked", "solved",
    "谢谢", "感谢", "太好了", "棒", "赞", "好评", "满意", "给力", "解决了", "辛苦",
)
EMOJI_ANGRY = "😡🤬😠👿💢🙄😤"
EMOJI_POSITIVE = "😊😀😄👍❤️🙏🥰😍👏"


def _hits(text: str, words) -> int:
    lowered = text.lower()
    return sum(1 for w in words if w in lowered)


def cue_features(text: str) -> np.ndarray:
    """A few counts a linear model can weigh; scaled to roughly 0..1."""
    letters = [c for c in text if c.isalpha() and c.isascii()]
    caps = sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 4 else 0.0
    shouting = 1.0 if re.search(r"\b[A-Z]{4,}\b", text) else 0.0
    exclaim = min(len(re.findall(r"[!！]", text)), 5) / 5
    question_runs = 1.0 if re.search(r"[?？]{2,}", text) else 0.0
    mixed = 1.0 if re.search(r"[!！][?？]|[?？][!！]", text) else 0.0
    ellipsis = 1.0 if re.search(r"\.{3,}|…|。{2,}", text) else 0.0
    angry = min(_hits(text, ANGRY_WORDS_EN) + _hits(text, ANGRY_WORDS_ZH), 3) / 3
    sad = min(_hits(text, SAD_WORDS), 2) / 2
    positive = min(_hits(text, POSITIVE_WORDS), 2) / 2
    emoji_angry = 1.0 if any(e in text for e in EMOJI_ANGRY) else 0.0
    emoji_positive = 1.0 if any(e in text for e in EMOJI_POSITIVE) else 0.0
    return np.array(
        [caps, shouting, exclaim, question_runs, mixed, ellipsis, angry, sad, positive,
         emoji_angry, emoji_positive],
        dtype=np.float32,
    )


def keyword_negative(text: str) -> bool:
    """The keyword-only baseline: any angry/frustrated or sad word, angry emoji or shouting."""
    return bool(
        _hits(text, ANGRY_WORDS_EN) or _hits(text, ANGRY_WORDS_ZH) or _hits(text, SAD_WORDS)
        or any(e in text for e in EMOJI_ANGRY) or re.search(r"\b[A-Z]{4,}\b", text)
    )
