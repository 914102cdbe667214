"""rev14c #1 through the real servers: a picture check over its CPU budget (PHOTO_CHECK_CPU_S, tiny
here) is ended and answered 413 ``too_complex`` on the customer's and the agent's route, and the next
ordinary photo is accepted (the worker process was replaced: nothing lost or stuck)."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.integration.conftest import run_servers
from tests.integration.test_photos import chat, handed_over, upload
from tests.unit.test_attachments_limits import tiled_lossless_webp


@pytest.fixture(scope="module")
def budget_servers(tmp_path_factory, trained_model):
    yield from run_servers(tmp_path_factory, "photo-budget", {"PHOTO_CHECK_CPU_S": "0.2"})


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return tiled_lossless_webp(side=3000)  # 9 MP: seconds of CPU to re-encode, far over 0.2 s


def test_the_customer_route_answers_too_complex_and_then_accepts_a_normal_photo(budget_servers, bomb):
    session_id = chat(budget_servers, "session", {}).json()["session_id"]
    refused = upload(budget_servers, session_id, bomb, "image/webp")
    assert refused.status_code == 413, refused.text[:300]
    assert refused.json()["error"]["code"] == "too_complex"
    accepted = upload(budget_servers, session_id, small_png())
    assert accepted.status_code == 201, accepted.text[:300]
    assert (accepted.json()["width"], accepted.json()["height"]) == (40, 30)


def test_the_agent_route_answers_too_complex_and_then_sends_a_normal_photo(budget_servers, bomb):
    token = budget_servers.login("agent2", "pass-word-1")
    session_id, ticket_id = handed_over(budget_servers, token)
    assert budget_servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    refused = budget_servers.api("POST", f"/tickets/{ticket_id}/attachments", token, data=bomb)
    assert refused.status_code == 413, refused.text[:300]
    assert refused.json()["code"] == "too_complex"
    sent = budget_servers.api("POST", f"/tickets/{ticket_id}/attachments", token, data=small_png())
    assert sent.status_code == 201, sent.text[:300]
    assert sent.json()["attachment"]["width"] == 40
