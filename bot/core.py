"""The platform-neutral brain: one message in, replies out.

Order of understanding: client data is refused first (and never stored); then a running dialog
(registration, a celebration's confirmation); then an open check-in; then a button or a follow-up on
the open topic ("3", "meer", "bron", "voorbeeld", "terug"); then the intent; then the knowledge base.
A clear question typed at a registration step is answered, and the step is asked again: it is never
taken for a name or an organisation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from bot.commitment import checkin, director
from bot.guidance import fallback_reply, help_reply, privacy_reply
from bot.knowledge import answers
from bot.knowledge.model import Entry
from bot.language.dutch import looks_like_question
from bot.language.lexicon import Followup
from bot.language.privacy import contains_client_data
from bot.messages import Incoming, Reply
from bot.services import Services
from bot.social import invitation, registration
from bot.social.access import Sender, not_a_ketenpartner
from bot.social.contact import SEARCHES_PER_HOUR, TOO_MANY_SEARCHES, contact_reply
from bot.understanding.matcher import ANSWER_THRESHOLD, Matcher, Understanding
from bot.understanding.reading import Reading, read

HISTORY_LIMIT = 10
SUGGESTIONS = 3
# A follow-up ("meer", "3", "heb je een voorbeeld van ketenregie?") is a message of at most this many characters.
FOLLOWUP_CHARS = 200

State = dict[str, Any]
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
    state = services.conversations.load(key)
    replies = await respond(msg, reading, Sender(msg, services), state, services)
    last = replies[-1]
    if last.options:
        state["options"] = [option.value for option in last.options if option.numbered]
    services.conversations.save(key, state)
    return replies


async def in_worker(services: Services, work: Callable[..., T], *args: Any) -> T:
    """Run CPU-heavy reading (the privacy check, the matcher) on the services' worker thread, so one long
    message does not hold up everyone else's requests. Only pure computation goes there: every database
    call stays on the caller's thread (there is one SQLite connection)."""
    return await asyncio.get_running_loop().run_in_executor(services.worker, work, *args)


async def respond(msg: Incoming, reading: Reading, sender: Sender, state: State, services: Services) -> list[Reply]:
    if state.get("dialog"):
        if state["dialog"]["kind"] == "celebrate":
            return [director.continue_celebrate(msg, state, services)]
        question = _clear_question(msg, reading, services) if registration.open_to_questions(state["dialog"]) else None
        if question is not None:
            # Without buttons: a click on "meer" would otherwise be read as the answer to the step.
            answer = replace(_on_intent(question, msg, reading, sender, state, services), options=())
            return [answer, registration.ask_again(state, msg.text)]
        return [registration.continue_dialog(msg, state, services)]
    checkin_reply = checkin.answer(msg, reading, services)
    if checkin_reply is not None:
        return [checkin_reply]
    if msg.action:
        return [_on_value(msg.action, msg, state, services)]
    # A follow-up ("meer", "3", "heb je een voorbeeld van X?") is a short message.
    followup = services.matcher.lexicon.followup_of(reading.folded) if reading.folded and len(msg.text) <= FOLLOWUP_CHARS else None
    if followup:
        return [_on_followup(followup, msg, reading, sender, state, services)]
    understanding = interpret(reading, services, sender=sender)
    return [_on_intent(understanding, msg, reading, sender, state, services)]


def understand(text: str, services: Services) -> Understanding:
    """What a text on its own asks (`ketenbot eval`): the matcher's understanding with the rules of `interpret`,
    as for a ketenpartner who is no director."""
    reading = read(text)
    return interpret(reading.understood(services.matcher.understand(reading)), services)


def interpret(reading: Reading, services: Services, *, sender: Sender | None = None) -> Understanding:
    """Rules on top of the matcher's understanding that need the database: "wie … in Utrecht?" asks for a
    contact, "vier <a milestone>" for a celebration. Unless the sender is a ketenpartner only the list of Dutch
    places counts, so the answer does not tell an outsider which places are on the social map."""
    understanding = reading.understanding
    assert understanding is not None, "read_message understands every reading"
    if understanding.intent in ("knowledge", "fallback"):
        map_places = sender is None or sender.is_ketenpartner
        if _asks_who_in_a_place(reading, services, map_places=map_places):
            return Understanding("contact", 1.0)
        folded = reading.folded
        # "vier de start van de pilot": celebrating a milestone that exists, not the number four.
        if folded.startswith("vier ") and services.milestones.find(folded.removeprefix("vier ")) is not None:
            return Understanding("celebrate", 1.0)
        # For a director "vier X" is always a celebration, also of a milestone that does not exist (yet).
        if (folded == "vier" or folded.startswith("vier ")) and sender is not None and sender.is_director:
            return Understanding("celebrate", 1.0)
    return understanding


def _clear_question(msg: Incoming, reading: Reading, services: Services) -> Understanding | None:
    """A question to ketenbot typed inside a dialog, phrased as a question and understood well enough to
    answer: a knowledge entry without doubt, or a contact question. Else None."""
    if msg.action or not looks_like_question(msg.text):
        return None
    understanding = interpret(reading, services)
    if understanding.intent == "contact":
        return understanding
    top = understanding.candidates[0] if understanding.candidates else None
    sure = top is not None and top.score >= ANSWER_THRESHOLD and not understanding.ambiguous
    return understanding if understanding.intent == "knowledge" and sure else None


def _asks_who_in_a_place(reading: Reading, services: Services, *, map_places: bool) -> bool:
    """A sentence that starts with "wie" and names a place, on the map or in the list of Dutch places."""
    asking = [sentence for sentence in reading.sentences if sentence.startswith("wie ")]
    if any(services.matcher.lexicon.place_in(sentence) for sentence in asking):
        return True
    if not asking or not map_places:
        return False
    view = services.directory.view()
    return any(view.place_in(sentence) for sentence in asking)


def find_contacts(text: str, services: Services) -> list[str]:
    """Names of the partners a contact question finds, best first (for evaluation)."""
    reply = contact_reply(read(text), services.matcher.lexicon, services.directory.view())
    return [result["name"] for result in reply.results]


def _on_intent(understanding: Understanding, msg: Incoming, reading: Reading, sender: Sender, state: State, services: Services) -> Reply:
    intent = understanding.intent
    alternatives = tuple((c.entry_id, c.score) for c in understanding.candidates[1:])
    if intent == "knowledge":
        if _confident(understanding):
            top = understanding.candidates[0]
            return _show_entry(top.entry_id, state, services, score=top.score, alternatives=alternatives)
        return _suggest(understanding, state, services)
    if intent == "help":
        return help_reply()
    if intent == "contact":
        if not sender.is_ketenpartner:
            return not_a_ketenpartner("contact")
        if not services.contact_searches.take(msg.qualified_user):
            return Reply(text=TOO_MANY_SEARCHES.format(limit=SEARCHES_PER_HOUR), intent="contact", score=1.0)
        return contact_reply(reading, services.matcher.lexicon, services.directory.view())
    if intent == "invite":
        return invitation.invite(msg, services)
    if intent == "register":
        return registration.own_data(msg, state, services)
    if intent == "unregister":
        return registration.ask_delete(msg, state, services)
    if intent == "link":
        return registration.link(msg, state, services)
    if intent in DIRECTOR_INTENTS:
        return _director(intent, msg, sender, state, services)
    return fallback_reply(understanding.score, alternatives)


DIRECTOR_INTENTS = ("checkin", "report", "milestone", "celebrate", "progress")


def _director(intent: str, msg: Incoming, sender: Sender, state: State, services: Services) -> Reply:
    if not sender.is_director:
        request = services.checkins.open_for(msg.qualified_user) if intent == "checkin" else None
        if request is not None:
            # "check-in" from a partner brings back the question that is open, not the first one.
            return checkin.current_question(request)
        return director.refuse(intent)
    if intent == "checkin":
        return director.checkin_command(msg, services)
    if intent == "report":
        return director.report_command(services)
    if intent == "milestone":
        return director.milestone_command(msg, services)
    if intent == "progress":
        return director.progress_command(services)
    return director.celebrate_command(msg, state, services)


def _confident(understanding: Understanding) -> bool:
    """A knowledge answer sure enough to give without asking "Bedoel je …?"."""
    return (
        understanding.intent == "knowledge"
        and understanding.candidates[0].score >= ANSWER_THRESHOLD
        and not understanding.ambiguous
    )


def _open(entry_id: str, state: State, *, remember: bool = True) -> None:
    """Make an entry the open topic; the one before it goes on the history for 'terug'."""
    if remember and state.get("topic") and state.get("topic") != entry_id:
        state["history"] = [*state.get("history", []), state["topic"]][-HISTORY_LIMIT:]
    state["topic"] = entry_id


def _show_entry(
    entry_id: str,
    state: State,
    services: Services,
    *,
    score: float = 1.0,
    alternatives: tuple[tuple[str, float], ...] = (),
    remember: bool = True,
    note: str | None = None,
) -> Reply:
    knowledge = services.knowledge
    entry = knowledge.get(entry_id)
    if entry is None:
        return fallback_reply(0.0)
    _open(entry_id, state, remember=remember)
    reply = answers.render_entry(entry, knowledge, score=score, note=note)
    return replace(reply, alternatives=alternatives)


def _examples(subject: str | None, msg: Incoming, reading: Reading, sender: Sender, state: State, services: Services) -> Reply:
    """ "heb je een voorbeeld?" about the open topic, or "… van ketenregie?" about the subject it names.
    A subject ketenbot does not recognise makes the message an ordinary question."""
    if subject is None:
        topic = services.knowledge.get(state.get("topic") or "")
        if topic is None:
            return Reply(text=answers.NO_TOPIC_FOR_EXAMPLE, intent="fallback")
        return _show_examples(topic, state, services)
    understanding = services.matcher.understand(subject)
    if not _confident(understanding):
        return _on_intent(interpret(reading, services, sender=sender), msg, reading, sender, state, services)
    entry = services.knowledge.get(understanding.candidates[0].entry_id)
    if entry.kind == "voorbeeld":
        return _show_entry(entry.id, state, services)
    if not answers.has_examples(entry, services.knowledge) and not entry.example:
        return _show_entry(entry.id, state, services, note=answers.NO_EXAMPLE.format(title=entry.title))
    _open(entry.id, state)
    return _show_examples(entry, state, services)


def _show_examples(entry: Entry, state: State, services: Services) -> Reply:
    """One example from practice is shown at once; several are listed to choose from."""
    examples = services.knowledge.examples(entry.id)
    if len(examples) == 1 and not entry.practice:
        return _show_entry(examples[0].id, state, services)
    return answers.render_examples(entry, services.knowledge)


def _suggest(understanding: Understanding, state: State, services: Services) -> Reply:
    knowledge = services.knowledge
    top = [c for c in understanding.candidates[:SUGGESTIONS]]
    entries = [e for e in (knowledge.get(c.entry_id) for c in top) if e is not None]
    reply = answers.render_suggestions(entries, knowledge, score=understanding.score)
    return replace(reply, entry=top[0].entry_id, alternatives=tuple((c.entry_id, c.score) for c in top[1:]))


def _on_followup(followup: Followup, msg: Incoming, reading: Reading, sender: Sender, state: State, services: Services) -> Reply:
    command, number = followup.command, followup.number
    if command == "voorbeeld":
        return _examples(followup.subject, msg, reading, sender, state, services)
    if command == "stop":
        state.clear()
        return help_reply()
    if command == "kies":
        options = state.get("options") or []
        if not options:
            return Reply(text=answers.NOTHING_OPEN, intent="fallback")
        if number is None or not 1 <= number <= len(options):
            return Reply(text=answers.NO_SUCH_OPTION.format(number=number, count=len(options)), intent="knowledge")
        return _on_value(options[number - 1], msg, state, services)
    return _on_value({"meer": "more", "bron": "source", "terug": "back"}[command], msg, state, services)


ACTIONS = {
    "register:start": registration.start,
    "unregister:start": registration.ask_delete,
    "register:confirm": registration.confirm,
}


def _on_value(value: str, msg: Incoming, state: State, services: Services) -> Reply:
    """A button's value, or what a typed follow-up stands for."""
    knowledge = services.knowledge
    if value in ACTIONS:
        return ACTIONS[value](msg, state, services)
    if value.startswith("entry:"):
        return _show_entry(value.removeprefix("entry:"), state, services)
    topic = knowledge.get(state.get("topic") or "")
    if value == "back":
        history = state.get("history") or []
        if history:
            previous = history.pop()
            state["history"] = history
            return _show_entry(previous, state, services, remember=False)
        # An oplossing goes back to its knelpunt, an example to what it is an example of.
        up = topic and (topic.parent or next(iter(topic.illustrates), None))
        if up:
            return _show_entry(up, state, services, remember=False)
        return Reply(text=answers.NO_PREVIOUS, intent="knowledge")
    if topic is None:
        return Reply(text=answers.NOTHING_OPEN, intent="fallback")
    if value == "more":
        return answers.render_more(topic, knowledge)
    if value == "source":
        return answers.render_source(topic, knowledge)
    if value == "example":
        return _show_examples(topic, state, services)
    return fallback_reply(0.0)
