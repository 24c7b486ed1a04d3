"""Feedback on answers and keeping what ketenbot could not answer well (the knowledge-gap loop, bot/understanding/gaps.py).

Every entry shown gets "Had je hier iets aan?" with 👍 and 👎 (buttons on Slack, Teams and the web chat). 👎, or a
typed "nee, dat bedoel ik niet", keeps the question that led to the answer (scrubbed) and offers the other
entries the question could mean. The question is remembered in the conversation state for that, already without
e-mail addresses and numbers; names are scrubbed when it is kept (they need the social map).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.knowledge import answers
from bot.language.scrub import scrub
from bot.messages import Option, Reply
from bot.understanding.gaps import (
    FALLBACK,
    TOP_THEMES,
    UNHELPFUL,
    UNSURE,
    cleaned,
    terms_of,
    theme_for,
    themes,
)
from bot.understanding.matcher import Understanding

if TYPE_CHECKING:
    from bot.knowledge.model import KnowledgeBase
    from bot.state import Turn
    from bot.understanding.gaps import Theme

QUESTION = "Had je hier iets aan?"
UP, DOWN = "feedback:up:", "feedback:down:"
PREFIX = "feedback:"
THANKS = "Fijn, dank je wel!"
SORRY = "Jammer. Dank je voor het laten weten: ik geef je vraag door, zodat de kennisbank beter wordt."
NOTED = "Dank je voor het laten weten."
NO_ALTERNATIVES = "Ik heb geen ander antwoord dat past. Probeer het eens met andere woorden."
NOTHING_ANSWERED = "Waar ging het om? Stel je vraag gerust in andere woorden."
ALTERNATIVES = 3
NO_GAPS = "Er zijn geen kennisvragen: alle vragen van de afgelopen 90 dagen kreeg ketenbot beantwoord."
GAPS_HEADING = "Vragen die ketenbot niet goed kon beantwoorden (de {count} meest gestelde):"
GAPS_HINT = "Koppel een thema aan een entry met 'ketenbot gaps link THEMA ENTRY-ID', of 'ketenbot gaps dismiss THEMA'."


def ask(reply: Reply, turn: Turn) -> Reply:
    """An entry's answer with 👍 and 👎; a typed question is remembered for a 👎 (a follow-up such as "2" or "meer"
    is no question: the one it follows stays)."""
    if not turn.msg.action and turn.msg.text and turn.services.matcher.lexicon.followup_of(turn.reading.folded) is None:
        turn.state.asked = scrub(turn.msg.text)
    entry = reply.entry or turn.state.topic or ""
    feedback = (Option("👍", f"{UP}{entry}", numbered=False), Option("👎", f"{DOWN}{entry}", numbered=False))
    return replace(reply, text=f"{reply.text}\n\n{QUESTION}", options=(*reply.options, *feedback))


def keep(understanding: Understanding, turn: Turn, reason: str, *, guess: str | None = None) -> None:
    """Keep the question of this turn (FALLBACK, UNSURE) or the one remembered (UNHELPFUL), scrubbed."""
    services = turn.services
    text = turn.state.asked if reason == UNHELPFUL else turn.msg.text
    if not text:
        return
    question = cleaned(text, services.directory.people_words())
    terms = terms_of(question, services.matcher.lexicon)
    top = understanding.candidates[0].entry_id if understanding.candidates else None
    theme = theme_for(terms, services.gaps.kept())
    services.gaps.keep(turn.identity, question, terms, reason=reason, guess=guess or top, score=understanding.score, theme_id=theme)
    # A doubtful guess is followed by a choice; a 👎 on what was chosen concerns this question.
    turn.state.asked = scrub(text) if reason == UNSURE else None


def keep_unanswered(understanding: Understanding, turn: Turn) -> None:
    """A question that got the fallback or a doubtful guess."""
    keep(understanding, turn, FALLBACK if understanding.intent == "fallback" else UNSURE)


def on_click(value: str, turn: Turn) -> Reply:
    """👍 or 👎 under an answer."""
    if value.startswith(UP):
        return Reply(text=THANKS, intent="feedback", score=1.0)
    # A button's value comes back from the client: only an entry that exists is taken from it, never free text.
    named = value.removeprefix(DOWN)
    return unhelpful(named if turn.services.knowledge.get(named) is not None else turn.state.topic, turn)


def not_meant(turn: Turn) -> Reply:
    """ "nee, dat bedoel ik niet": a 👎 on the answer just given, with the alternatives."""
    if turn.state.topic is None:
        return Reply(text=NOTHING_ANSWERED, intent="feedback", score=1.0)
    return unhelpful(turn.state.topic, turn)


def unhelpful(entry_id: str | None, turn: Turn) -> Reply:
    asked = turn.state.asked
    if not asked:
        return Reply(text=NOTED, intent="feedback", score=1.0)
    services = turn.services
    understanding = services.matcher.understand(asked)
    keep(understanding, turn, UNHELPFUL, guess=entry_id)
    others = [c for c in understanding.candidates if c.entry_id != entry_id][:ALTERNATIVES]
    entries = [e for e in (services.knowledge.get(c.entry_id) for c in others) if e is not None]
    if not entries:
        return Reply(text=f"{SORRY}\n\n{NO_ALTERNATIVES}", intent="feedback", score=1.0)
    suggestions = answers.render_suggestions(entries, services.knowledge, score=understanding.score)
    return replace(suggestions, text=f"{SORRY}\n\n{suggestions.text}", intent="feedback")


def render_themes(found: list[Theme], knowledge: KnowledgeBase, *, limit: int | None = None) -> str:
    """The themes as text: number, count, first and last seen, examples, best guess (for chat and `ketenbot gaps`)."""
    lines = []
    for theme in found[:limit]:
        guess = knowledge.get(theme.guess or "")
        lines.append(
            f"Thema {theme.id}: {theme.count}× gevraagd, eerst op {theme.first_seen:%d-%m-%Y}, laatst op {theme.last_seen:%d-%m-%Y}"
        )
        lines += [f"  - \"{example}\"" for example in theme.examples]
        lines.append(f"  beste gok: {guess.id} ({guess.title})" if guess else "  beste gok: geen")
    return "\n".join(lines)


def review_command(turn: Turn) -> Reply:
    """ "kennisvragen" (a director's): the five most asked themes."""
    found = themes(turn.services.gaps.kept())
    if not found:
        return Reply(text=NO_GAPS, intent="gaps", score=1.0)
    shown = min(len(found), TOP_THEMES)
    text = "\n".join([GAPS_HEADING.format(count=shown), render_themes(found, turn.services.knowledge, limit=TOP_THEMES), "", GAPS_HINT])
    return Reply(text=text, intent="gaps", score=1.0)
