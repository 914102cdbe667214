"""``fraud_worded`` (bot/handover/triage/misreads.py): what tells a report of fraud in words from anger read as one."""
import pytest

from bot.handover.triage import fraud_worded


@pytest.mark.parametrize("text", [
    "Someone used my card without my permission", "I never made this purchase", "I think I've been scammed",
    "my account was hacked", "有人盗刷了我的卡", "我没买过这个东西，怎么扣钱了", "收到一个诈骗短信，我把验证码给他了",
    "/report_fraud",
    # helper-212 (session 45): fraud said without a word of fraud, but naming an account, money or someone
    "Someone ordered stuff on my account", "My account got hijacked", "Somebody bought things with my account",
    "Money disappeared from my account", "我的账号被黑了", "有人用我的账号买东西", "有人登了我的账号", "账户里的钱没了",
    "不是本人操作", "someone changed my password",
])
def test_fraud_said_in_words_is_fraud_worded(text):
    assert fraud_worded(text)


@pytest.mark.parametrize("text", [
    "还是不行！！你们这个破网站搞了半个小时了，气死我了",  # a fresh new user, session 45: read as report_fraud 0.60
    "this is ridiculous, nothing works on your site", "I'm so done with this", "",
    "密码还是改不了！！气死我了",  # a password alone, in a password reset, names no account
])
def test_anger_with_no_word_of_fraud_is_not(text):
    assert not fraud_worded(text)
