"""The platform-neutral brain: one message in, replies out.

At the door a message is read once (bot/understanding/reading.py): the privacy check on all of it (client data
is refused and never stored), then its reading and the matcher's understanding, on the worker thread. Then, in
order: a filled-in form; a running dialog (each kind declares how it goes on, bot/state.py); an open check-in;
a button or a follow-up on the open topic ("3", "meer", "bron", "voorbeeld", "terug"); then the intent (its
rules in bot/understanding/intents.py) and its handler, or the knowledge base. A clear question typed at a
registration step is answered, and the step is asked again: it is never taken for a name or an organisation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from bot.commitment import (
    approval,
    broadcast,
    celebration,
    celebration_choice,
    checkin,
    dashboard_link,
    director,
    meldingen,
    milestones,
    report,
    rhythm,
)
from bot.dialogs import load_state
from bot.guidance import (
    MAP_SEARCH_PREFIX,
    fallback_reply,
    help_reply,
    outside_knowledge_reply,
    privacy_reply,
    thanks_reply,
    whoami_reply,
)
from bot.knowledge import answers
from bot.knowledge.model import Entry
from bot.language.dutch import looks_like_question
from bot.language.lexicon import Followup
from bot.language.privacy import contains_client_data
from bot.messages import Incoming, Reply
from bot.services import Services
from bot.social import forms, invitation, knelpunt_report, linking, own_data, registration
from bot.social.access import Sender, not_a_ketenpartner
from bot.social.contact import SEARCHES_PER_HOUR, TOO_MANY_SEARCHES, contact_reply
from bot.state import Turn
from bot.understanding import feedback, library
from bot.understanding.intents import DIRECTOR_INTENTS, interpret
from bot.understanding.matcher import ANSWER_THRESHOLD, DOMAIN, Matcher, Understanding
from bot.understanding.reading import Reading, read

SUGGESTIONS = 3
# A follow-up ("meer", "3", "heb je een voorbeeld van ketenregie?") is a message of at most this many characters.
FOLLOWUP_CHARS = 200

T = TypeVar("T")


def read_message(msg: Incoming, matcher: Matcher) -> Reading | None:
    """The one reading of a message, on the worker thread: the privacy check on all of it (None: client data,
    so nothing more is done with it), then the text read once and the matcher's understanding of it."""
    if contains_client_data(msg.text) or contains_client_data(msg.action or ""):
        return None
    reading = read(msg.text)
    return reading.understood(matcher.understand(reading))


async def handle(msg: Incoming, services: Services) -> list[Reply]:
    """Answer one incoming message: read it once, then respond; conversation state is loaded and saved around it."""
    reading = await in_worker(services, read_message, msg, services.matcher)
    if reading is None:
        return [privacy_reply()]
    key = msg.conversation_key
    turn = Turn(msg, reading, Sender(msg, services), load_state(services.conversations.load(key)), services)
    replies = respond(turn)
    if turn.later is not None:
        replies[-1] = await asyncio.get_running_loop().run_in_executor(None, turn.later)
    last = replies[-1]
    if last.options:
        turn.state.options = [option.value for option in last.options if option.numbered]
    services.conversations.save(key, turn.state.to_data())
    return replies


async def in_worker(services: Services, work: Callable[..., T], *args: Any) -> T:
    """Run CPU-heavy reading (the privacy check, the matcher) on the services' worker thread, so one long
    message does not hold up everyone else's requests. Only pure computation goes there: every database
    call stays on the caller's thread (there is one SQLite connection)."""
    return await asyncio.get_running_loop().run_in_executor(services.worker, work, *args)


def respond(turn: Turn) -> list[Reply]:
    msg, state = turn.msg, turn.state
    # The form of rich surfaces stands beside the dialog: opening or sending it does not answer the dialog's step.
    if msg.submission is not None:
        return [forms.submit(turn)]
    if msg.action == forms.OPEN_FORM:
        return [forms.open_form(turn)]
    dialog = state.dialog
    if dialog is not None:
        question = _clear_question(turn) if dialog.open_to_questions else None
        if question is not None:
            # Without buttons: a click on "meer" would otherwise be read as the answer to the step.
            answer = replace(_on_intent(question, turn), options=())
            return [answer, dialog.ask_again(msg.text)]
        state.dialog = None
        reply, state.dialog = dialog.proceed(turn)
        return [reply]
    reading_on = _reading_on(turn)
    if reading_on is not None:
        return reading_on
    checkin_reply = checkin.answer(msg, turn.reading, turn.services)
    if checkin_reply is not None:
        return [checkin_reply]
    if msg.action:
        return [_on_value(msg.action, turn)]
    folded = turn.reading.folded
    followup = turn.services.matcher.lexicon.followup_of(folded) if folded and len(msg.text) <= FOLLOWUP_CHARS else None
    if followup:
        return [_on_followup(followup, turn)]
    return [_on_intent(interpret(turn.reading, turn.services, sender=turn.sender), turn)]


def _reading_on(turn: Turn) -> list[Reply] | None:
    """A number right after a reply that offered numbered reading options, while a check-in is open (the partner
    asked something halfway): it picks what to read, it is no answer to the check-in. The open check-in question
    follows, so a number typed after it answers the check-in again."""
    state = turn.state
    if turn.msg.action or not state.topic or not state.options or any(o.startswith("checkin:") for o in state.options):
        return None
    followup = turn.services.matcher.lexicon.followup_of(turn.reading.folded)
    if followup is None or followup.command != "kies":
        return None
    request = turn.services.checkins.open_for(turn.identity)
    if request is None:
        return None
    return [_on_followup(followup, turn), checkin.current_question(request)]


def understand(text: str, services: Services) -> Understanding:
    """What a text on its own asks (`ketenbot eval`): the matcher's understanding with the intent rules, as for a
    ketenpartner who is no director."""
    reading = read(text)
    return interpret(reading.understood(services.matcher.understand(reading)), services)


def _clear_question(turn: Turn) -> Understanding | None:
    """A question to ketenbot typed inside a dialog, phrased as a question and understood well enough to
    answer: a knowledge entry without doubt, or a contact question. Else None."""
    if turn.msg.action or not looks_like_question(turn.msg.text):
        return None
    understanding = interpret(turn.reading, turn.services)
    if understanding.intent == "contact":
        return understanding
    top = understanding.candidates[0] if understanding.candidates else None
    sure = top is not None and top.score >= ANSWER_THRESHOLD and not understanding.ambiguous
    return understanding if understanding.intent == "knowledge" and sure else None


def find_contacts(text: str, services: Services) -> list[str]:
    """Names of the partners a contact question finds, best first (for evaluation)."""
    reply = contact_reply(read(text), services.matcher.lexicon, services.directory.view())
    return [result["name"] for result in reply.results]


def _contact(turn: Turn, reading: Reading | None = None) -> Reply:
    """A search of the social map for the message, or for `reading` (what the map-search button carries)."""
    if not turn.sender.is_ketenpartner:
        return not_a_ketenpartner("contact")
    if not turn.services.contact_searches.take(turn.identity):
        return Reply(text=TOO_MANY_SEARCHES.format(limit=SEARCHES_PER_HOUR), intent="contact", score=1.0)
    return contact_reply(reading or turn.reading, turn.services.matcher.lexicon, turn.services.directory.view())


# What each intent does; the knowledge base's own intents ("knowledge", "fallback") are answered below.
HANDLERS: dict[str, Callable[[Turn], Reply]] = {
    "help": lambda turn: help_reply(),
    "thanks": lambda turn: thanks_reply(),
    "whoami": lambda turn: whoami_reply(turn.identity),
    "contact": _contact,
    "invite": invitation.invite,
    "register": own_data.own_data,
    "unregister": own_data.ask_delete,
    "link": linking.link,
    "checkin": rhythm.checkin_command,
    "report": report.report_command,
    "milestone": milestones.milestone_command,
    "celebrate": celebration.celebrate_command,
    "progress": broadcast.progress_command,
    "dashboard": dashboard_link.dashboard_command,
    "meldingen": meldingen.meldingen_command,
    "celebrations": celebration_choice.celebrations_command,
    "knelpunt_report": knelpunt_report.start,
    "approval": approval.decide_command,
    "reload": library.reload_command,
    "gaps": feedback.review_command,
    "notmeant": feedback.not_meant,
}


def _on_intent(understanding: Understanding, turn: Turn) -> Reply:
    intent = understanding.intent
    alternatives = tuple((c.entry_id, c.score) for c in understanding.candidates[1:])
    if intent == "knowledge":
        compared = _compare(understanding, turn) if understanding.compared else None
        if compared is not None:
            return compared
        if _confident(understanding):
            top = understanding.candidates[0]
            return _show_entry(top.entry_id, turn, score=top.score, alternatives=alternatives)
        feedback.keep_unanswered(understanding, turn)
        return _suggest(understanding, turn)
    if intent in DIRECTOR_INTENTS and not turn.sender.is_director:
        request = turn.services.checkins.open_for(turn.identity) if intent == "checkin" else None
        if request is not None:
            # "check-in" from a partner brings back the question that is open, not the first one.
            return checkin.current_question(request)
        return director.refuse(intent)
    handler = HANDLERS.get(intent)
    if handler:
        return handler(turn)
    feedback.keep_unanswered(understanding, turn)
    if understanding.scope == DOMAIN:
        # The offer to search the social map only to those who may search it.
        return outside_knowledge_reply(turn.reading.asking, understanding.score, alternatives, offer_map=turn.sender.is_ketenpartner)
    return fallback_reply(understanding.score, alternatives)


def _compare(understanding: Understanding, turn: Turn) -> Reply | None:
    """ "het verschil tussen X en Y": one begrip when the knowledge base names both alike (and says so), both
    side by side, or the one it knows with a word about the other. None: the usual answer will do."""
    first, second = understanding.compared
    if first.entry_id is not None and first.entry_id == second.entry_id:
        same = first.exact and second.exact
        note = answers.SAME_TERM.format(first=first.words, second=second.words) if same else None
        return _show_entry(first.entry_id, turn, note=note)
    named = [side for side in (first, second) if side.entry_id is not None and side.exact]
    if len(named) == 2:
        knowledge = turn.services.knowledge
        turn.state.open(first.entry_id or "")
        return answers.render_comparison([knowledge.get(side.entry_id or "") for side in named], knowledge)
    unknown = [side for side in (first, second) if side.entry_id is None]
    if len(named) == 1 and unknown:
        note = answers.SIDE_NOT_KNOWN.format(words=unknown[0].words, known=named[0].words)
        return _show_entry(named[0].entry_id or "", turn, note=note)
    return None


def _confident(understanding: Understanding) -> bool:
    """A knowledge answer sure enough to give without asking "Bedoel je …?"."""
    return (
        understanding.intent == "knowledge"
        and understanding.candidates[0].score >= ANSWER_THRESHOLD
        and not understanding.ambiguous
    )


def _show_entry(
    entry_id: str,
    turn: Turn,
    *,
    score: float = 1.0,
    alternatives: tuple[tuple[str, float], ...] = (),
    remember: bool = True,
    note: str | None = None,
) -> Reply:
    knowledge = turn.services.knowledge
    entry = knowledge.get(entry_id)
    if entry is None:
        return fallback_reply(0.0)
    turn.state.open(entry_id, remember=remember)
    reply = answers.render_entry(entry, knowledge, score=score, note=note)
    return feedback.ask(replace(reply, alternatives=alternatives), turn)


def _examples(subject: str | None, turn: Turn) -> Reply:
    """ "heb je een voorbeeld?" about the open topic, or "… van ketenregie?" about the subject it names.
    A subject ketenbot does not recognise makes the message an ordinary question."""
    services = turn.services
    if subject is None:
        topic = services.knowledge.get(turn.state.topic or "")
        if topic is None:
            return Reply(text=answers.NO_TOPIC_FOR_EXAMPLE, intent="fallback")
        return _show_examples(topic, turn)
    understanding = services.matcher.understand(subject)
    if not _confident(understanding):
        return _on_intent(interpret(turn.reading, services, sender=turn.sender), turn)
    entry = services.knowledge.get(understanding.candidates[0].entry_id)
    if entry.kind == "voorbeeld":
        return _show_entry(entry.id, turn)
    if not answers.has_examples(entry, services.knowledge) and not entry.example:
        return _show_entry(entry.id, turn, note=answers.NO_EXAMPLE.format(title=entry.title))
    turn.state.open(entry.id)
    return _show_examples(entry, turn)


def _show_examples(entry: Entry, turn: Turn) -> Reply:
    """One example from practice is shown at once; several are listed to choose from."""
    examples = turn.services.knowledge.examples(entry.id)
    if len(examples) == 1 and not entry.practice:
        return _show_entry(examples[0].id, turn)
    return answers.render_examples(entry, turn.services.knowledge)


def _suggest(understanding: Understanding, turn: Turn) -> Reply:
    knowledge = turn.services.knowledge
    top = [c for c in understanding.candidates[:SUGGESTIONS]]
    entries = [e for e in (knowledge.get(c.entry_id) for c in top) if e is not None]
    reply = answers.render_suggestions(entries, knowledge, score=understanding.score)
    return replace(reply, entry=top[0].entry_id, alternatives=tuple((c.entry_id, c.score) for c in top[1:]))


def _on_followup(followup: Followup, turn: Turn) -> Reply:
    command, number = followup.command, followup.number
    if command == "voorbeeld":
        return _examples(followup.subject, turn)
    if command == "stop":
        turn.state.forget()
        return help_reply()
    if command == "ja":
        # "ja" to an offer of one thing ("Zal ik op de sociale kaart zoeken?") takes it; otherwise it is a message.
        if len(turn.state.options) == 1:
            return _on_value(turn.state.options[0], turn)
        return _on_intent(interpret(turn.reading, turn.services, sender=turn.sender), turn)
    if command == "kies":
        options = turn.state.options or _open_topic_options(turn)
        if not options:
            return Reply(text=answers.NOTHING_OPEN, intent="fallback")
        if number is None or not 1 <= number <= len(options):
            return Reply(text=answers.NO_SUCH_OPTION.format(number=number, count=len(options)), intent="knowledge")
        return _on_value(options[number - 1], turn)
    return _on_value({"meer": "more", "bron": "source", "terug": "back"}[command], turn)


def _open_topic_options(turn: Turn) -> list[str]:
    """What a number picks when the last reply listed nothing ("meer", "bron"): the list of the topic that is
    still open, as its first answer numbered it."""
    topic = turn.services.knowledge.get(turn.state.topic or "")
    return [answers.entry_value(entry.id) for entry in answers.listed_entries(topic, turn.services.knowledge)] if topic else []


# Button values that start something (the buttons of own-data replies and the map-freshness question).
ACTIONS: dict[str, Callable[[Turn], Reply]] = {
    "register:start": registration.start,
    "unregister:start": own_data.ask_delete,
    "register:confirm": own_data.confirm,
}


def _on_value(value: str, turn: Turn) -> Reply:
    """A button's value, or what a typed follow-up stands for."""
    knowledge, state = turn.services.knowledge, turn.state
    if value in ACTIONS:
        return ACTIONS[value](turn)
    if approval.is_decision(value):
        return approval.decide_command(turn)
    if value.startswith(feedback.PREFIX):
        return feedback.on_click(value, turn)
    if value.startswith("entry:"):
        return _show_entry(value.removeprefix("entry:"), turn)
    if value.startswith(MAP_SEARCH_PREFIX):
        return _contact(turn, read(value.removeprefix(MAP_SEARCH_PREFIX)))
    topic = knowledge.get(state.topic or "")
    if value == "back":
        if state.history:
            previous = state.history.pop()
            return _show_entry(previous, turn, remember=False)
        # An oplossing goes back to its knelpunt, an example to what it is an example of.
        up = topic and (topic.parent or next(iter(topic.illustrates), None))
        if up:
            return _show_entry(up, turn, remember=False)
        return Reply(text=answers.NO_PREVIOUS, intent="knowledge")
    if topic is None:
        return Reply(text=answers.NOTHING_OPEN, intent="fallback")
    if value == "more":
        return answers.render_more(topic, knowledge)
    if value == "source":
        return answers.render_source(topic, knowledge)
    if value == "example":
        return _show_examples(topic, turn)
    return fallback_reply(0.0)
