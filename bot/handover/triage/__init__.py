"""What a message asks for, apart from how the customer feels (issue 11).

Cues the escalation policy reads beside the NLU intent and the emotion (``bot.handover.policy.Turn``):

- ``asks_for_person`` (``person``): an explicit request for a person ("talk to a human", 转人工). It hands
  over whatever else the message carries — an order number, a phone number, a complaint — so the intent
  classifier reading such a message as ``inform`` cannot keep the customer with the bot.
- ``needs_person_case`` (``cases``): a case a bot must not handle alone (fraud, a billing dispute, a legal
  threat, a safety hazard …), however calm the customer.
- ``goods_problem`` (``goods``): a problem with the goods (damaged, missing, never came, late, faulty), read
  by ``needs_person_case`` (after the usual steps: ``after_steps``) and by ``actions/handoff.py``
  ``reports_problem`` (during a call-back, for the colleague): one table for both.
- ``wants_action`` / ``is_report`` (``reports``): a complaint that asks for something to be done (a formal
  complaint, a refund, compensation); a report that needs nothing or ended well ("but it arrived in the
  end"). A complaint-like intent from a calm customer without a demand gets an answer and the offer of a
  person, not a ticket.
- ``anger_cue``, ``plain_anger``, ``strong_anger``, ``strong_sarcasm``, ``mild_irritation`` (``mood``):
  anger in the wording, beside the emotion model's score; ``relayed_emotion``: someone else's anger told calmly;
  ``anger_not_at_us``: angry words about the customer's own life or said not to be at us ("Raining cats and dogs, damn").
- ``calm_question`` / ``calm_framing`` (``calm``): calm frames that raise the one-message threshold;
  ``bare_status_question`` (``calm``): a bare "when will it come?" read at that threshold, not carried (session 34).
- ``not_a_request`` / ``fraud_misread`` (``misreads``): the intent classifier's misreads; ``sorted_itself``: a queued
  customer's problem sorted itself ("found it, sorry!"), which takes them out of the queue.
- ``is_polite`` (``common``): an apology or thanks, which lowers the conversation's mood.

Each reading is one module; each module imports only those listed before it here in reverse
(common → person / goods → cases → reports → mood → calm / misreads; ``.importlinter`` checks it). The pattern
tables grew pass by pass on fresh writers' development sets (``tests/dev*``): a new phrasing joins the
table of the reading it extends (``one_of`` / ``merged``), with a comment naming the pass and an example.
"""
from bot.handover.triage.common import HYPOTHETICAL, is_polite, one_of
from bot.handover.triage.person import (
    ASKS_WHAT_BOT_IS, PERSON_EN, PERSON_MIXED, PERSON_ZH, about_people_hours, asks_for_person, bare_details, names_staff,
    normalise_typos, thanks_for_solved,
)
from bot.handover.triage.goods import GOODS_PROBLEM, GOODS_PROBLEM_BESIDE_STEPS, NOT_GOODS, STEPS_TRIED, goods_problem
from bot.handover.triage.cases import URGENT_CASES, fraud_question, needs_person_case
from bot.handover.triage.reports import is_report, wants_action
from bot.handover.triage.mood import anger_cue, anger_not_at_us, mild_irritation, plain_anger, relayed_emotion, strong_anger, strong_sarcasm
from bot.handover.triage.calm import bare_status_question, calm_framing, calm_question
from bot.handover.triage.misreads import fraud_misread, fraud_worded, not_a_request, sorted_itself

__all__ = [
    "ASKS_WHAT_BOT_IS", "GOODS_PROBLEM", "GOODS_PROBLEM_BESIDE_STEPS", "HYPOTHETICAL", "NOT_GOODS", "PERSON_EN",
    "PERSON_MIXED", "PERSON_ZH", "STEPS_TRIED", "URGENT_CASES", "about_people_hours", "anger_cue", "anger_not_at_us", "asks_for_person",
    "bare_details", "bare_status_question", "calm_framing", "calm_question", "fraud_misread", "fraud_question", "fraud_worded", "goods_problem", "is_polite",
    "is_report", "mild_irritation", "names_staff", "needs_person_case", "normalise_typos", "not_a_request", "one_of",
    "plain_anger", "relayed_emotion", "sorted_itself", "strong_anger", "strong_sarcasm", "thanks_for_solved", "wants_action",
]
