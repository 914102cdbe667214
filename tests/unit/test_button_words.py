"""Replies that name a button use the button's own words (issue 14).

A Chinese reply that says 跟我说一声“转人工” above a button titled “转人工客服” makes
the customer look for a button that is not there. The check: in every response
variation with buttons, a quoted term (“…” or "…") that is part of a button's
title but not the whole title is only allowed when the reply also quotes the
title itself.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
QUOTED = re.compile(r"[“\"]([^”\"]{1,20})[”\"]")


def variations():
    """(response name, text, [button titles]) for every variation with buttons in domain/*.yml."""
    for path in sorted(DOMAIN.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (data.get("responses") or {}).items():
            for variant in variants:
                titles = [b.get("title", "") for b in variant.get("buttons") or []]
                if titles and variant.get("text"):
                    yield name, variant["text"], titles


def partial_mentions(text: str, titles: list[str]) -> list[str]:
    """Quoted terms that are a strict part of a button title the text does not quote whole."""
    quoted = set(QUOTED.findall(text))
    return [term for term in quoted for title in titles
            if term != title and term in title and title not in quoted]


def test_the_check_sees_a_reply_that_names_part_of_a_button():
    assert partial_mentions("在线客服：跟我说一声“转人工”，我帮您接通", ["转人工客服"]) == ["转人工"]
    assert partial_mentions("点下方“转人工客服”，或直接说“转人工”", ["转人工客服"]) == []


def test_replies_name_buttons_by_their_own_words():
    found = list(variations())
    assert len(found) > 20  # the domain has many responses with buttons
    wrong = [(name, term) for name, text, titles in found for term in partial_mentions(text, titles)]
    assert wrong == []
