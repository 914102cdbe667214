import asyncio
import re
import time

import jwt
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.orders import (
    FLOW_SLOTS, OFFERED, ActionChangeAddress, ActionCheckOrderStatus, ActionDeclineOrderDetails,
    ValidateAddressChangeForm, ValidateOrderProofForm, ValidateOrderStatusForm,
)
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.actions.conftest import run_action, responses

SECRET = "orders-actions-secret-0123456789abcdef"
ALL_SLOTS = ["order_number", "order_contact", "one_time_code", "new_address", "address_change_confirmed"]
EMMA_ADDRESS = "12 Baker Street, London NW1 6XE, UK"  # QX-100001 as seeded


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("WEBCHAT_TOKEN_SECRET", SECRET)
    monkeypatch.delenv("SMTP_URL", raising=False)


def token(**claims):
    return jwt.encode({"sub": "site-emma", "exp": int(time.time()) + 300, **claims}, SECRET, algorithm="HS256")


def tracker(sender, text, intent="inform", channel="rest", metadata=None, slots=None, loop=None,
            requested=None, candidates=None):
    """A rasa-sdk tracker whose latest user message is ``text``; ``candidates``:
    slot events Rasa appended after it (what a form validation action sees)."""
    event = {"event": "user", "text": text, "input_channel": channel, "metadata": metadata or {},
             "timestamp": time.time(), "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9},
                                                      "entities": []}}
    slots = {"language": "en", "requested_slot": requested, **(slots or {})}
    events = [{"event": "slot", "name": k, "value": v} for k, v in slots.items()] + [event]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (candidates or {}).items()]
    return Tracker.from_dict({
        "sender_id": sender, "slots": {**slots, **(candidates or {})},
        "latest_message": {**event["parse_data"], "metadata": metadata or {}},
        "events": events, "paused": False, "followup_action": None,
        "active_loop": {"name": loop} if loop else {}, "latest_action_name": "action_listen",
    })


def required(tracker_):
    return asyncio.run(ValidateAddressChangeForm().required_slots(ALL_SLOTS, None, tracker_, {}))


def last_code(to):
    with SqlAlchemyUnitOfWork() as uow:
        body = uow.notifications.latest(to=to, limit=1)[0].body
    return re.search(r"(?:is|为) (\d{6})\b", body).group(1)


def address_of(number):
    with SqlAlchemyUnitOfWork() as uow:
        return uow.orders.get(number).shipping_address


# --- order status -------------------------------------------------------------------------

def test_the_owner_hears_carrier_tracking_number_and_eta_in_chinese(database_url, dispatcher):
    # Li Na calls from the phone on QX-100002: the IVR caller id proves it.
    call = tracker("ivr-call-lina", "我的订单QX-100002到哪了", "check_order_status", channel="ivr",
                   metadata={"caller": "+8613812345678"}, slots={"language": "zh", "order_number": "QX-100002"})
    assert run_action(ActionCheckOrderStatus(), dispatcher, call, {}) == [SlotSet(OFFERED, False)]
    [message] = dispatcher.messages
    assert message["response"] == "utter_order_status_shipped"
    assert message["order_number"] == "QX-100002"
    assert message["carrier"] == "顺丰速运"  # the carrier's Chinese name in a Chinese reply (issue 14)
    assert message["tracking_number"] == "SF1234567890"
    assert "月" in message["eta"] and "周" in message["eta"]  # date written the Chinese way


def test_carrier_names_follow_the_customers_language():
    from bot.orders.model import carrier_name

    assert carrier_name("SF Express", "zh") == "顺丰速运" and carrier_name("SF  express", "zh") == "顺丰速运"
    assert carrier_name("SF Express", "en") == "SF Express"
    assert carrier_name("Acme Freight", "zh") == "Acme Freight"  # unknown: the stored name
    assert carrier_name(None, "zh") == ""


def test_a_stranger_hears_the_status_only(database_url, tracker_from, dispatcher):
    # ... and is offered the code path for the details.
    assert run_action(ActionCheckOrderStatus(), dispatcher, tracker_from("order_status_shipped_zh"), {}) == [
        SlotSet(OFFERED, True)]
    [message] = dispatcher.messages
    assert message["response"] == "utter_order_status_shipped_public_offer"
    assert set(message) >= {"order_number"} and not {"carrier", "tracking_number", "eta"} & {
        k for k, v in message.items() if v}
    assert "SF1234567890" not in str(message)


def test_a_phone_typed_in_chat_is_not_proof_for_the_status(database_url, dispatcher):
    typed = tracker("rest-typed", "QX-100002 +8613812345678", "check_order_status",
                    slots={"order_number": "QX-100002", "phone": "+8613812345678"})
    typed.events[-1]["parse_data"]["entities"] = [{"entity": "phone", "value": "+8613812345678"}]
    run_action(ActionCheckOrderStatus(), dispatcher, typed, {})
    assert responses(dispatcher) == ["utter_order_status_shipped_public_offer"]


def test_the_code_offered_with_the_status_shows_the_details(database_url, dispatcher):
    sender, form = "rest-details", ValidateOrderProofForm()
    status = tracker(sender, "where is QX-100002?", "check_order_status", slots={"order_number": "QX-100002"})
    assert run_action(ActionCheckOrderStatus(), dispatcher, status, {}) == [SlotSet(OFFERED, True)]
    start = tracker(sender, "yes", "affirm", slots={"order_number": "QX-100002", OFFERED: True},
                    loop="order_proof_form")
    events = asyncio.run(form.run(dispatcher, start, {"forms": {"order_proof_form": {
        "required_slots": ["order_contact", "one_time_code"]}}, "slots": {}}))
    assert SlotSet(OFFERED, False) in events  # the offer is taken
    ask = tracker(sender, "li.na@example.com", slots={"order_number": "QX-100002"}, loop="order_proof_form",
                  requested="order_contact")
    assert asyncio.run(form.validate_order_contact("li.na@example.com", dispatcher, ask, {})) == {
        "order_contact": "l***@example.com", "one_time_code": None}
    code = last_code("li.na@example.com")
    answer = tracker(sender, code, slots={"order_number": "QX-100002"}, loop="order_proof_form",
                     requested="one_time_code")
    assert asyncio.run(form.validate_one_time_code(code, dispatcher, answer, {})) == {"one_time_code": "passed"}
    assert asyncio.run(form.required_slots(["order_contact", "one_time_code"], dispatcher, answer, {})) == []
    run_action(ActionCheckOrderStatus(), dispatcher, answer, {})
    assert dispatcher.messages[-1]["response"] == "utter_order_status_shipped"
    assert dispatcher.messages[-1]["tracking_number"] == "SF1234567890"


def test_no_to_the_offered_code_clears_the_offer(database_url, dispatcher):
    no = tracker("rest-no", "no", "deny", slots={"order_number": "QX-100002", OFFERED: True})
    assert run_action(ActionDeclineOrderDetails(), dispatcher, no, {}) == [SlotSet(OFFERED, False)]
    assert responses(dispatcher) == ["utter_anything_else"]


def test_an_email_typed_after_the_proof_was_blocked_is_not_a_status_question(database_url, dispatcher):
    from bot.queue.notifier import FakeNotifier
    from bot.services.otp import start_proof

    with SqlAlchemyUnitOfWork() as uow:
        zhang = uow.orders.get("QX-100005")
    for i in range(5):  # this conversation used its attempts
        start_proof(SqlAlchemyUnitOfWork, FakeNotifier(SqlAlchemyUnitOfWork), "rest-blocked", zhang, f"g{i}@example.com")
    typed = tracker("rest-blocked", "zhang.wei@example.com", slots={"order_number": "QX-100005"})
    assert run_action(ActionCheckOrderStatus(), dispatcher, typed, {}) == [SlotSet(OFFERED, False)]
    assert responses(dispatcher) == ["utter_order_proof_blocked"]  # no status answer
    # Not blocked: the contact alone gets the offer of a code, not a status answer either.
    fresh = tracker("rest-fresh", "zhang.wei@example.com", slots={"order_number": "QX-100005"})
    assert run_action(ActionCheckOrderStatus(), dispatcher, fresh, {}) == [SlotSet(OFFERED, True)]
    assert responses(dispatcher)[-1:] == ["utter_order_details_offer"] and len(dispatcher.messages) == 2


def test_unknown_order_number_is_rejected_with_a_chance_to_retype(database_url, tracker_from, dispatcher):
    result = asyncio.run(ValidateOrderStatusForm().validate_order_number(
        "QX-999999", dispatcher, tracker_from("order_status_unknown_en"), {}
    ))
    assert result == {"order_number": None}  # the form asks for the number again (utter_ask_order_number)
    # a new user's finding: the bot asked twice in a row ("…type it again?" and then "Could you give me your order
    # number?"); the rejection now only says why, and the form's own question is the one prompt
    assert [m["text"] for m in dispatcher.messages] == ["I couldn't find an order with the number QX-999999."]
    assert responses(dispatcher) == [None]


@pytest.mark.parametrize("form", [ValidateOrderStatusForm, ValidateAddressChangeForm])
@pytest.mark.parametrize("language, said", [("en", "I couldn't find an order with the number QX-999998."),
                                            ("zh", "没有找到订单号为 QX-999998 的订单。")])
def test_an_unknown_order_number_is_told_once_with_no_second_question(database_url, dispatcher, form, language, said):
    unknown = tracker("rest-unknown", "QX-999998", slots={"language": language}, requested="order_number")
    assert asyncio.run(form().validate_order_number("QX-999998", dispatcher, unknown, {}))["order_number"] is None
    assert [m.get("text") for m in dispatcher.messages] == [said]
    assert not any(mark in said for mark in ("?", "？", "again", "重新"))  # a statement: the form asks next


def test_order_number_is_normalised_when_valid(database_url, tracker_from, dispatcher):
    result = asyncio.run(ValidateOrderStatusForm().validate_order_number(
        "qx 100003", dispatcher, tracker_from("order_status_unknown_en"), {}
    ))
    assert result == {"order_number": "QX-100003"}
    assert dispatcher.messages == []


def test_several_order_numbers_in_one_message_are_one_too_many(database_url, dispatcher):
    batch = tracker("rest-batch", "QX-100001 QX-100002 QX-100003 QX-100004 QX-100005 QX-100006 +8613700002222")
    assert asyncio.run(ValidateOrderStatusForm().validate_order_number("QX-100006", dispatcher, batch, {})) == {"order_number": None}
    assert responses(dispatcher) == ["utter_one_order_at_a_time"]


# --- who has to prove what -----------------------------------------------------------------

def test_a_stranger_must_prove_the_order_and_an_owner_need_not(database_url):
    stranger = tracker("rest-stranger", "change the address", slots={"order_number": "QX-100001"})
    assert required(stranger) == ALL_SLOTS
    owner = tracker("rest-emma", "change the address", slots={"order_number": "QX-100001"},
                    metadata={"customer_token": token(email="emma.wilson@example.com")})
    assert required(owner) == ["order_number", "new_address", "address_change_confirmed"]
    other_token = tracker("rest-other", "change the address", slots={"order_number": "QX-100001"},
                          metadata={"customer_token": token(sub="site-x", email="x@example.com")})
    assert required(other_token) == ALL_SLOTS  # a verified customer, but not this order's
    shipped = tracker("rest-stranger", "change the address", slots={"order_number": "QX-100002"})
    assert required(shipped) == ["order_number"]


def test_the_code_path_end_to_end_for_a_stranger_who_owns_the_order(database_url, dispatcher):
    form = ValidateAddressChangeForm()
    sender = "rest-zhang"
    ask = tracker(sender, "zhang.wei@example.com", slots={"order_number": "QX-100005"},
                  loop="address_change_form", requested="order_contact")
    assert asyncio.run(form.validate_order_contact("zhang.wei@example.com", dispatcher, ask, {})) == {
        "order_contact": "z***@example.com", "one_time_code": None}
    assert responses(dispatcher) == ["utter_code_sent"]
    code = last_code("zhang.wei@example.com")

    answer = tracker(sender, code, slots={"order_number": "QX-100005", "order_contact": "z***@example.com"},
                     loop="address_change_form", requested="one_time_code")
    assert asyncio.run(form.validate_one_time_code(code, dispatcher, answer, {})) == {"one_time_code": "passed"}
    assert responses(dispatcher)[-1] == "utter_code_accepted"
    # Proven now: no more proof slots; the address and an explicit yes remain.
    assert required(answer) == ["order_number", "new_address", "address_change_confirmed"]

    unconfirmed = tracker(sender, "no", "deny", slots={"order_number": "QX-100005",
                                                       "new_address": "广州市海珠区新港中路397号 510300"})
    run_action(ActionChangeAddress(), dispatcher, unconfirmed, {})
    assert address_of("QX-100005") == "广州市天河区天河路208号 510620"

    confirmed = tracker(sender, "yes", "affirm", slots={"order_number": "QX-100005",
                                                        "new_address": "广州市海珠区新港中路397号 510300",
                                                        "address_change_confirmed": "yes"})
    events = run_action(ActionChangeAddress(), dispatcher, confirmed, {})
    assert responses(dispatcher)[-1] == "utter_address_changed"
    assert address_of("QX-100005") == "广州市海珠区新港中路397号 510300"
    assert events == [SlotSet(slot, None) for slot in FLOW_SLOTS]


def test_wrong_contact_and_wrong_codes(database_url, dispatcher):
    form = ValidateAddressChangeForm()
    ask = tracker("rest-guess", "someone@example.com", slots={"order_number": "QX-100005"},
                  loop="address_change_form", requested="order_contact")
    # A wrong contact gets the answer the right one gets (and no code is sent).
    assert asyncio.run(form.validate_order_contact("someone@example.com", dispatcher, ask, {})) == {
        "order_contact": "s***@example.com", "one_time_code": None}
    assert asyncio.run(form.validate_order_contact("no idea", dispatcher, ask, {})) == {"order_contact": None}
    assert responses(dispatcher) == ["utter_code_sent", "utter_order_contact_invalid"]
    assert dispatcher.messages[0]["order_number"] == "QX-100005"
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.notifications.latest() == []

    ask = tracker("rest-guess-2", "+86 137 0000 2222", slots={"order_number": "QX-100005"},
                  loop="address_change_form", requested="order_contact")
    asyncio.run(form.validate_order_contact("+86 137 0000 2222", dispatcher, ask, {}))
    code = last_code("+8613700002222")
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    answer = tracker("rest-guess-2", wrong, slots={"order_number": "QX-100005"}, loop="address_change_form",
                     requested="one_time_code")
    assert asyncio.run(form.validate_one_time_code(wrong, dispatcher, answer, {})) == {"one_time_code": None}
    assert dispatcher.messages[-1]["response"] == "utter_code_wrong" and dispatcher.messages[-1]["tries_left"] == 2
    asyncio.run(form.validate_one_time_code(wrong, dispatcher, answer, {}))
    # The third wrong try kills the code: ask for the contact again (a new code).
    assert asyncio.run(form.validate_one_time_code(wrong, dispatcher, answer, {})) == {
        "one_time_code": None, "order_contact": None}
    assert responses(dispatcher)[-1] == "utter_code_expired"
    assert required(answer) == ALL_SLOTS  # 1 contact given + 3 wrong codes: 4 attempts of 5, not blocked yet
    asyncio.run(form.validate_order_contact("+86 137 0000 2222", dispatcher, ask, {}))
    assert required(answer) == ["order_number"]  # the fifth: the form ends (action_change_address says why)


def test_a_blocked_conversation_ends_the_form_and_nothing_is_written(database_url, dispatcher):
    form = ValidateAddressChangeForm()
    for i in range(5):  # one conversation, five guesses
        guess = tracker("rest-g", f"g{i}@example.com", slots={"order_number": "QX-100001"},
                        loop="address_change_form", requested="order_contact")
        asyncio.run(form.validate_order_contact(f"g{i}@example.com", dispatcher, guess, {}))
    assert responses(dispatcher) == ["utter_code_sent"] * 5  # each learned nothing
    sixth = tracker("rest-g", "emma.wilson@example.com", slots={"order_number": "QX-100001"},
                    loop="address_change_form", requested="order_contact")
    assert required(sixth) == ["order_number"]
    assert asyncio.run(form.validate_order_contact("emma.wilson@example.com", dispatcher, sixth, {})) == {
        "order_contact": None}
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.notifications.latest(to="emma.wilson@example.com") == []
    done = tracker("rest-g", "yes", "affirm", slots={"order_number": "QX-100001", "new_address": "5 Elm Road, York",
                                                    "address_change_confirmed": "yes"})
    run_action(ActionChangeAddress(), dispatcher, done, {})
    assert responses(dispatcher)[-1] == "utter_order_proof_blocked"
    assert address_of("QX-100001") == EMMA_ADDRESS


def test_strangers_guessing_do_not_lock_the_owner_out(database_url, dispatcher):
    form = ValidateAddressChangeForm()
    for i in range(6):  # six senders, one wrong guess each
        guess = tracker(f"rest-g{i}", f"g{i}@example.com", slots={"order_number": "QX-100001"},
                        loop="address_change_form", requested="order_contact")
        asyncio.run(form.validate_order_contact(f"g{i}@example.com", dispatcher, guess, {}))
    owner = tracker("rest-emma-code", "emma.wilson@example.com", slots={"order_number": "QX-100001"},
                    loop="address_change_form", requested="order_contact")
    assert required(owner) == ALL_SLOTS
    asyncio.run(form.validate_order_contact("emma.wilson@example.com", dispatcher, owner, {}))
    code = last_code("emma.wilson@example.com")
    answer = tracker("rest-emma-code", code, slots={"order_number": "QX-100001"}, loop="address_change_form",
                     requested="one_time_code")
    assert asyncio.run(form.validate_one_time_code(code, dispatcher, answer, {})) == {"one_time_code": "passed"}
    confirmed = tracker("rest-emma-code", "yes", "affirm", slots={
        "order_number": "QX-100001", "new_address": "5 Elm Road, York YO1 7HH", "address_change_confirmed": "yes"})
    run_action(ActionChangeAddress(), dispatcher, confirmed, {})
    assert address_of("QX-100001") == "5 Elm Road, York YO1 7HH"


# --- the write itself ------------------------------------------------------------------------

def test_address_change_writes_for_the_owner_after_yes(database_url, dispatcher):
    owner = tracker("rest-emma", "yes", "affirm", metadata={"customer_token": token(email="emma.wilson@example.com")},
                    slots={"order_number": "QX-100001", "new_address": "221B Baker Street, London NW1 6XE",
                           "address_change_confirmed": "yes"})
    events = run_action(ActionChangeAddress(), dispatcher, owner, {})
    assert events == [SlotSet(slot, None) for slot in FLOW_SLOTS]
    assert responses(dispatcher) == ["utter_address_changed"]
    assert address_of("QX-100001") == "221B Baker Street, London NW1 6XE"


def test_nothing_is_written_without_proof_or_without_yes(database_url, tracker_from, dispatcher):
    # The old fixture: a stranger gave QX-100001 and an address (it used to be written).
    stranger = tracker_from("address_change_processing_en", address_change_confirmed="yes")
    run_action(ActionChangeAddress(), dispatcher, stranger, {})
    assert responses(dispatcher) == ["utter_order_not_verified"]
    owner_unconfirmed = tracker("rest-emma", "hmm", metadata={"customer_token": token(email="emma.wilson@example.com")},
                                slots={"order_number": "QX-100001", "new_address": "221B Baker Street, London NW1 6XE"})
    run_action(ActionChangeAddress(), dispatcher, owner_unconfirmed, {})
    assert responses(dispatcher)[-1] == "utter_ok_stopped"
    assert address_of("QX-100001") == EMMA_ADDRESS


def test_shipped_order_skips_the_address_question_and_is_refused(database_url, tracker_from, dispatcher):
    stranger = tracker_from("address_change_shipped_zh")
    assert required(stranger) == ["order_number"]
    run_action(ActionChangeAddress(), dispatcher, stranger, {})
    assert responses(dispatcher) == ["utter_address_change_refused_shipped_public"]
    assert "tracking_number" not in dispatcher.messages[0] or not dispatcher.messages[0]["tracking_number"]

    owner = tracker("ivr-lina", "改地址", "change_address", channel="ivr", metadata={"caller": "+8613812345678"},
                    slots={"language": "zh", "order_number": "QX-100002"})
    run_action(ActionChangeAddress(), dispatcher, owner, {})
    assert responses(dispatcher)[-1] == "utter_address_change_refused_shipped"
    assert dispatcher.messages[-1]["tracking_number"] == "SF1234567890"
    assert address_of("QX-100002").startswith("上海市")


# --- answers that are really another request ------------------------------------------------

def test_incomplete_address_is_asked_again(database_url, tracker_from, dispatcher):
    form = ValidateAddressChangeForm()
    tracker_ = tracker_from("address_change_processing_en")
    assert form.validate_new_address("London", dispatcher, tracker_, {}) == {"new_address": None}
    assert responses(dispatcher) == ["utter_address_too_short"]
    assert form.validate_new_address("  5 Elm   Road,\nYork YO1 7HH ", dispatcher, tracker_, {}) == {
        "new_address": "5 Elm Road, York YO1 7HH", "address_change_confirmed": None
    }


@pytest.mark.parametrize("text", [
    "QX-100002",  # another order: long enough and has digits, it used to become the address
    "can I still pay by card for order 2?",
    "运费是多少？",
    "what is 10 Downing Street",
])
def test_another_request_is_never_stored_as_the_new_address(database_url, dispatcher, text):
    answer = tracker("rest-x", text, slots={"order_number": "QX-100001"}, loop="address_change_form",
                     requested="new_address")
    assert ValidateAddressChangeForm().validate_new_address(text, dispatcher, answer, {}) == {"new_address": None}


def test_another_order_number_as_an_answer_is_not_a_contact_or_code(database_url, dispatcher):
    form = ValidateAddressChangeForm()
    for slot, method in (("order_contact", form.validate_order_contact), ("one_time_code", form.validate_one_time_code)):
        answer = tracker("rest-y", "QX-100002", slots={"order_number": "QX-100005"}, loop="address_change_form",
                         requested=slot, candidates={"order_number": "QX-100002", slot: "QX-100002"})
        assert asyncio.run(method("QX-100002", dispatcher, answer, {})) == {slot: None}
    with SqlAlchemyUnitOfWork() as uow:  # nothing was sent, no failure was counted
        assert uow.notifications.latest() == []
        from bot.services.otp import blocked_by
        assert uow.codes.failures(since=__import__("datetime").datetime(2000, 1, 1), conversation_id="rest-y") == 0
        assert blocked_by(uow, "rest-y", "QX-100005") is None


def test_a_new_order_mid_flow_starts_the_flow_over_for_that_order(database_url, dispatcher):
    answer = tracker("rest-z", "sorry, it's QX-100001", slots={"order_number": "QX-100005",
                                                               "order_contact": "z***@example.com"},
                     loop="address_change_form", requested="one_time_code", candidates={"order_number": "QX-100001"})
    result = asyncio.run(ValidateAddressChangeForm().validate_order_number("QX-100001", dispatcher, answer, {}))
    assert result == {"order_number": "QX-100001", **{slot: None for slot in FLOW_SLOTS}}


def test_an_earlier_unfinished_change_does_not_carry_over(database_url, dispatcher):
    # The form starts again with the address and "yes" of an abandoned attempt still in the slots.
    start = tracker("rest-emma", "change the address of QX-100001", "change_address",
                    metadata={"customer_token": token(email="emma.wilson@example.com")},
                    slots={"new_address": "1 Old Road, Hull HU1 1AA", "address_change_confirmed": "yes"},
                    candidates={"order_number": "QX-100001", "new_address": "1 Old Road, Hull HU1 1AA",
                                "address_change_confirmed": "yes"})
    events = asyncio.run(ValidateAddressChangeForm().run(dispatcher, start, {"forms": {
        "address_change_form": {"required_slots": ALL_SLOTS}}, "slots": {}}))
    final = {}
    for event in events:
        if event.get("event") == "slot":
            final[event["name"]] = event["value"]
    assert final["new_address"] is None and final["address_change_confirmed"] is None
    assert final["order_number"] == "QX-100001" and final["requested_slot"] == "new_address"


def test_a_change_started_again_after_a_cancel_asks_for_the_contact_once(database_url, dispatcher):
    # "取消" at the code question left order_contact set; then "我想改QX-100001的地址" again.
    # At activation Rasa already names the form as active and passes the old contact as a candidate.
    before = [{"event": "active_loop", "name": "address_change_form"},
              {"event": "slot", "name": "order_contact", "value": "e***@example.com"},
              {"event": "active_loop", "name": None}]
    again = tracker("rest-again", "我想改QX-100001的地址", "change_address",
                    slots={"language": "zh", "order_contact": "e***@example.com"}, loop="address_change_form",
                    candidates={"order_number": "QX-100001", "order_contact": "e***@example.com"})
    again.events[:0] = before
    events = asyncio.run(ValidateAddressChangeForm().run(dispatcher, again, {"forms": {
        "address_change_form": {"required_slots": ALL_SLOTS}}, "slots": {}}))
    assert dispatcher.messages == []  # no "I need the e-mail or mobile number" before the form asks
    final = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert final["order_contact"] is None and final["order_number"] == "QX-100001"
