"""Issue 16: a long conversation with the action server sent a window of its events
(``ACTION_EVENTS_TURNS``, here 10): the actions at its end still answer right."""
import pytest

from tests.integration.conftest import run_servers

WINDOW = 10
CHAT = [
    "What are your opening hours?",
    "How do I return an item?",
    "配送需要多久？",
    "你们支持哪些支付方式？",
    "thanks",
]


@pytest.fixture(scope="module")
def windowed(tmp_path_factory, trained_model):
    yield from run_servers(tmp_path_factory, "long-conversation", {"ACTION_EVENTS_TURNS": str(WINDOW)})


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_an_order_lookup_and_a_hand_over_at_the_end_of_80_turns(windowed):
    sender = "long-80"
    said = ["where is my order QX-100002?"]
    first = texts(windowed.say(sender, said[0]))
    assert "QX-100002" in first and "on its way" in first
    for n in range(1, 78):
        message = "where is my order QX-100006?" if n % 5 == 0 else CHAT[n % len(CHAT)]
        said.append(message)
        replies = windowed.say(sender, message)
        assert replies, (n, message)  # every turn answered, custom action or not
    status = texts(windowed.say(sender, "where is my order QX-100002?"))
    said.append("where is my order QX-100002?")
    assert "QX-100002" in status and "on its way" in status and "SF1234567890" not in status
    windowed.say(sender, "real person please")
    said.append("real person please")

    agent = windowed.login("agent4", "pass-word-1")
    [ticket] = windowed.api("GET", "/tickets", agent, params={"conversation_id": sender}).json()
    view = windowed.api("GET", f"/tickets/{ticket['ticket_id']}", agent).json()
    packet = view["packet"]
    assert packet["reason"]["code"] == "customer_request"
    assert packet["intake"]["order_number"] == "QX-100002"  # the slot, set 80 turns of events back and since
    customer_lines = [line["text"] for line in packet["transcript"] if line["from"] == "customer"]
    # the hand-over is sent the whole session (rev16-s6 #2): every customer message, counted right
    assert customer_lines == said
    assert f"after {len(said)} messages" in packet["summaries"]["en"]
    # the desk's transcript: those lines, then every message after the hand-over
    desk_lines = [line["text"] for line in view["transcript"] if line["from"] == "customer"]
    assert desk_lines[:len(said)] == said
    # the Rasa server itself still holds the whole conversation
    tracker = windowed.tracker(sender)
    assert sum(e["event"] == "user" for e in tracker["events"]) == len(said) == 80
