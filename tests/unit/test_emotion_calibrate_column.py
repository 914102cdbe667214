"""Session 33: a contrast file's rows (``calibrate`` = ``no``) are trained on and never held out for calibration.

``data/emotion/small_talk_en2.csv`` is two thirds calm small talk; held out with the other files it moved the
English Platt map (intercept 0.24 -> -0.18) and kept angry messages with the bot. These tests train the real
``EmotionModel.fit_calibrated`` on a few rows written for them.
"""
from __future__ import annotations

import csv
from pathlib import Path

from bot.nlu.emotion import EmotionModel, language_of, read_rows

ANGRY = ["This is the third time my refund was refused, sort it out", "Useless service, where is my parcel",
         "You lost my order again, unbelievable", "I want my money back today, not next week",
         "Nobody answers my emails, this is a joke", "Stop sending me the same link",
         "你们到底行不行，退款拖了一个月", "又没送到，太离谱了", "别再发同样的链接了", "我要退钱，马上",
         "客服根本不回消息，气死了", "第三次了还没修好"]
CALM = ["Can I change my delivery address?", "What time do you open on Sunday?", "Thanks, that solved it",
        "How do I reset my password?", "Do you ship to Canada?", "Is the blue jacket in stock?",
        "怎么修改收货地址", "周日几点开门", "谢谢，解决了", "密码怎么重置", "能寄到加拿大吗", "蓝色外套有货吗"]
SMALL_TALK = ["ugh raining again lol", "so tired today haha", "my cat knocked my coffee over again",
              "long week, anyway hi", "mondays, am I right", "kids are wild today 😂"]


def rows_of(texts: list[str], label: str, prefix: str, **extra: str) -> list[dict]:
    return [{"text": t, "label": label, "lang": language_of(t), "family": f"{prefix}-{i}", **extra}
            for i, t in enumerate(texts)]


BASE = rows_of(ANGRY, "anger", "a") + rows_of(CALM, "neutral", "c")


def test_a_contrast_files_rows_are_never_held_out():
    contrast = rows_of(SMALL_TALK, "neutral", "st", calibrate="no")
    plain = EmotionModel().fit_calibrated(BASE, held_out=0.5)
    with_contrast = EmotionModel().fit_calibrated(BASE + contrast, held_out=0.5)
    # the same older rows are held out, and none of the contrast file's
    assert with_contrast.calibration_report["en"]["held_out"] == plain.calibration_report["en"]["held_out"]
    assert with_contrast.calibration_report["en"]["negative"] == plain.calibration_report["en"]["negative"]


def test_without_the_column_the_same_rows_are_drawn_like_any_other():
    contrast = rows_of(SMALL_TALK, "neutral", "st")
    plain = EmotionModel().fit_calibrated(BASE, held_out=0.5)
    drawn = EmotionModel().fit_calibrated(BASE + contrast, held_out=0.5)
    assert drawn.calibration_report["en"]["held_out"] > plain.calibration_report["en"]["held_out"]


def test_the_small_talk_contrast_file_says_so_on_every_row():
    path = Path(__file__).resolve().parents[2] / "data" / "emotion" / "small_talk_en2.csv"
    rows = read_rows(path)
    assert len(rows) > 500
    assert {r["calibrate"] for r in rows} == {"no"}
    with path.open(encoding="utf-8") as f:
        assert csv.DictReader(f).fieldnames == ["text", "label", "lang", "kind", "family", "calibrate"]
