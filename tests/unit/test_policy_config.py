"""escalation.yml is checked at start-up; a mistake names its key."""
import os
import subprocess
import sys

import pytest

from bot.handover.policy import EscalationConfig, EscalationConfigError
from bot.handover.policy_config import validate_config
from tests.conftest import PROJECT_ROOT

GOOD = (PROJECT_ROOT / "escalation.yml").read_text(encoding="utf-8")


def write(tmp_path, text):
    path = tmp_path / "escalation.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_is_valid():
    assert EscalationConfig.load(PROJECT_ROOT / "escalation.yml").raw["triggers"]


@pytest.mark.parametrize("old,new,named", [
    ("    threshold: 0.75", "    treshold: 0.75", "triggers.negative_emotion.treshold"),
    ("  nlu_failure:\n", "  nlu_failur:\n", "triggers.nlu_failur"),
    ("precedence: [customer_request,", "precedence: [customer_requests,", "precedence.0"),
    ("    complex_intent: 3", "    complex_intents: 3", "priority.base"),
    ("  timezone: Asia/Shanghai", "  timezone: Asia/Shanghei", "support_hours.timezone"),
    ('    0: "09:00-18:00"', '    0: "9am-6pm"', "support_hours.weekly"),
    ("estimated_handle_s: 240", "estimated_handle: 240", "estimated_handle"),
])
def test_a_misspelt_key_is_named(tmp_path, old, new, named):
    assert old in GOOD
    with pytest.raises(EscalationConfigError, match=rf"^escalation\.yml: .*{named}"):
        EscalationConfig.load(write(tmp_path, GOOD.replace(old, new, 1)))


def test_a_missing_section_is_named():
    with pytest.raises(EscalationConfigError, match="support_hours: field required"):
        validate_config({"triggers": {}, "priority": {"base": {}}, "sla_target_wait_s": {1: 60}})
    with pytest.raises(EscalationConfigError, match="mapping"):
        validate_config(["not", "a", "mapping"])


def test_a_misspelt_key_stops_the_action_server_at_start_up(tmp_path):
    bad = write(tmp_path, GOOD.replace("    threshold: 0.75", "    treshold: 0.75", 1))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ESCALATION_CONFIG": str(bad),
           "ACTION_SERVER_TOKEN": "t" * 32, "ACTIONS_PORT": "1"}
    done = subprocess.run([sys.executable, "-m", "actions.server"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "triggers.negative_emotion.treshold" in done.stderr


def test_a_misspelt_key_stops_the_handoff_policy_loading(tmp_path, monkeypatch):
    """Rasa loads HandoffPolicy with the model: a bad file makes that load fail. (Rasa's server
    would swallow the error and serve with no model; scripts/rasa_launch.py stops it before:
    tests/integration/test_start_up_config.py.)"""
    from bot.handover.handoff_policy import HandoffPolicy

    bad = write(tmp_path, GOOD.replace("  consecutive_fallbacks: 2", "  consecutive_fallback: 2", 1))
    monkeypatch.setenv("ESCALATION_CONFIG", str(bad))
    with pytest.raises(EscalationConfigError, match="triggers.nlu_failure.consecutive_fallback"):
        HandoffPolicy.load({}, None, None, None)


def test_the_intents_that_carry_a_reason_are_escalation_ymls():
    """Issue 12: which intent carries which reason when a rule runs the hand-over is read from the
    ``intents`` lists of escalation.yml, not from a second table in the code."""
    import yaml

    from bot.handover.policy import DEFAULT_CONFIG, EscalationConfig

    config = EscalationConfig.load()
    assert config.reason_for_intent("request_human") == "customer_request"
    assert config.reason_for_intent("report_fraud") == "complex_intent"
    assert config.reason_for_intent("greet") is None and config.reason_for_intent(None) is None
    raw = yaml.safe_load(open(DEFAULT_CONFIG, encoding="utf-8"))
    raw["triggers"]["complex_intent"]["intents"].append("greet")
    from bot.handover.policy_config import validate_config

    edited = EscalationConfig(validate_config(raw, "escalation.yml"))
    assert edited.reason_for_intent("greet") == "complex_intent"


def test_the_policy_reads_the_typed_model_whose_defaults_fill_what_the_file_leaves_out():
    """Issue 12 review: the rules read ``EscalationConfig.file`` (the validated pydantic model) by
    attribute; a rule the file leaves out, or leaves empty, gets the model's defaults."""
    import yaml

    from bot.handover.policy import DEFAULT_CONFIG, priority, Decision
    from bot.handover.policy_config import EscalationFile, MoodRule

    raw = yaml.safe_load(open(DEFAULT_CONFIG, encoding="utf-8"))
    del raw["triggers"]["customer_request"], raw["estimated_handle_s"], raw["priority"]["lowest"]
    raw["triggers"]["nlu_failure"] = None
    config = EscalationConfig(raw)
    assert isinstance(config.file, EscalationFile)
    assert config.file.triggers.customer_request.accept_offer_intents == ["affirm"]
    assert config.file.triggers.nlu_failure.consecutive_fallbacks == 2
    assert config.file.estimated_handle_s == 240 and config.file.priority.lowest == 5
    # codes are the plain words, so a trigger's code finds its base priority
    assert config.file.precedence[0] == "customer_request" and type(config.file.precedence[0]) is str
    assert priority(Decision("negative_emotion", ""), config) == raw["priority"]["base"]["negative_emotion"]
    # an empty mood rule is no mood trigger (as before); the mood itself follows MoodRule's defaults
    raw["triggers"]["negative_emotion"]["mood"] = {}
    assert EscalationConfig(raw).file.triggers.negative_emotion.mood is None and MoodRule().decay == 0.6
    with pytest.raises(EscalationConfigError, match="triggers.customer_request.intent"):
        EscalationConfig({**raw, "triggers": {**raw["triggers"], "customer_request": {"intent": []}}})


def test_no_rule_reads_escalation_yml_as_a_mapping():
    """Every default is written once, in bot/handover/policy_config.py: nothing in bot/ reads
    ``EscalationConfig.raw`` or looks a rule up by key with its own default."""
    import re

    found = []
    for path in (PROJECT_ROOT / "bot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"config\.(raw|trigger\()\S*", text)]
    assert found == []


@pytest.mark.parametrize("intents,needed,hands_over", [
    (["greet", "nlu_fallback"], 2, False),
    (["nlu_fallback", "out_of_scope"], 2, True),
    (["nlu_fallback", "greet", "nlu_fallback"], 2, False),
    (["nlu_fallback", "nlu_fallback"], 3, False),
    (["greet", "out_of_scope", "nlu_fallback", "nlu_fallback"], 3, True),
    (["greet", "nlu_fallback"], 1, True),
])
def test_consecutive_fallbacks_is_read(tmp_path, intents, needed, hands_over):
    """``triggers.nlu_failure.consecutive_fallbacks`` decides when misses hand over (review of issue 12)."""
    from bot.handover.policy import nlu_failure

    config = EscalationConfig.load(write(tmp_path, GOOD.replace(
        "  consecutive_fallbacks: 2", f"  consecutive_fallbacks: {needed}", 1)))
    decision = nlu_failure(intents, config, "blah")
    assert (decision is not None) == hands_over
    if decision is not None:
        assert decision.code == "nlu_failure" and decision.detail.endswith("last message: blah")


def test_consecutive_fallbacks_must_be_positive(tmp_path):
    with pytest.raises(EscalationConfigError, match="triggers.nlu_failure.consecutive_fallbacks"):
        EscalationConfig.load(write(tmp_path, GOOD.replace("  consecutive_fallbacks: 2", "  consecutive_fallbacks: 0", 1)))
