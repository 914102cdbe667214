"""The learned request reader (bot/nlu/request_reader.py) and how the policy uses its score (issue 11, nineteenth pass).

The reader's own figures on writers it never saw are `scripts/eval_request_reader.py` (leave one development set out);
these tests check its parts on messages written for the test.
"""
from __future__ import annotations

import copy

import pytest

from bot.handover.policy import (
    Emotion, EscalationConfig, EscalationConfigError, Turn, decide, fold_turns, load_config, request_score_of,
    should_offer,
)
from bot.nlu.request_reader import (
    OTHER, REQUEST, RequestModel, normalise, read_request_rows, training_examples,
)

CONFIG = load_config()

REQUESTS = [
    "can I speak to a person please", "put me through to someone in billing", "I'd like a call back from the manager",
    "could the technician ring me tomorrow", "let me talk to a human", "is there a supervisor I can speak with",
    "please get a colleague to phone me", "transfer me to an agent", "I want to talk to the person who fitted it",
    "请帮我转人工", "我要找人工客服", "麻烦让你们经理给我回个电话", "能不能帮我接一下售后的同事", "请安排师傅联系我",
    "找一下负责的老师", "帮我转接财务部门",
]
OTHERS = [
    "where is my parcel", "how do I reset my password", "the app keeps crashing", "what time do you open on Sunday",
    "thanks, that worked", "can I change my delivery address", "my order number is 12345", "do you ship to France",
    "我的快递到哪了", "怎么修改密码", "周末营业吗", "谢谢，已经好了", "可以开发票吗", "订单号 88213", "运费多少",
    "退货流程是什么",
]


@pytest.fixture(scope="module")
def model() -> RequestModel:
    texts = REQUESTS + OTHERS
    return RequestModel().fit(texts, [REQUEST] * len(REQUESTS) + [OTHER] * len(OTHERS))


def test_the_reader_scores_requests_above_other_messages(model):
    scores = model.score(["could someone from billing phone me", "where is my order", "帮我转人工", "怎么开发票"])
    assert model.score(["ＴＡＬＫ ＴＯ Ａ ＨＵＭＡＮ"]) == model.score(["talk to a human"])  # full-width folded
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > scores[1] and scores[2] > scores[3]


def test_the_reader_scores_nothing_for_no_text(model):
    assert model.score([]) == []


def test_an_unfitted_reader_says_so():
    with pytest.raises(RuntimeError):
        RequestModel().score(["hello"])


@pytest.mark.parametrize("labels", [[REQUEST, REQUEST], [OTHER, OTHER]])
def test_the_reader_needs_both_kinds_of_example(labels):
    with pytest.raises(ValueError):
        RequestModel().fit(["a person please", "a human please"], labels)


def test_texts_labels_and_weights_must_pair():
    with pytest.raises(ValueError):
        RequestModel().fit(["a person please"], [REQUEST, OTHER])
    with pytest.raises(ValueError):
        RequestModel().fit(["a person please", "where is it"], [REQUEST, OTHER], [1.0])


def test_numbers_are_shapes_and_phones_apostrophes_are_straight():
    assert normalise("Call me on 07700 900123, I’d like that") == "call me on 00000 000000, i'd like that"


def test_training_examples_label_intents_and_rows_and_keep_the_first_label():
    texts, labels, weights = training_examples(
        [("talk to a human", "request_human"), ("where is my parcel", "order_status"), ("", "greet")],
        [{"text": "ring me back please", "label": "request"}, {"text": "where is my parcel", "label": "request"},
         {"text": "nice weather", "label": "other", "weight": "8"}])
    assert dict(zip(texts, labels)) == {"talk to a human": REQUEST, "where is my parcel": OTHER,
                                        "ring me back please": REQUEST, "nice weather": OTHER}
    assert dict(zip(texts, weights)) == {"talk to a human": 1.0, "where is my parcel": 1.0,
                                         "ring me back please": 1.0, "nice weather": 8.0}


@pytest.mark.parametrize("weight", ["0", "-2", "lots"])
def test_a_weight_that_is_not_a_positive_number_is_refused(weight):
    with pytest.raises(ValueError):
        training_examples([], [{"text": "nice weather", "label": "other", "weight": weight}])


def test_a_heavier_look_alike_pulls_its_words_towards_other():
    texts = REQUESTS + OTHERS + ["can I speak French in this chat", "can we talk about the price"]
    labels = [REQUEST] * len(REQUESTS) + [OTHER] * (len(OTHERS) + 2)
    light = RequestModel().fit(texts, labels)
    heavy = RequestModel().fit(texts, labels, [1.0] * (len(texts) - 2) + [8.0, 8.0])
    probe = ["can I speak Italian in this chat"]
    assert heavy.score(probe)[0] < light.score(probe)[0]


def test_no_request_file_means_the_nlu_examples_alone(tmp_path):
    assert read_request_rows(str(tmp_path / "*.csv")) == []


def test_request_rows_skip_empty_texts(tmp_path):
    (tmp_path / "r.csv").write_text("text,language,label\n,en,request\nring me,en,request\n", encoding="utf-8")
    assert [r["text"] for r in read_request_rows(str(tmp_path / "*.csv"))] == ["ring me"]


# --- the policy ---------------------------------------------------------------------------------------------------


def _turn(text: str, score, intent: str = "inform") -> Turn:
    return Turn.from_text(intent, Emotion("neutral", 0.9, 0.05), text, request_score=score)


def test_a_message_the_reader_reads_as_a_request_hands_over():
    decision = decide([_turn("I would rather sort this with Jenny from the front desk", 0.91)], CONFIG)
    assert decision.code == "customer_request"
    assert decision.detail == "read as asking for a person (0.91)"


def test_a_score_below_the_threshold_leaves_it_to_the_rules():
    threshold = CONFIG.file.triggers.customer_request.reader_threshold
    assert threshold is not None
    assert decide([_turn("I would rather sort this with Jenny from the front desk", threshold - 0.01)], CONFIG) is None


def test_a_question_about_a_request_is_no_request_whatever_the_reader_says():
    turn = _turn("Did anyone look at my exchange request yet?", 0.95)
    assert turn.not_a_request
    assert decide([turn], CONFIG) is None


def test_the_reader_adds_to_the_rules_it_never_takes_one_away():
    assert decide([_turn("I want to talk to a human", 0.01)], CONFIG).code == "customer_request"


def test_without_a_threshold_the_rules_decide_alone():
    raw = copy.deepcopy(dict(CONFIG.raw))
    raw["triggers"]["customer_request"].pop("reader_threshold", None)
    config = EscalationConfig(raw)
    assert config.file.triggers.customer_request.reader_threshold is None
    assert decide([_turn("I would rather sort this with Jenny from the front desk", 0.99)], config) is None


@pytest.mark.parametrize("bad", [1.5, -0.1, "high"])
def test_a_threshold_outside_0_to_1_is_refused(bad):
    raw = copy.deepcopy(dict(CONFIG.raw))
    raw["triggers"]["customer_request"]["reader_threshold"] = bad
    with pytest.raises(EscalationConfigError, match="reader_threshold"):
        EscalationConfig(raw)


@pytest.mark.parametrize("parse, expected", [
    ({"request_score": 0.8}, 0.8), ({"request_score": 1}, 1.0), ({}, None), ({"request_score": None}, None),
    ({"request_score": True}, None), ({"request_score": 1.2}, None), ({"request_score": "0.9"}, None),
])
def test_the_score_is_read_from_the_parse_only_when_it_is_a_probability(parse, expected):
    assert request_score_of(parse) == expected


def test_the_score_reaches_the_policy_from_the_tracker_events():
    events = [{"event": "action", "name": "action_listen"},
              {"event": "user", "text": "could whoever measured the windows ring me",
               "parse_data": {"intent": {"name": "inform"}, "request_score": 0.88,
                              "emotion": {"label": "neutral", "score": 0.9, "negative": 0.02}}}]
    turns, _ = fold_turns(events)
    assert turns[-1].request_score == 0.88
    assert decide(turns, CONFIG).code == "customer_request"
    assert not should_offer(turns, CONFIG)


def test_the_committed_request_rows_are_what_the_script_writes_today():
    """data/requests/dev_requests.csv follows the development sets and the rules that label them
    (``scripts/request_data.py``): a rule change or a new set without regenerating it would train the reader on
    stale labels."""
    import csv
    from pathlib import Path

    from scripts.request_data import FIELDS, OUT, build

    with OUT.open(encoding="utf-8", newline="") as f:
        committed = [{k: row[k] for k in FIELDS} for row in csv.DictReader(f)]
    fresh = build()
    changed = [(old["source"], old["label"], new["label"]) for old, new in zip(committed, fresh) if old != new]
    assert len(committed) == len(fresh) and not changed, (
        f"{Path(OUT).name} is stale ({len(committed)} rows committed, {len(fresh)} built; first changes {changed[:5]}):"
        " run PYTHONPATH=$PWD .venv/bin/python scripts/request_data.py and retrain")
