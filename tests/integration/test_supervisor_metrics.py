"""The supervisor's "are we OK right now?" figures (issue 14 "Supervisors") through the real
agent API, on tickets seeded at known times (tests/integration/supervisor_seed.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


def elapsed_s(servers) -> float:
    return (datetime.now(timezone.utc) - servers.seeded_at).total_seconds()


def test_right_now_three_waiting_the_longest_42_minutes_two_of_them_past_their_sla(supervisor_servers):
    token = supervisor_servers.login("alice", "pass-word-1")
    m = supervisor_servers.api("GET", "/metrics", token).json()
    assert m["waiting_count"] == 3
    assert 42 * 60 <= m["longest_wait_s"] <= 42 * 60 + elapsed_s(supervisor_servers) + 1
    assert m["waiting_over_sla"] == 2 and m["waiting_over_sla_rate"] == 0.6667
    assert m["with_agent_count"] == 1
    # people still waiting, by how long they have waited: 3, 20 and 42 minutes
    assert [(b["from_s"], b["to_s"], b["count"]) for b in m["waiting_histogram"]] == [
        (0, 60, 0), (60, 300, 1), (300, 900, 0), (900, 1800, 1), (1800, 3600, 1), (3600, 14400, 0), (14400, None, 0)]
    assert m["agents_online"] == 1  # alice, who just asked (agent1 and agent2 never logged in)


def test_the_last_24_hours_breaches_abandonment_reasons_with_labels_and_agents(supervisor_servers):
    m = supervisor_servers.api("GET", "/metrics", supervisor_servers.login("alice", "pass-word-1")).json()
    assert m["period_s"] == 24 * 3600
    assert m["escalations_total"] == 8
    assert m["escalations_by_reason"] == {"customer_request": 3, "negative_emotion": 2, "complex_intent": 1,
                                          "nlu_failure": 1, "no_input": 1}
    # S1, S2 still waiting past the SLA; D3 claimed 10 min after a 1 min SLA; X1 hung up after 4 min
    assert m["sla_breaches"] == 4 and m["sla_breach_rate"] == 0.5
    assert m["abandoned"] == 1 and m["abandonment_rate"] == 0.125
    assert m["average_wait_s"] == 258.0  # (300 + 120 + 30 + 600 + 240) / 5 that stopped waiting
    assert m["reason_labels"]["customer_request"] == {"en": "Asked for a person", "zh": "要求转人工"}
    assert m["reason_labels"]["no_input"]["zh"] == "电话中无有效回应"
    assert m["agents"] == [
        {"username": "agent1", "display_name": "Agent 1", "online": False, "handled": 2,
         "average_handle_s": 450.0, "csat_average": 4.0, "csat_count": 2},
        {"username": "agent2", "display_name": "Agent 2", "online": False, "handled": 1,
         "average_handle_s": 900.0, "csat_average": 4.0, "csat_count": 1},
    ]
    assert m["handled_total"] == 3 and m["average_handle_s"] == 600.0
    assert m["csat_average"] == 4.0 and m["csat_count"] == 3


def test_a_chosen_period_counts_what_the_day_leaves_out_and_keeps_the_right_now_figures(supervisor_servers):
    token = supervisor_servers.login("alice", "pass-word-1")
    week = supervisor_servers.api("GET", "/metrics", token, params={
        "since": (supervisor_servers.seeded_at - timedelta(days=7)).isoformat().replace("+00:00", "Z")}).json()
    assert week["escalations_total"] == 9 and week["escalations_by_reason"]["customer_request"] == 4
    agent2 = [a for a in week["agents"] if a["username"] == "agent2"][0]
    assert agent2["handled"] == 2 and agent2["csat_average"] == 2.5 and agent2["average_handle_s"] == 1050.0
    assert week["waiting_count"] == 3 and week["waiting_over_sla"] == 2
    hour = supervisor_servers.api("GET", "/metrics", token, params={
        "since": (supervisor_servers.seeded_at - timedelta(minutes=45)).isoformat()}).json()
    assert hour["escalations_total"] == 4  # S1, S2, S3 and H1; X1 came 50 minutes ago
    # of those closed in it: D3 (closed 35 minutes ago); D1 and D2 closed earlier
    assert [(a["username"], a["handled"]) for a in hour["agents"]] == [("agent2", 1)]
    assert hour["handled_total"] == 1 and hour["average_handle_s"] == 900.0
    assert hour["sla_breach_rate"] == 0.5 and hour["abandoned"] == 0


def test_a_plain_agent_is_refused_the_new_figures_too(supervisor_servers):
    refused = supervisor_servers.api("GET", "/metrics", supervisor_servers.login("agent1", "pass-word-1"))
    assert refused.status_code == 403 and "waiting_over_sla_rate" not in refused.text
