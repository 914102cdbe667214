"""One-time codes proving an order's e-mail or phone (bot/customers/otp.py) and the notifier (bot/queue/notifier.py)."""
import re
import socketserver
import threading
from datetime import datetime, timedelta, timezone

import pytest

from bot.customers.evidence import evidence_of
from bot.services.customers import passed_proofs
from bot.storage.db import OrderCodeRow
from bot.queue.notifier import FakeNotifier, Notification, NotifierError, SmtpConfig, SmtpNotifier
from bot.services.notifications import get_notifier
from bot.customers.otp import DEFAULT_LIMITS, ProofLimits, find_code, mask_destination, order_contact
from bot.services.otp import blocked_by, start_proof, submit_code
from tests.rows import RowsUnitOfWork

ORDER = "QX-100005"  # Zhang Wei, zhang.wei@example.com, +8613700002222, processing
EMAIL = "zhang.wei@example.com"


def order(uow, number=ORDER):
    with uow:
        return uow.orders.get(number)


def last_code(to=EMAIL):
    with RowsUnitOfWork() as uow:
        body = uow.notifications.latest(to=to, limit=1)[0].body
    return re.search(r"(?:is|为) (\d{6})\b", body).group(1)  # not the 6 digits of QX-100005


# --- matching the contact and reading the code ------------------------------------------

def test_the_order_contact_matches_whatever_way_it_is_typed(uow):
    zhang = order(uow)
    assert order_contact(zhang, "it's Zhang.Wei@Example.com").status == "sent"
    assert order_contact(zhang, "it's Zhang.Wei@Example.com").channel == "email"
    by_phone = order_contact(zhang, "手机号 137 0000 2222")
    assert (by_phone.status, by_phone.channel, by_phone.destination) == ("sent", "sms", "+8613700002222")
    assert order_contact(zhang, "someone.else@example.com").status == "mismatch"
    assert order_contact(zhang, "+8613700002223").status == "mismatch"
    assert order_contact(zhang, "I don't remember").status == "no_contact"
    # One contact per attempt: a list of guesses is not evaluated at all.
    assert order_contact(zhang, f"{EMAIL} or +8613700002222").status == "ambiguous"


@pytest.mark.parametrize("text, code", [
    ("123456", "123456"), ("the code is 123 456", "123456"), ("验证码１２３４５６", "123456"),
    ("12345", None), ("1234567", None), ("123456 and 654321", None), ("", None),
])
def test_find_code(text, code):
    assert find_code(text) == code


def test_masked_destinations_show_enough_to_recognise():
    assert mask_destination("email", "zhang.wei@example.com") == "z***@example.com"
    assert mask_destination("sms", "+8613700002222") == "•••• 2222"


# --- sending and checking codes ---------------------------------------------------------

def test_a_code_goes_through_the_fake_notifier_and_only_its_hash_is_stored(uow):
    step = start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-1", order(uow), EMAIL, "zh")
    assert (step.status, step.destination, step.channel) == ("sent", "z***@example.com", "email")
    code = last_code()
    with RowsUnitOfWork() as uow2:
        [sent] = uow2.notifications.latest(to=EMAIL)
        [row] = uow2.rows(OrderCodeRow)
        assert sent.channel == "email" and sent.transport == "fake" and "QX-100005" in sent.body
        assert "验证码" in sent.body  # in the conversation's language
        assert code not in (row.code_hash, row.salt) and len(row.code_hash) == 64
        assert (row.state, row.destination, row.tries) == ("active", EMAIL, 0)
        assert (row.expires_at.replace(tzinfo=timezone.utc) - row.created_at.replace(tzinfo=timezone.utc)) == \
            timedelta(minutes=10)
    assert submit_code(RowsUnitOfWork, "conv-1", ORDER, f"the code is {code}").status == "passed"
    # Used once: the same code again finds no active code.
    assert submit_code(RowsUnitOfWork, "conv-1", ORDER, code).status == "no_code"


def test_a_code_is_bound_to_its_conversation(uow):
    start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-owner", order(uow), EMAIL)
    assert submit_code(RowsUnitOfWork, "conv-thief", ORDER, last_code()).status == "no_code"


def test_three_wrong_tries_kill_the_code(uow):
    start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-2", order(uow), EMAIL)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    first = submit_code(RowsUnitOfWork, "conv-2", ORDER, wrong)
    assert (first.status, first.tries_left) == ("wrong", 2)
    assert submit_code(RowsUnitOfWork, "conv-2", ORDER, wrong).tries_left == 1
    assert submit_code(RowsUnitOfWork, "conv-2", ORDER, wrong).status == "exhausted"
    assert submit_code(RowsUnitOfWork, "conv-2", ORDER, code).status == "no_code"  # even the right one


def test_a_code_expires_after_ten_minutes(uow):
    now = datetime.now(timezone.utc)
    start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-3", order(uow), EMAIL, now=now)
    later = now + timedelta(minutes=10, seconds=1)
    assert submit_code(RowsUnitOfWork, "conv-3", ORDER, last_code(), now=later).status == "expired"


def test_one_active_code_per_conversation_and_order(uow):
    start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-4", order(uow), EMAIL)
    first = last_code()
    start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-4", order(uow), "+8613700002222")
    second = last_code("+8613700002222")
    with RowsUnitOfWork() as uow2:
        states = sorted(r.state for r in uow2.rows(OrderCodeRow, conversation_id="conv-4"))
    assert states == ["active", "replaced"]
    if first != second:
        assert submit_code(RowsUnitOfWork, "conv-4", ORDER, first).status == "wrong"
    assert submit_code(RowsUnitOfWork, "conv-4", ORDER, second).status == "passed"


def test_a_code_that_cannot_be_sent_is_cancelled(uow):
    class Down:
        def send(self, notification):
            raise NotifierError("SMTP down")

    assert start_proof(RowsUnitOfWork, Down(), "conv-5", order(uow), EMAIL).status == "send_failed"
    with RowsUnitOfWork() as uow2:
        assert [r.state for r in uow2.rows(OrderCodeRow)] == ["replaced"]


def test_a_remote_notifier_sends_in_the_background_so_the_answer_does_not_wait_for_it(uow):
    """helper-211 (session 45): with SMTP, the order's own e-mail took an SMTP session longer to answer than a wrong
    one (1.1 s against 0.05 s), telling a stranger who owns the order. The answer no longer waits for the send."""
    import threading

    from bot.services.otp import drain_sends

    release, sent_on = threading.Event(), []

    class Remote(FakeNotifier):
        remote = True

        def send(self, notification):
            assert release.wait(10), "the test never released the send"
            sent_on.append(threading.current_thread().name)
            super().send(notification)

    step = start_proof(RowsUnitOfWork, Remote(RowsUnitOfWork), "conv-remote", order(uow), EMAIL)
    assert step.status == "sent" and not sent_on  # answered while the send still waits
    release.set()
    assert drain_sends(10)
    assert sent_on and sent_on[0].startswith("otp_send")
    assert submit_code(RowsUnitOfWork, "conv-remote", ORDER, last_code()).status == "passed"


def test_a_remote_send_that_fails_answers_as_a_decoy_does_and_cancels_the_code(uow):
    from bot.services.otp import drain_sends

    class RemoteDown:
        remote = True

        def send(self, notification):
            raise NotifierError("SMTP down")

    assert start_proof(RowsUnitOfWork, RemoteDown(), "conv-remote-down", order(uow), EMAIL).status == "sent"
    assert drain_sends(10)
    with RowsUnitOfWork() as uow2:
        assert [r.state for r in uow2.rows(OrderCodeRow, conversation_id="conv-remote-down")] == ["replaced"]


def test_a_failed_send_cancels_its_own_code_not_a_newer_one(uow):
    """helper-212 (session 45): the first SMTP send hung, the customer asked for a new code, the first send then
    failed and cancelled the new code, which was delivered but answered ``no_code``."""
    import threading

    from bot.services.otp import drain_sends

    release, calls = threading.Event(), []

    class FlakyRemote(FakeNotifier):
        remote = True

        def send(self, notification):
            calls.append(notification)
            if len(calls) == 1:
                assert release.wait(10)
                raise NotifierError("SMTP timed out")
            super().send(notification)

    now = datetime.now(timezone.utc)
    notifier = FlakyRemote(RowsUnitOfWork)
    assert start_proof(RowsUnitOfWork, notifier, "conv-flaky", order(uow), EMAIL, now=now).status == "sent"
    assert start_proof(RowsUnitOfWork, notifier, "conv-flaky", order(uow), EMAIL,
                       now=now + timedelta(seconds=30)).status == "sent"
    release.set()
    assert drain_sends(10)
    assert submit_code(RowsUnitOfWork, "conv-flaky", ORDER, last_code(), now=now + timedelta(seconds=40)).status == "passed"


# --- limits on failed proofs --------------------------------------------------------------

def wrong_code(code):
    return f"{(int(code) + 1) % 10 ** 6:06d}"


def test_a_guess_gets_the_owners_answer_but_no_code_and_can_never_pass(uow):
    zhang = order(uow)
    guess = start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-guess", zhang, "Zhang.W@Example.com")
    owner = start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-own", zhang, EMAIL)
    # The same shape of answer: the masked contact as typed, nothing about the match.
    assert (guess.status, guess.destination, guess.channel) == ("sent", "z***@example.com", "email")
    assert (owner.status, owner.destination, owner.channel) == ("sent", "z***@example.com", "email")
    with RowsUnitOfWork() as uow2:
        assert [n.to for n in uow2.notifications.latest()] == [EMAIL]  # only the owner's code went out
        [decoy] = uow2.rows(OrderCodeRow, conversation_id="conv-guess")
        assert (decoy.channel, decoy.destination, decoy.code_hash) == ("none", "", "")  # the guess is not kept
    by_phone = start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-guess-2", zhang, "+86 137 0000 9999")
    assert (by_phone.status, by_phone.destination, by_phone.channel) == ("sent", "•••• 9999", "sms")
    # Tries on the decoy answer exactly as on a real code, and even the owner's code does not pass.
    code = last_code()
    assert submit_code(RowsUnitOfWork, "conv-guess", ORDER, wrong_code(code)) == \
        submit_code(RowsUnitOfWork, "conv-own", ORDER, wrong_code(code))
    assert submit_code(RowsUnitOfWork, "conv-guess", ORDER, code).status == "wrong"
    assert submit_code(RowsUnitOfWork, "conv-guess", ORDER, code).status == "exhausted"
    assert submit_code(RowsUnitOfWork, "conv-own", ORDER, code).status == "passed"


def test_six_senders_guessing_once_each_on_one_order_are_stopped(uow):
    zhang = order(uow)
    answers = [start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), f"guess-{i}", zhang, f"guess{i}@example.com")
               for i in range(6)]
    # Each learns nothing (the answer any contact gets) and gets no code: no code exists that could pass.
    assert {(a.status, a.destination) for a in answers} == {("sent", "g***@example.com")}
    for i in range(6):
        assert submit_code(RowsUnitOfWork, f"guess-{i}", ORDER, "123456").status == "wrong"
    with RowsUnitOfWork() as uow2:
        assert uow2.notifications.latest() == []
        assert len(uow2.rows(OrderCodeRow, state="passed")) == 0
        # Their guesses count against their own conversations only.
        assert blocked_by(uow2, "someone-new", ORDER) is None


def test_strangers_guessing_do_not_lock_the_owner_out(uow):
    zhang = order(uow)
    for i in range(8):  # eight conversations, each a wrong contact and three wrong codes
        start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), f"stranger-{i}", zhang, f"guess{i}@example.com")
        for _ in range(3):
            submit_code(RowsUnitOfWork, f"stranger-{i}", ORDER, "000000")
    with RowsUnitOfWork() as uow2:
        assert blocked_by(uow2, "stranger-0", ORDER) is None  # 4 attempts of 5
    assert start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "stranger-0", zhang, "again@example.com").status == "sent"
    with RowsUnitOfWork() as uow2:
        assert blocked_by(uow2, "stranger-0", ORDER) == "conversation"  # told to stop in its own conversation
    owner = start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "owner", zhang, EMAIL)
    assert owner.status == "sent"
    assert submit_code(RowsUnitOfWork, "owner", ORDER, last_code()).status == "passed"


def test_wrong_codes_against_real_codes_still_block_the_order(uow):
    zhang = order(uow)
    limits = ProofLimits(max_failures_per_order=3)
    for conversation in ("knows-1", "knows-2"):  # someone who knows the contact tries codes
        start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), conversation, zhang, EMAIL, limits=limits)
        code = last_code()
        submit_code(RowsUnitOfWork, conversation, ORDER, wrong_code(code), limits=limits)
        submit_code(RowsUnitOfWork, conversation, ORDER, wrong_code(code), limits=limits)
    step = start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "knows-3", zhang, EMAIL, limits=limits)
    assert (step.status, step.blocked_by) == ("blocked", "order")
    with RowsUnitOfWork() as uow2:
        assert blocked_by(uow2, "someone-new", "QX-100001", limits=limits) is None  # other orders are not affected


def test_one_sender_trying_many_orders_is_stopped(uow):
    for number in ("QX-100001", "QX-100005", "QX-100001", "QX-100005", "QX-100001"):
        start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "prober", order(uow, number), "nobody@example.com")
    step = start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "prober", order(uow, "QX-100002"), "li.na@example.com")
    assert (step.status, step.blocked_by) == ("blocked", "conversation")


def test_attempts_older_than_the_window_do_not_count(uow):
    then = datetime.now(timezone.utc) - timedelta(hours=2)
    for i in range(5):
        start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "old", order(uow), f"x{i}@example.com", now=then)
    assert start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "old", order(uow), EMAIL).status == "sent"
    assert submit_code(RowsUnitOfWork, "old", ORDER, last_code()).status == "passed"


def test_wrong_codes_count_as_failed_proofs(uow):
    limits = ProofLimits(max_tries=10, max_failures_per_conversation=3)  # the contact given is the first
    start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-6", order(uow), EMAIL, limits=limits)
    assert submit_code(RowsUnitOfWork, "conv-6", ORDER, "000000" if last_code() != "000000" else "111111",
                       limits=limits).status == "wrong"
    blocked = submit_code(RowsUnitOfWork, "conv-6", ORDER, "000001" if last_code() != "000001" else "111112",
                          limits=limits)
    assert (blocked.status, blocked.blocked_by) == ("blocked", "conversation")
    assert submit_code(RowsUnitOfWork, "conv-6", ORDER, last_code(), limits=limits).status == "blocked"


def test_codes_sent_per_order_are_limited(uow):
    limits = ProofLimits(max_codes_per_order=2)
    for conversation in ("a", "b"):
        assert start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), conversation, order(uow), EMAIL,
                           limits=limits).status == "sent"
    # Past the cap the right contact gets the answer any contact gets, and no code:
    # "blocked" here would tell a guesser the contact was right.
    assert start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "c", order(uow), EMAIL, limits=limits).status == "sent"
    with RowsUnitOfWork() as uow2:
        assert len(uow2.notifications.latest(to=EMAIL)) == 2
    assert submit_code(RowsUnitOfWork, "c", ORDER, last_code(), limits=limits).status == "wrong"


# --- a passed code is evidence -------------------------------------------------------------

def test_a_passed_code_is_the_order_contact_fact_and_typing_is_not(uow):
    typed = [{"event": "user", "text": f"{ORDER} {EMAIL}", "input_channel": "rest", "metadata": {},
              "parse_data": {"entities": [{"entity": "order_number", "value": ORDER},
                                          {"entity": "email", "value": EMAIL}]}}]
    with RowsUnitOfWork() as uow2:
        assert evidence_of("conv-7", "rest", typed, passed_proofs(uow2, "conv-7")).facts == []
    start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-7", order(uow), EMAIL)
    submit_code(RowsUnitOfWork, "conv-7", ORDER, last_code())
    with RowsUnitOfWork() as uow2:
        evidence = evidence_of("conv-7", "rest", typed, passed_proofs(uow2, "conv-7"))
        later = passed_proofs(uow2, "conv-7", now=datetime.now(timezone.utc) + DEFAULT_LIMITS.proof_ttl
                              + timedelta(minutes=1))
    assert [(f.kind, f.value, f.source) for f in evidence.facts] == [("email", EMAIL, "order_contact")]
    assert evidence.verification == "order_contact" and evidence.display_name == "Zhang Wei"
    assert later == []


# --- the notifier ---------------------------------------------------------------------------

class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: records the envelope and data."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        envelope = {"rcpt": []}
        while True:
            line = self.rfile.readline().decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-test\r\n250 AUTH PLAIN\r\n")
            elif verb == "AUTH":
                envelope["auth"] = line
                self.wfile.write(b"235 ok\r\n")
            elif verb == "MAIL":
                envelope["from"] = line
                self.wfile.write(b"250 ok\r\n")
            elif verb == "RCPT":
                envelope["rcpt"].append(line)
                self.wfile.write(b"250 ok\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk.decode())
                envelope["data"] = "".join(data)
                self.server.received.append(envelope)
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT" or not line:
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 no\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_smtp_url_is_parsed_and_bad_ones_are_refused():
    config = SmtpConfig.from_url("smtp://shop%40example.com:s3cr%3At@mail.example.com:587?from=help@example.com")
    assert (config.host, config.port, config.username, config.password) == (
        "mail.example.com", 587, "shop@example.com", "s3cr:t")
    assert config.sender == "help@example.com" and config.starttls and not config.implicit_tls
    assert SmtpConfig.from_url("smtps://mail.example.com").port == 465
    for bad in ("http://mail.example.com", "smtp://", "smtp://host:notaport"):
        with pytest.raises(ValueError):
            SmtpConfig.from_url(bad)


def test_without_smtp_url_the_fake_is_used(database_url, monkeypatch):
    monkeypatch.delenv("SMTP_URL", raising=False)
    assert isinstance(get_notifier(), FakeNotifier)
    monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1:2525")
    assert isinstance(get_notifier(), SmtpNotifier)


def test_smtp_sends_the_mail_and_records_it_without_the_body(database_url, smtp_server):
    port = smtp_server.server_address[1]
    notifier = get_notifier(smtp_url=f"smtp://user:pw@127.0.0.1:{port}?from=shop@example.com")
    notifier.send(Notification("email", EMAIL, "Your QX Shop code", "Your code is 424242."))
    [envelope] = smtp_server.received
    assert "shop@example.com" in envelope["from"] and EMAIL in envelope["rcpt"][0]
    assert "Your code is 424242." in envelope["data"] and "Subject: Your QX Shop code" in envelope["data"]
    assert "auth" in envelope
    with RowsUnitOfWork() as uow:
        [recorded] = uow.notifications.latest()
    assert (recorded.transport, recorded.body) == ("smtp", None)  # the code is not kept


def test_sms_goes_to_the_fake_even_with_smtp(database_url, smtp_server):
    notifier = get_notifier(smtp_url=f"smtp://127.0.0.1:{smtp_server.server_address[1]}")
    notifier.send(Notification("sms", "+8613700002222", "code", "Your code is 135790."))
    assert smtp_server.received == []
    with RowsUnitOfWork() as uow:
        [recorded] = uow.notifications.latest(to="+8613700002222")
    assert recorded.transport == "fake" and "135790" in recorded.body


def test_smtp_down_raises_notifier_error(database_url):
    notifier = get_notifier(smtp_url="smtp://127.0.0.1:1")  # nothing listens on port 1
    with pytest.raises(NotifierError):
        notifier.send(Notification("email", EMAIL, "s", "b"))


def test_cli_prints_the_last_code(database_url, uow, capsys):
    from bot.cli import main

    assert main(["last-notification"]) == 1
    start_proof(RowsUnitOfWork, FakeNotifier(RowsUnitOfWork), "conv-cli", order(uow), EMAIL)
    assert main(["last-notification", "--to", EMAIL]) == 0
    assert last_code() in capsys.readouterr().out
