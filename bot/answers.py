"""Knowledge answers: an entry becomes a short, scannable Dutch reply with follow-up options.

All wording a user reads about knowledge answers lives here.
"""

from __future__ import annotations

from bot.knowledge import Entry, KnowledgeBase
from bot.messages import Card, CardField, Option, Reply

LEVEL_NAMES = {"traject": "trajectniveau", "keten": "ketenniveau", "netwerk": "netwerkniveau", "beleid": "beleidsomgeving"}
HINT_KNELPUNT = "Typ het nummer van een oplossing, 'meer' voor de toelichting of 'bron' voor de bron."
HINT_OPLOSSING = "Typ 'meer' voor de uitleg, 'bron' voor de bron of 'terug' voor het knelpunt."
HINT_RELATED = "Typ een nummer om verder te lezen, 'meer' voor de toelichting of 'bron' voor de bron."
HINT_OVERVIEW = "Typ een nummer om het te openen."
LABEL_MORE = "Meer"
LABEL_SOURCE = "Bron"
LABEL_BACK = "Terug"
SOLUTIONS_HEADING = "Oplossingen:"
RELATED_HEADING = "Zie ook:"
TASKS_HEADING = "Taken:"
EXAMPLE_PREFIX = "Voorbeeld: "
LEVELS_PREFIX = "Werkt op: "
SOURCE_PREFIX = "Bron: "
SUGGEST_TEXT = "Ik weet niet zeker wat je bedoelt. Bedoel je een van deze?"
SUGGEST_HINT = "Typ een nummer, of stel je vraag anders."
NO_MORE_TEXT = "Meer dan dit staat er niet in de kennisbank over {title}."
NOTHING_OPEN = "Er staat nog geen onderwerp open. Stel eerst een vraag, bijvoorbeeld 'wat is ketenregie?'."
NO_SUCH_OPTION = "Nummer {number} staat niet in de lijst. Kies een nummer van 1 tot en met {count}."
NO_PREVIOUS = "Er is geen vorig onderwerp om naar terug te gaan."


def entry_value(entry_id: str) -> str:
    return f"entry:{entry_id}"


def heading(entry: Entry, knowledge: KnowledgeBase) -> str:
    """The title as a user should see it, with its number for knelpunten and oplossingen."""
    if entry.kind == "knelpunt":
        return f"Knelpunt {entry.id.split('-')[-1]}: {entry.title}"
    if entry.kind == "oplossing" and entry.parent:
        parent = knowledge.get(entry.parent)
        knelpunt = entry.parent.split("-")[-1]
        where = f" bij knelpunt {knelpunt}" + (f" ({parent.title})" if parent else "")
        return f"Oplossing {entry.number}{where}: {entry.title}"
    if entry.kind == "rol":
        return f"Rol: {entry.title}"
    return entry.title


def _numbered(entries: list[Entry]) -> list[str]:
    return [f"{n}. {e.title}" for n, e in enumerate(entries, start=1)]


def _actions(*labels: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(label, value, numbered=False) for label, value in labels)


def _linked(entry: Entry, knowledge: KnowledgeBase) -> list[Entry]:
    """What a numbered follow-up opens: solutions, overview items or related entries."""
    if entry.kind == "knelpunt":
        return knowledge.solutions(entry.id)
    ids = entry.items if entry.kind == "overzicht" else entry.related
    if entry.kind == "oplossing":
        ids = tuple(i for i in ids if i != entry.parent)
    return [e for e in (knowledge.get(i) for i in ids) if e is not None]


def render_entry(entry: Entry, knowledge: KnowledgeBase, *, score: float = 1.0) -> Reply:
    """The first answer about an entry: summary plus what to read next."""
    linked = _linked(entry, knowledge)
    lines = [heading(entry, knowledge), "", entry.summary]
    fields: list[CardField] = []
    if entry.kind == "rol":
        levels = ", ".join(LEVEL_NAMES.get(level, level) for level in entry.levels)
        lines += ["", LEVELS_PREFIX + levels, TASKS_HEADING, *[f"- {task}" for task in entry.tasks]]
        fields.append(CardField(LEVELS_PREFIX.rstrip(": "), levels))
    if entry.kind == "begrip" and entry.example:
        lines += ["", EXAMPLE_PREFIX + entry.example]
    if entry.kind == "knelpunt":
        lines += ["", SOLUTIONS_HEADING, *_numbered(linked), "", HINT_KNELPUNT]
    elif entry.kind == "overzicht":
        lines += ["", *_numbered(linked), "", HINT_OVERVIEW]
    elif linked:
        lines += ["", RELATED_HEADING, *_numbered(linked), "", HINT_OPLOSSING if entry.kind == "oplossing" else HINT_RELATED]
    if entry.kind == "begrip":
        lines += ["", SOURCE_PREFIX + knowledge.source_label(entry.source)]
    options = [Option(e.title, entry_value(e.id)) for e in linked]
    actions = [(LABEL_MORE, "more")]
    if entry.kind != "begrip":
        actions.append((LABEL_SOURCE, "source"))
    if entry.kind == "oplossing":
        actions.append((LABEL_BACK, "back"))
    card = Card(
        title=heading(entry, knowledge),
        body=entry.summary + (f"\n\n{EXAMPLE_PREFIX}{entry.example}" if entry.example else ""),
        fields=tuple(fields),
        footer=SOURCE_PREFIX + knowledge.source_label(entry.source),
    )
    return Reply(
        text="\n".join(lines),
        options=(*options, *_actions(*actions)),
        card=card,
        intent="knowledge",
        entry=entry.id,
        score=score,
    )


def render_more(entry: Entry, knowledge: KnowledgeBase) -> Reply:
    """The fuller text of an entry."""
    text = entry.text if entry.text != entry.summary else NO_MORE_TEXT.format(title=entry.title)
    body = "\n\n".join(part for part in (heading(entry, knowledge), text) if part)
    return Reply(
        text=body,
        options=_actions((LABEL_SOURCE, "source"), (LABEL_BACK, "back")),
        card=Card(title=heading(entry, knowledge), body=text),
        intent="knowledge",
        entry=entry.id,
        score=1.0,
    )


def render_source(entry: Entry, knowledge: KnowledgeBase) -> Reply:
    label = knowledge.source_label(entry.source)
    return Reply(
        text=f"{heading(entry, knowledge)}\n\n{SOURCE_PREFIX}{label}",
        options=_actions((LABEL_MORE, "more"), (LABEL_BACK, "back")),
        card=Card(title=heading(entry, knowledge), footer=SOURCE_PREFIX + label),
        intent="knowledge",
        entry=entry.id,
        score=1.0,
    )


def render_suggestions(entries: list[Entry], knowledge: KnowledgeBase, *, score: float) -> Reply:
    """The "Bedoel je …?" reply for the middle band of confidence."""
    lines = [SUGGEST_TEXT, *[f"{n}. {heading(e, knowledge)}" for n, e in enumerate(entries, start=1)], "", SUGGEST_HINT]
    return Reply(
        text="\n".join(lines),
        options=tuple(Option(heading(e, knowledge), entry_value(e.id)) for e in entries),
        intent="knowledge",
        entry=None,
        score=score,
    )
