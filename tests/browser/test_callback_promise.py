"""Fresh-user report 3: a web chat hand-over with nobody to take it said "a colleague will contact you" and the
header "A colleague will call you back." with no number to call. Now the customer is told the answer comes in
this chat (and how to be called instead), the header agrees, and it says "call you back" once a number is given."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from playwright.sync_api import Page, expect

from bot.storage.db import AgentRow
from tests.browser.test_webchat import TIMEOUT, bot_messages, open_chat, say
from tests.rows import RowsUnitOfWork

WORDS = {
    "en": {"human": "I want to talk to a person", "said": "answer right here in this chat",
           "header": "A colleague will answer here in this chat.", "number": "please call me on +44 7911 123456",
           "called": "A colleague will call you back."},
    "zh": {"human": "转人工", "said": "直接在这个对话里答复您", "header": "客服同事会在这个对话里答复您。",
           "number": "请打这个号码 13900139000", "called": "客服同事会给您回电。"},
}


@pytest.fixture
def nobody_online(servers):
    """Everybody went home (as in tests/channels/test_ivr_calls.py); restored afterwards."""
    with RowsUnitOfWork() as uow:
        seen = {}
        for row in uow.rows(AgentRow):
            seen[row.username], row.last_seen_at = row.last_seen_at, datetime(2020, 1, 1, tzinfo=timezone.utc)
        uow.commit()
    yield
    with RowsUnitOfWork() as uow:
        for row in uow.rows(AgentRow):
            row.last_seen_at = seen.get(row.username)
        uow.commit()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_call_back_without_a_number_is_answered_in_this_chat_and_the_header_says_so(servers, nobody_online,
                                                                                     page: Page, lang: str):
    words = WORDS[lang]
    open_chat(page, servers, lang=lang)
    expect(bot_messages(page).first).to_be_visible(timeout=TIMEOUT)
    say(page, words["human"], lang)
    expect(bot_messages(page).filter(has_text=words["said"])).to_have_count(1, timeout=TIMEOUT)
    expect(page.locator(".sc-status")).to_have_text(words["header"], timeout=TIMEOUT)
    say(page, words["number"], lang)  # becomes the case's number to call
    expect(page.locator(".sc-status")).to_have_text(words["called"], timeout=TIMEOUT)
