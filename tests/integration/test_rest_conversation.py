"""Short conversations over the REST channel with the real Rasa and action servers."""
import re

from sqlalchemy import create_engine, text

from bot.storage.uow import SqlAlchemyUnitOfWork


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_english_conversation(servers):
    sender = "it-en"
    assert "QX Shop" in texts(servers.say(sender, "hello"))

    status = texts(servers.say(sender, "hi, has QX-100002 shipped yet?"))
    # An anonymous sender hears the status only (issue 10): no carrier, no tracking number.
    assert "QX-100002" in status and "on its way" in status
    assert "SF Express" not in status and "SF1234567890" not in status

    asked = texts(servers.say(sender, "I need to change my delivery address"))
    assert "QX-100002" in asked or "order number" in asked.lower()
    # QX-100002 has shipped: a new order number for the change
    refused = texts(servers.say(sender, "change the address for QX-100002 please"))
    assert "already shipped" in refused

    # Proof first (a code sent to the order's e-mail), then the address, then an explicit yes.
    servers.say(sender, "I want to change the delivery address of QX-100001")
    servers.say(sender, "emma.wilson@example.com")
    with SqlAlchemyUnitOfWork() as uow:
        body = uow.notifications.latest(to="emma.wilson@example.com", limit=1)[0].body
    servers.say(sender, re.search(r"is (\d{6})\b", body).group(1))
    confirm = texts(servers.say(sender, "221B Baker Street, London NW1 6XE"))
    assert "Change the delivery address of QX-100001 to 221B Baker Street, London NW1 6XE?" in confirm
    done = texts(servers.say(sender, "yes"))
    assert "221B Baker Street" in done
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.orders.get("QX-100001").shipping_address == "221B Baker Street, London NW1 6XE"

    answer = texts(servers.say(sender, "which payment methods can I use?"))
    assert "PayPal" in answer
    assert texts(servers.say(sender, "bye"))

    slots = servers.tracker(sender)["slots"]
    assert slots["language"] == "en"


def test_chinese_conversation_with_password_reset_and_human(servers):
    sender = "it-zh"
    assert "您好" in texts(servers.say(sender, "你好"))

    ask = texts(servers.say(sender, "我的快递到哪了"))
    assert "订单号" in ask
    status = texts(servers.say(sender, "QX-100003"))
    # Anonymous: delivered, without the date (issue 10: details only for a proven owner).
    assert "QX-100003" in status and "签收" in status and "已于" not in status

    step1 = texts(servers.say(sender, "忘记密码了，登录不上"))
    assert "第 1 步" in step1
    assert "第 2 步" in texts(servers.say(sender, "好了"))

    escalated = texts(servers.say(sender, "转人工"))
    assert "人工" in escalated
    with SqlAlchemyUnitOfWork() as uow:
        assert ("customer_request" in [c for c, _ in uow.reasons.for_conversation(sender)])
        progress = uow.progress.get(sender, "password_reset")
    assert progress.steps_done == [1] and progress.next_step == 2


def test_trackers_are_stored_in_the_project_database(servers):
    servers.say("it-store", "hi")
    engine = create_engine(servers.database_url, future=True)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = 'it-store'")
        ).scalar_one()
    assert count > 0


def test_bad_input_gets_a_clear_error_and_the_server_keeps_serving(servers):
    bad_json = servers.rest("POST", data="{not json", headers={"Content-Type": "application/json"}, timeout=30)
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["error"]
    missing = servers.rest("POST", json={"message": "hi"}, timeout=30)
    assert missing.status_code == 400
    huge = servers.rest("POST", json={"sender": "big", "message": "x" * 5000}, timeout=30)
    assert huge.status_code == 413 and "4000" in huge.json()["error"]
    assert servers.tracker("big")["events"] in ([], None) or not any(
        e.get("event") == "user" for e in servers.tracker("big")["events"]
    )  # nothing stored from refused input
    assert "QX Shop" in texts(servers.say("after-bad-input", "hello"))


def test_a_person_declined_gets_the_rest_answered_not_the_offer_of_a_person(servers):
    # a fresh new user: "no need for a person, just tell me …" was read as request_human and answered
    # "I've noted it. Would you like me to pass this to a colleague?"
    for sender, text, expected in [
        ("decl-en", "I don't need a human, where is my order QX-100002?", "QX-100002"),
        ("decl-zh", "不用转人工了，订单QX-100003到哪了", "QX-100003"),
    ]:
        reply = texts(servers.say(sender, text))
        assert expected in reply and "colleague" not in reply and "人工同事" not in reply, reply
        parsed = servers.tracker(sender)["latest_message"]["intent"]["name"]
        assert parsed == "check_order_status"
        with SqlAlchemyUnitOfWork() as uow:
            assert uow.tickets.for_conversation(sender) == []
    # a person declined in one clause and asked for in another is still handed over
    servers.say("decl-both", "I don't need an agent to call me back, just transfer me to a person now")
    with SqlAlchemyUnitOfWork() as uow:
        assert [t.state for t in uow.tickets.for_conversation("decl-both")]


def test_an_unknown_order_number_gets_one_clear_reply_asking_once(servers):
    """A new user's finding: an unknown order number got "…Could you check it and type it again?" and then "Could
    you give me your order number?" — two questions in a row. Now: why, then the form's one question."""
    for sender, ask, number, why, prompt in (
            ("it-unknown-order-en", "where is my order?", "QX-999999",
             "I couldn't find an order with the number QX-999999.", "Could you give me your order number?"),
            ("it-unknown-order-zh", "我的订单到哪了", "QX-999999", "没有找到订单号为 QX-999999 的订单。", "请提供您的订单号"),
            ("it-unknown-order-one", "where is my order QX-999997?", None,
             "I couldn't find an order with the number QX-999997.", "Could you give me your order number?")):
        replies = servers.say(sender, ask) if number is None else (servers.say(sender, ask), servers.say(sender, number))[1]
        said = [r.get("text", "") for r in replies]
        assert len(said) == 2 and said[0] == why and said[1].startswith(prompt), said
        assert sum(text.count("?") + text.count("？") for text in said) <= 1, said  # one question
    # the right number then: the status, as before
    assert "QX-100002" in texts(servers.say("it-unknown-order-en", "QX-100002"))
