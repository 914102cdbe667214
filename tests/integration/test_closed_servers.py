"""Closed servers (issue 10): Rasa's API, the action server and the REST channel
refuse callers without their secrets; REST cannot reach other channels'
conversations; bad REST input gets a 4xx, never a 5xx (real servers)."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.rows import RowsUnitOfWork
from tests.conftest import PROJECT_ROOT
from tests.integration.conftest import free_port, make_run
from tests.integration.test_customers import texts, token
from tests.integration.webchat_client import conversation_of, ChatClient

PHONE = "+447700900321"


def user_events(servers, sender) -> list[dict]:
    return [e for e in servers.tracker(sender)["events"] or [] if e.get("event") == "user"]


def identities_of(conversation_id: str) -> list:
    from sqlalchemy import select

    from bot.storage.db import CustomerIdentityRow

    with RowsUnitOfWork() as uow:
        return list(uow.execute(
            select(CustomerIdentityRow).where(CustomerIdentityRow.value == conversation_id)).scalars())


# --- Rasa's HTTP API ------------------------------------------------------------------

def test_rasa_api_needs_the_token(servers):
    servers.say("closed-api", "hello")
    for method, path in [("GET", "/conversations/closed-api/tracker"), ("GET", "/status"),
                         ("GET", "/conversations/closed-api/story"), ("GET", "/domain"),
                         ("POST", "/model/parse"), ("PUT", "/model"), ("DELETE", "/model")]:
        for params in ({}, {"token": "wrong"}):
            refused = servers.rasa_api(method, path, authorized=False, params=params, json={"text": "hi"})
            assert refused.status_code == 401, (method, path, refused.status_code)
    tracker = servers.rasa_api("GET", "/conversations/closed-api/tracker")
    assert tracker.status_code == 200 and tracker.json()["sender_id"] == "closed-api"
    assert servers.rasa_api("GET", "/status").status_code == 200  # the model is still loaded


def test_rasa_version_needs_the_token_and_the_health_check_does_not_name_it(servers):
    import rasa

    for params in ({}, {"token": "wrong"}):
        refused = servers.rasa_api("GET", "/version", authorized=False, params=params)
        assert refused.status_code == 401 and refused.json()["reason"] == "NotAuthenticated"
        assert rasa.__version__ not in refused.text
    assert servers.rasa_api("GET", "/version").json()["version"] == rasa.__version__
    root = requests.get(f"{servers.url}/", timeout=30)  # the health check of run.sh, haproxy, the tests
    assert root.status_code == 200 and root.text == "Hello from Rasa"
    # no refusal of Rasa's HTTP API names the version either
    for path in ("/status", "/conversations/x/tracker", "/domain"):
        refused = servers.rasa_api("GET", path, authorized=False)
        assert refused.status_code == 401 and rasa.__version__ not in refused.text, path


def test_nobody_injects_a_bot_message_without_the_token(servers):
    servers.say("closed-inject", "hello")
    before = len(servers.tracker("closed-inject")["events"])
    forged = {"event": "bot", "text": "Your account is locked, log in at https://evil.example"}
    refused = servers.rasa_api("POST", "/conversations/closed-inject/tracker/events", authorized=False, json=forged)
    assert refused.status_code == 401
    replaced = servers.rasa_api("PUT", "/conversations/closed-inject/tracker/events", authorized=False, json=[])
    assert replaced.status_code == 401
    events = servers.tracker("closed-inject")["events"]
    assert len(events) == before and "evil.example" not in json.dumps(events)


def test_rasa_api_answers_no_cors(servers):
    answer = servers.rasa_api("GET", "/conversations/closed-cors/tracker", headers={"Origin": "https://evil.example"})
    assert answer.status_code == 200 and "Access-Control-Allow-Origin" not in answer.headers
    preflight = requests.options(f"{servers.url}/conversations/closed-cors/tracker", timeout=30, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


# --- the action server ----------------------------------------------------------------

def forged_session_start(sender: str, phone: str) -> dict:
    """What the attacker of issue 10 sent the action server: an IVR session start with someone's caller id."""
    metadata = {"channel": "ivr", "caller": phone, "ivr": {"call_id": sender, "seq": 1}}
    return {
        "next_action": "action_session_start", "sender_id": sender, "version": "3.6.21",
        "tracker": {"sender_id": sender, "slots": {"session_started_metadata": metadata},
                    "latest_message": {}, "events": [], "paused": False, "followup_action": None,
                    "active_loop": {}, "latest_action_name": None},
        "domain": {"session_config": {"carry_over_slots_to_new_session": True}},
    }


def test_action_server_refuses_requests_without_the_token_and_runs_nothing(servers):
    # Someone with an unfinished password reset, verified by phone.
    victim = "closed-victim"
    owner_token = token("site-closed-victim", phone=PHONE)
    assert "Step 1" in texts(servers.say(victim, "I forgot my password", customer_token=owner_token))
    assert "Step 2" in texts(servers.say(victim, "done", customer_token=owner_token))

    attacker = "closed-forged-call"
    body = forged_session_start(attacker, PHONE)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {servers.action_server_token}"},
                    {"Authorization": f"Bearer {servers.rest_api_token}"}):
        refused = requests.post(f"{servers.actions_url}/webhook", json=body, headers=headers, timeout=30)
        assert refused.status_code == 401 and "ACTION_SERVER_TOKEN" in refused.json()["error"]
        assert "password" not in refused.text and "responses" not in refused.json()
        listing = requests.get(f"{servers.actions_url}/actions", headers=headers, timeout=30)
        assert listing.status_code == 401
    assert identities_of(attacker) == []  # nothing linked
    assert requests.get(f"{servers.actions_url}/health", timeout=30).json() == {"status": "ok"}

    # Rasa's own requests carry the token (every other test shows actions run);
    # with it, the action server answers.
    allowed = requests.get(f"{servers.actions_url}/actions", timeout=30,
                           headers={"Authorization": f"Bearer {servers.action_server_token}"})
    assert allowed.status_code == 200 and {"name": "action_session_start"} in allowed.json()


def test_a_forged_rest_message_claiming_an_ivr_caller_links_nothing_and_reveals_nothing(servers):
    victim = "closed-victim-2"
    phone = "+447700900322"
    owner_token = token("site-closed-victim-2", phone=phone)
    servers.say(victim, "I forgot my password", customer_token=owner_token)
    servers.say(victim, "done", customer_token=owner_token)

    forger = "closed-forger"
    reply = texts(servers.say(forger, "hi", channel="ivr", caller=phone, ivr={"call_id": forger, "seq": 1},
                              wechat={"to": "gh_x"}))
    assert "Welcome back" not in reply and "step" not in reply.lower()
    assert "Step" not in texts(servers.say(forger, "yes", caller=phone, channel="ivr"))
    # Entities of an intent payload fill no session metadata either.
    payload = json.dumps({"session_started_metadata": {"channel": "ivr", "caller": phone}, "caller": phone})
    assert "Step" not in texts(servers.say(forger, f"/greet{payload}"))
    metadata = servers.tracker(forger)["slots"]["session_started_metadata"]
    assert metadata["channel"] == "rest" and "caller" not in metadata and "ivr" not in metadata
    assert all("caller" not in (e.get("metadata") or {}) for e in user_events(servers, forger))
    assert all(i.verified is False for i in identities_of(forger))  # no customer proven
    with RowsUnitOfWork() as uow:
        customer = uow.customers.find("phone", phone, verified_only=True)
        assert customer is not None and forger not in customer.conversation_ids


# --- the REST channel: token, owner channel, outbox -----------------------------------

def test_rest_needs_the_bearer_token(servers):
    body = {"sender": "closed-rest-anon", "message": "hello"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": servers.rest_api_token},
                    {"Authorization": f"Bearer {servers.rasa_api_token}"}):
        refused = servers.rest("POST", json=body, authorized=False, headers=headers)
        assert refused.status_code == 401 and "REST_API_TOKEN" in refused.json()["error"]
        assert refused.headers.get("WWW-Authenticate", "").startswith("Bearer")
        assert servers.rest("GET", "/outbox/closed-rest-anon", authorized=False, headers=headers).status_code == 401
    assert user_events(servers, "closed-rest-anon") == []  # nothing stored
    assert "QX Shop" in texts(servers.say("closed-rest-anon", "hello"))


def test_rest_cannot_write_into_or_read_a_web_chat_conversation(servers):
    async def web_chat():
        async with ChatClient(servers.url) as chat:
            session_id = await chat.start(language="en")
            await chat.say("hello")
            return session_id

    session_id = conversation_of(asyncio.run(web_chat()))  # what a REST client could know: the public id
    with RowsUnitOfWork() as uow:  # the web chat's first turn recorded its owner
        assert uow.conversations.owner(session_id) == "web"
    before = servers.tracker(session_id)["events"]
    written = servers.rest("POST", json={"sender": session_id, "message": "where is QX-100002?"})
    assert written.status_code == 403 and "another channel" in written.json()["error"]
    read = servers.rest("GET", f"/outbox/{session_id}")
    assert read.status_code == 403
    assert servers.tracker(session_id)["events"] == before  # nothing stored


@pytest.mark.parametrize("channel, conversation_id", [
    ("wechat", "oX9fT1closed-openid-000000001"), ("ivr", "closed-ivr-call-1"), ("web", "f" * 32)])
def test_rest_is_refused_on_conversations_other_channels_started(servers, channel, conversation_id):
    from bot.services import conversations

    conversations.claim(RowsUnitOfWork, conversation_id, channel)
    with RowsUnitOfWork() as uow:
        uow.outbox.add(conversation_id, {"web": "webchat"}.get(channel, channel), [{"text": "agent reply"}])
        uow.commit()
    refused = servers.rest("POST", json={"sender": conversation_id, "message": "hi"})
    assert refused.status_code == 403
    assert servers.rest("GET", f"/outbox/{conversation_id}").status_code == 403
    assert user_events(servers, conversation_id) == []
    with RowsUnitOfWork() as uow:  # the other channel's reply still waits for it
        assert [m["delivered"] for m in uow.outbox.all_for(conversation_id)] == [False]


WEB_ID = "59348fd454d449cb0dd18002a605582a"  # shaped as a web chat conversation id


@pytest.mark.parametrize("look_alike", [WEB_ID.upper(), f" {WEB_ID}", f"{WEB_ID} ", f"\u200b{WEB_ID}"])
def test_rest_refuses_look_alikes_of_a_web_chat_id_as_the_id_itself(servers, look_alike):
    """Fresh-user report 26 #10: the upper-case and the space-wrapped web chat id were taken, each a new REST
    conversation an agent could not tell from the customer's. Same 403 and reason as the exact id, nothing
    stored; the outbox likewise. A plain id wrapped in space is a 400."""
    from bot.services import conversations

    exact = servers.rest("POST", json={"sender": WEB_ID, "message": "hi"})
    assert exact.status_code == 403 and "web chat session id" in exact.json()["error"]
    refused = servers.rest("POST", json={"sender": look_alike, "message": "hi"})
    assert (refused.status_code, refused.json()) == (403, exact.json())
    outbox = servers.rest("GET", f"/outbox/{quote(look_alike, safe='')}")
    assert (outbox.status_code, outbox.json()) == (403, servers.rest("GET", f"/outbox/{WEB_ID}").json())
    assert conversations.owner(RowsUnitOfWork, look_alike) is None  # no REST conversation made
    assert user_events(servers, quote(look_alike, safe="")) == []
    spaced = servers.rest("POST", json={"sender": "closed-alice ", "message": "hi"})
    assert spaced.status_code == 400 and "white space" in spaced.json()["error"]
    assert user_events(servers, "closed-alice") == []


@pytest.fixture(scope="module")
def supervisor(servers):
    return servers.login("alice", "pass-word-1")  # an agent online: tickets are queued


@pytest.mark.parametrize("sender", ["客户-1", "a/b+c=", "closed plain id"])
def test_outbox_and_webhook_hand_over_agent_replies_for_ids_needing_url_encoding(servers, supervisor, sender):
    assert "queue" in texts(servers.say(sender, "I want to talk to a human"))
    [ticket] = servers.api("GET", "/tickets", supervisor, params={"conversation_id": sender}).json()
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", supervisor).status_code == 200
    sent = servers.api("POST", f"/tickets/{ticket['ticket_id']}/messages", supervisor, json={"text": "first reply"})
    assert sent.status_code == 200

    waiting = servers.outbox(sender)  # URL-encoded by the helper
    assert "first reply" in texts(waiting) and all(m["recipient_id"] == sender for m in waiting)
    assert servers.outbox(sender) == []  # handed over once

    servers.api("POST", f"/tickets/{ticket['ticket_id']}/messages", supervisor, json={"text": "second reply"})
    assert "second reply" in texts(servers.say(sender, "thanks"))
    # The conversation is REST's; a raw (unencoded) slash reaches the same id.
    if "/" in sender:
        servers.api("POST", f"/tickets/{ticket['ticket_id']}/messages", supervisor, json={"text": "third reply"})
        raw = servers.rest("GET", f"/outbox/{sender}")
        assert raw.status_code == 200 and "third reply" in texts(raw.json())
    servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", supervisor, json={"disposition": "resolved"})


# --- bad REST input: 4xx with a reason, never 5xx -------------------------------------

BAD_BODIES = {
    "empty message": (json.dumps({"sender": "closed-bad", "message": ""}), 400),
    "whitespace message": (json.dumps({"sender": "closed-bad", "message": " \n\t "}), 400),
    "lone surrogate": ('{"sender": "closed-bad", "message": "\\ud800"}', 400),
    "list body": (json.dumps([{"sender": "closed-bad", "message": "hi"}]), 400),
    "deeply nested": ("[" * 10_000 + "]" * 10_000, 400),
    "deeply nested metadata": (json.dumps({"sender": "closed-bad", "message": "hi",
                                           "metadata": json.loads("[" * 900 + "]" * 900)}), 400),
    "megabytes of metadata": (json.dumps({"sender": "closed-bad", "message": "hi",
                                          "metadata": {"blob": "x" * 3_000_000}}), 413),
    "metadata just over the cap": (json.dumps({"sender": "closed-bad", "message": "hi",
                                               "metadata": {"blob": "x" * 17_000}}), 413),
    "numeric sender": (json.dumps({"sender": 12345, "message": "hi"}), 400),
    "object sender": (json.dumps({"sender": {"id": 1}, "message": "hi"}), 400),
    "over-long sender": (json.dumps({"sender": "s" * 10_000, "message": "hi"}), 400),
    "NUL in message": (json.dumps({"sender": "closed-bad", "message": "hi\u0000there"}), 400),
    "not UTF-8": (b'{"sender": "closed-bad", "message": "\xff\xfe"}', 400),
    "NaN in metadata": ('{"sender": "closed-bad", "message": "hi", "metadata": {"x": NaN}}', 400),
    "Infinity in metadata": ('{"sender": "closed-bad", "message": "hi", "metadata": {"x": -Infinity}}', 400),
    "number out of range": ('{"sender": "closed-bad", "message": "hi", "metadata": {"x": 1e999}}', 400),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_rest_input_gets_a_4xx_with_a_reason(servers, case):
    data, status = BAD_BODIES[case]
    answer = servers.rest("POST", data=data, headers={"Content-Type": "application/json"})
    assert answer.status_code == status, (case, answer.status_code, answer.text[:200])
    assert answer.json()["error"]
    assert user_events(servers, "closed-bad") == []  # nothing stored
    assert "QX Shop" in texts(servers.say("closed-after-bad", "hello"))  # still serving


def test_bad_outbox_ids_get_a_4xx(servers):
    assert servers.rest("GET", "/outbox/%ff%fe").status_code == 400  # not UTF-8
    assert servers.rest("GET", "/outbox/" + "s" * 200).status_code == 400
    assert servers.rest("GET", "/outbox/a%0Ab").status_code == 400  # a control character


def test_a_chunked_body_over_the_cap_is_refused(servers):
    def chunks():
        yield b'{"sender": "closed-bad", "message": "hi", "metadata": {"blob": "'
        for _ in range(200):
            yield b"x" * 10_000
        yield b'"}}'

    answer = servers.rest("POST", data=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and "larger than" in answer.json()["error"]


# --- a REST channel without REST_API_TOKEN --------------------------------------------

REST_ONLY_APP = """
import sys
from sanic import Sanic
from connectors.rest import RestInput
app = Sanic("rest_without_token")
async def on_new_message(message):
    raise AssertionError("no message may reach Rasa")
app.blueprint(RestInput.from_credentials(None).blueprint(on_new_message), url_prefix="/webhooks/rest")
app.run("127.0.0.1", int(sys.argv[1]), access_log=False)
"""


def test_rest_is_off_until_rest_api_token_is_set(tmp_path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "REST_API_TOKEN": "",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
    log = tmp_path / "rest.log"
    process = subprocess.Popen([sys.executable, "-c", REST_ONLY_APP, str(port)], cwd=PROJECT_ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/webhooks/rest"
        deadline = time.time() + 120
        while True:
            try:
                requests.get(f"{url}/", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.time() < deadline, log.read_text()[-3000:]
                time.sleep(0.3)
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything"}):
            answer = requests.post(f"{url}/webhook", json={"sender": "x", "message": "hi"}, headers=headers, timeout=10)
            assert answer.status_code == 503 and "REST_API_TOKEN" in answer.json()["error"]
            assert requests.get(f"{url}/outbox/x", headers=headers, timeout=10).status_code == 503
    finally:
        process.terminate()
        process.wait(timeout=20)


# --- scripts/run.sh (make run) --------------------------------------------------------

def listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on ``port`` (from /proc/net/tcp{,6})."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, words))
    return found


def outside_address() -> str | None:
    """An address of this machine other than loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def test_make_run_is_closed_by_default(tmp_path, trained_model):
    # what an earlier run (before the umask) left world-readable
    (tmp_path / "log").mkdir(mode=0o755)
    (tmp_path / "log").chmod(0o755)
    for old in (tmp_path / "log" / "rasa.log", tmp_path / "log" / "rasa.log.1", tmp_path / "bot.db"):
        old.write_bytes(b"")
        old.chmod(0o644)
    cache = PROJECT_ROOT / "var" / "cache"  # jieba's, as a `make train` outside the umask left it (report 26 #11)
    cache.mkdir(parents=True, exist_ok=True)
    cache.chmod(0o755)
    with make_run(tmp_path) as run:
        rasa_port, actions_port, banner = run.rasa_port, run.actions_port, run.banner
        generated = run.generated()
        assert set(generated) == {"RASA_API_TOKEN", "REST_API_TOKEN", "ACTION_SERVER_TOKEN"}, banner[-2000:]
        assert len(set(generated.values())) == 3 and all(len(v) >= 32 for v in generated.values())
        assert "password: " in banner  # the demo login, printed by default

        # The database and the logs are the service user's only: 0600 files, 0700 folders.
        for folder in (tmp_path / "log", tmp_path / "run", PROJECT_ROOT / "var", cache):
            assert mode(folder) == "0o700", folder
        private = [p for p in (*(tmp_path / "log").iterdir(), *(tmp_path / "run").iterdir(), *tmp_path.glob("bot.db*"))
                   if not p.is_socket()]
        assert {p.name for p in private} >= {"rasa.log", "rasa.log.1", "actions.log", "supervisord.log",
                                             "supervisord.conf", "bot.db"}
        assert {p.name: mode(p) for p in private} == {p.name: "0o600" for p in private}

        # The action server listens on loopback only.
        assert listening_addresses(actions_port) == {"127.0.0.1"}
        outside = outside_address()
        if outside is not None:
            with pytest.raises(OSError):
                socket.create_connection((outside, actions_port), timeout=5).close()
        assert requests.get(f"http://127.0.0.1:{actions_port}/actions", timeout=10).status_code == 401

        url = f"http://127.0.0.1:{rasa_port}"
        assert requests.get(f"{url}/conversations/me/tracker", timeout=10).status_code == 401
        assert requests.get(f"{url}/conversations/me/tracker", timeout=10,
                            params={"token": generated["RASA_API_TOKEN"]}).status_code == 200
        preflight = requests.options(f"{url}/conversations/me/tracker", timeout=10, headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        assert "Access-Control-Allow-Origin" not in preflight.headers
        body = {"sender": "run-sh", "message": "where is QX-100002?"}
        assert requests.post(f"{url}/webhooks/rest/webhook", json=body, timeout=60).status_code == 401
        answer = requests.post(f"{url}/webhooks/rest/webhook", json=body, timeout=120,
                               headers={"Authorization": f"Bearer {generated['REST_API_TOKEN']}"})
        assert answer.status_code == 200 and "QX-100002" in texts(answer.json())  # Rasa reached its action server
        # what the servers wrote since (the tracker in the database, its WAL, the logs) is private too
        written = [p for p in (*(tmp_path / "log").iterdir(), *tmp_path.glob("bot.db*")) if not p.is_socket()]
        assert {p.name: mode(p) for p in written} == {p.name: "0o600" for p in written}


def test_make_run_can_keep_the_secrets_out_of_the_banner(tmp_path, trained_model):
    """QUIET_SECRETS=1: the banner (a shared screen, a CI log) shows no secret but the 0600 file holding them."""
    secrets_file = tmp_path / "run" / "secrets.env"
    with make_run(tmp_path, {"QUIET_SECRETS": "1"}) as run:
        assert run.generated() == {} and "password: " not in run.banner
        assert "QUIET_SECRETS=1" in run.banner and str(secrets_file.relative_to(tmp_path)) in run.banner
        assert mode(secrets_file) == "0o600"
        saved = secrets_file.read_text()
        tokens = dict(re.findall(r"^export (RASA_API_TOKEN|REST_API_TOKEN|ACTION_SERVER_TOKEN)=(\S+)$", saved, re.M))
        assert set(tokens) == {"RASA_API_TOKEN", "REST_API_TOKEN", "ACTION_SERVER_TOKEN"}, saved
        assert "password: " in saved
        for secret in tokens.values():
            assert secret not in run.out.read_text()
        url = f"http://127.0.0.1:{run.rasa_port}"
        assert requests.get(f"{url}/conversations/me/tracker", timeout=10,
                            params={"token": tokens["RASA_API_TOKEN"]}).status_code == 200
        run.process.send_signal(signal.SIGTERM)  # as Ctrl-C: run.sh stops and removes the file
        run.process.wait(timeout=60)
    assert not secrets_file.exists()


def test_the_readme_says_when_secrets_env_exists():
    """Fresh-user report 26 #11: the README read as if ``secrets.env`` were always there; run.sh writes it
    with QUIET_SECRETS=1 only, and the README says so where it first names the file (and how else to get
    the tokens into another shell)."""
    script = (PROJECT_ROOT / "scripts" / "run.sh").read_text()
    quiet = script.index('if [ "${QUIET_SECRETS:-0}" = 1 ]; then')
    branch = script[quiet:script.index("\nfi\n", quiet)]
    assert script.count('secrets_file="$RUN_DIR/secrets.env"') == 1 and 'secrets_file="$RUN_DIR/secrets.env"' in branch
    assert 'In another shell:  export' in script
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.index("secrets.env")
    around = readme[first - 700:first + 400]
    assert "which exists only in that mode" in around and "In another shell:  export" in around, around
    assert "a normal `make run` writes them to no file" in around


# --- the action server answers HTTP errors as HTTP errors (review of issue 10) --------------

def test_action_server_answers_a_wrong_method_or_path_with_4xx_json_never_500(servers):
    auth = {"Authorization": f"Bearer {servers.action_server_token}"}
    for method, path, headers, status in (("POST", "/health", {}, 405), ("GET", "/webhook", auth, 405),
                                          ("PUT", "/actions", auth, 405), ("DELETE", "/webhook", auth, 405),
                                          ("GET", "/webhook", {}, 401),
                                          ("GET", "/no/such/path", auth, 404)):
        answer = requests.request(method, f"{servers.actions_url}{path}", headers=headers, timeout=30)
        assert answer.status_code == status, (method, path, answer.status_code, answer.text[:200])
        assert answer.json()["error"] and "request_body" not in answer.json()
    not_json = requests.post(f"{servers.actions_url}/webhook", data=b"notjson", timeout=30,
                             headers={**auth, "Content-Type": "application/json"})
    assert not_json.status_code == 400 and not_json.json()["error"]
    assert requests.get(f"{servers.actions_url}/health", timeout=30).json() == {"status": "ok"}


def test_a_failing_action_call_does_not_echo_the_tracker(servers):
    """rasa-sdk's catch-all answered 500 with the whole tracker (the customer's messages) echoed back."""
    import zlib

    auth = {"Authorization": f"Bearer {servers.action_server_token}", "Content-Type": "application/json"}
    secret = "my card is 4111 1111 1111 1111"
    broken = {"next_action": "action_handoff", "tracker": {"sender_id": "x", "latest_message": {"text": secret},
                                                             "events": "not a list"}, "domain": {}}
    answer = requests.post(f"{servers.actions_url}/webhook", json=broken, headers=auth, timeout=30)
    assert answer.status_code in (400, 500), answer.text[:300]
    assert secret not in answer.text and "request_body" not in answer.json() and answer.json()["error"]
    bad_deflate = requests.post(f"{servers.actions_url}/webhook", data=b"\x00not deflate",
                                headers={**auth, "Content-Encoding": "deflate"}, timeout=30)
    assert bad_deflate.status_code == 400 and "request_body" not in bad_deflate.json()
    good_deflate = requests.post(f"{servers.actions_url}/webhook", data=zlib.compress(b"[1, 2]"),
                                 headers={**auth, "Content-Encoding": "deflate"}, timeout=30)
    assert good_deflate.status_code in (400, 500) and "request_body" not in good_deflate.json()
