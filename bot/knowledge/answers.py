"""Knowledge answers: an entry becomes a short, scannable Dutch reply with follow-up options.

All wording a user reads about knowledge answers lives here.
"""

from __future__ import annotations

from bot.knowledge.model import Entry, KnowledgeBase
from bot.language.dutch import one_of
from bot.messages import Card, CardField, Option, Reply

LEVEL_NAMES = {"traject": "trajectniveau", "keten": "ketenniveau", "netwerk": "netwerkniveau", "beleid": "beleidsomgeving"}
HINT_PICK_SOLUTION = "het nummer van een oplossing"
HINT_PICK_RELATED = "een nummer om verder te lezen"
HINT_MORE = "'meer' voor de toelichting"
HINT_MORE_SOLUTION = "'meer' voor de uitleg"
HINT_EXAMPLE = "'voorbeeld' voor een voorbeeld uit de praktijk"
HINT_SOURCE = "'bron' voor de bron"
HINT_BACK_SOLUTION = "'terug' voor het knelpunt"
HINT_OVERVIEW = "Typ een nummer om het te openen."
HINT_EXAMPLES = "Typ een nummer om een voorbeeld te openen."
HINT_TOPICS = "Typ een nummer om het onderwerp te openen."
LABEL_MORE = "Meer"
LABEL_SOURCE = "Bron"
LABEL_BACK = "Terug"
LABEL_EXAMPLE = "Voorbeeld"
SOLUTIONS_HEADING = "Oplossingen:"
RELATED_HEADING = "Zie ook:"
TASKS_HEADING = "Taken:"
PRACTICE_HEADING = "Uit de praktijk:"
EXAMPLES_HEADING = "Voorbeelden bij {heading}"
EXAMPLE_HEADING = "Voorbeeld uit de praktijk: {title}"
EXAMPLE_PREFIX = "Voorbeeld: "
BACKGROUND_PREFIX = "Algemene achtergrond (dit staat niet in de bronnen): "
LEVELS_PREFIX = "Werkt op: "
SOURCE_PREFIX = "Bron: "
SOURCES_HEADING = "Bronnen:"
SUGGEST_TEXT = "Ik weet niet zeker wat je bedoelt. Bedoel je een van deze?"
SUGGEST_HINT = "Typ een nummer, of stel je vraag anders."
NO_MORE_TEXT = "Meer dan dit staat er niet in de kennisbank over {title}."
NO_EXAMPLE = "Bij '{title}' heb ik geen voorbeeld uit de praktijk."
IS_EXAMPLE = "Dit is zelf een voorbeeld uit de praktijk. Het hoort bij:"
NOTHING_OPEN = "Er staat nog geen onderwerp open. Stel eerst een vraag, bijvoorbeeld 'wat is ketenregie?'."
NO_TOPIC_FOR_EXAMPLE = "Waarvan wil je een voorbeeld? Vraag bijvoorbeeld 'heb je een voorbeeld van ketenregie?'."
NO_SUCH_OPTION = "Nummer {number} staat niet in de lijst. Kies een nummer van 1 tot en met {count}."
NO_PREVIOUS = "Er is geen vorig onderwerp om naar terug te gaan."
SAME_TERM = "In mijn kennis zijn {first} en {second} hetzelfde begrip."
SIDE_NOT_KNOWN = "'{words}' staat niet in mijn kennis. Over {known} weet ik dit:"
COMPARISON_HEADING = "Je vraagt naar twee begrippen. Wat mijn kennis over elk zegt:"
HINT_COMPARISON = "Typ 1 of 2 om verder te lezen."


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
    if entry.kind == "voorbeeld":
        return EXAMPLE_HEADING.format(title=entry.title)
    return entry.title


def source_text(entry: Entry, knowledge: KnowledgeBase) -> str:
    """Every source of an entry: one line, or a list when there are several."""
    labels = [knowledge.source_label(source) for source in entry.sources]
    if len(labels) == 1:
        return SOURCE_PREFIX + labels[0]
    return "\n".join([SOURCES_HEADING, *[f"- {label}" for label in labels]])


def practice_lines(entry: Entry) -> list[str]:
    if not entry.practice:
        return []
    return [PRACTICE_HEADING, *[f"- {line.who[0].upper()}{line.who[1:]}: {line.says}" for line in entry.practice]]


def has_examples(entry: Entry, knowledge: KnowledgeBase) -> bool:
    """Whether 'voorbeeld' shows something the first answer does not."""
    return entry.kind != "voorbeeld" and bool(knowledge.examples(entry.id) or entry.practice)


def _hint(*parts: str) -> str:
    return f"Typ {one_of(*parts)}."


def _numbered(entries: list[Entry]) -> list[str]:
    return [f"{n}. {e.title}" for n, e in enumerate(entries, start=1)]


def _actions(*labels: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(label, value, numbered=False) for label, value in labels)


def listed_entries(entry: Entry, knowledge: KnowledgeBase) -> list[Entry]:
    """What a numbered follow-up opens: solutions, overview items, or the entries an example or entry points to.
    A title is listed once, and never the entry's own: two solutions of two knelpunten that share a title
    ("Wijs een ketenregisseur aan") would read as the same line twice."""
    if entry.kind == "knelpunt":
        return knowledge.solutions(entry.id)
    ids = entry.items if entry.kind == "overzicht" else (*entry.illustrates, *entry.related)
    if entry.kind == "oplossing":
        ids = tuple(i for i in ids if i != entry.parent)
    seen = {entry.title.casefold()}
    listed = []
    for other in (knowledge.get(i) for i in dict.fromkeys(ids)):
        if other is not None and other.id != entry.id and other.title.casefold() not in seen:
            seen.add(other.title.casefold())
            listed.append(other)
    return listed


def _next_steps(entry: Entry, linked: list[Entry], example: bool) -> list[str]:
    """The numbered list and the hint that close a first answer."""
    extra = (HINT_EXAMPLE,) if example else ()
    if entry.kind == "knelpunt":
        return ["", SOLUTIONS_HEADING, *_numbered(linked), "", _hint(HINT_PICK_SOLUTION, HINT_MORE, *extra, HINT_SOURCE)]
    if entry.kind == "overzicht":
        return ["", *_numbered(linked), "", HINT_OVERVIEW]
    if entry.kind == "oplossing":
        listing = ["", RELATED_HEADING, *_numbered(linked)] if linked else []
        return [*listing, "", _hint(HINT_MORE_SOLUTION, *extra, HINT_SOURCE, HINT_BACK_SOLUTION)] if linked or example else []
    if linked:
        return ["", RELATED_HEADING, *_numbered(linked), "", _hint(HINT_PICK_RELATED, HINT_MORE, *extra, HINT_SOURCE)]
    return ["", _hint(HINT_MORE, *extra, HINT_SOURCE)] if example else []


def render_entry(entry: Entry, knowledge: KnowledgeBase, *, score: float = 1.0, note: str | None = None) -> Reply:
    """The first answer about an entry: summary plus what to read next. `note` goes above it."""
    linked = listed_entries(entry, knowledge)
    example = has_examples(entry, knowledge)
    lines = [*([note, ""] if note else []), heading(entry, knowledge), "", entry.summary]
    fields: list[CardField] = []
    if entry.kind == "rol":
        levels = ", ".join(LEVEL_NAMES.get(level, level) for level in entry.levels)
        lines += ["", LEVELS_PREFIX + levels, TASKS_HEADING, *[f"- {task}" for task in entry.tasks]]
        fields.append(CardField(LEVELS_PREFIX.rstrip(": "), levels))
    if entry.example:
        lines += ["", EXAMPLE_PREFIX + entry.example]
    if entry.background:
        lines += ["", BACKGROUND_PREFIX + entry.background]
    lines += _next_steps(entry, linked, example)
    source_in_text = entry.kind in ("begrip", "voorbeeld")
    if source_in_text:
        lines += ["", source_text(entry, knowledge)]
    options = [Option(e.title, entry_value(e.id)) for e in linked]
    actions = [(LABEL_MORE, "more")]
    if example:
        actions.append((LABEL_EXAMPLE, "example"))
    if not source_in_text:
        actions.append((LABEL_SOURCE, "source"))
    if entry.kind in ("oplossing", "voorbeeld"):
        actions.append((LABEL_BACK, "back"))
    card = Card(
        title=heading(entry, knowledge),
        body="\n\n".join(
            part
            for part in (note, entry.summary, entry.example and EXAMPLE_PREFIX + entry.example, entry.background and BACKGROUND_PREFIX + entry.background)
            if part
        ),
        fields=tuple(fields),
        footer=source_text(entry, knowledge),
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
    """The fuller text of an entry, with what practitioners said."""
    text = entry.text if entry.text != entry.summary else NO_MORE_TEXT.format(title=entry.title)
    body = "\n\n".join(part for part in (text, "\n".join(practice_lines(entry))) if part)
    actions = [(LABEL_SOURCE, "source"), (LABEL_BACK, "back")]
    if knowledge.examples(entry.id):
        actions.insert(0, (LABEL_EXAMPLE, "example"))
    return Reply(
        text=f"{heading(entry, knowledge)}\n\n{body}",
        options=_actions(*actions),
        card=Card(title=heading(entry, knowledge), body=body),
        intent="knowledge",
        entry=entry.id,
        score=1.0,
    )


def render_source(entry: Entry, knowledge: KnowledgeBase) -> Reply:
    sources = source_text(entry, knowledge)
    return Reply(
        text=f"{heading(entry, knowledge)}\n\n{sources}",
        options=_actions((LABEL_MORE, "more"), (LABEL_BACK, "back")),
        card=Card(title=heading(entry, knowledge), footer=sources),
        intent="knowledge",
        entry=entry.id,
        score=1.0,
    )


def render_examples(entry: Entry, knowledge: KnowledgeBase) -> Reply:
    """What practitioners said about an entry and the examples from practice as a numbered list, or
    its short example if there are none."""
    if entry.kind == "voorbeeld":
        topics = [e for e in (knowledge.get(i) for i in entry.illustrates) if e is not None]
        text = "\n".join([IS_EXAMPLE, *_numbered(topics), "", HINT_TOPICS])
        return Reply(text=text, options=tuple(Option(e.title, entry_value(e.id)) for e in topics), intent="knowledge", entry=entry.id, score=1.0)
    examples = knowledge.examples(entry.id)
    # The short example is in the first answer already; it stands in only when there is nothing longer.
    parts = [EXAMPLE_PREFIX + entry.example] if entry.example and not examples else []
    if entry.practice:
        parts.append("\n".join(practice_lines(entry)))
    if examples:
        parts.append("\n".join([*_numbered(examples), "", HINT_EXAMPLES]))
    body = "\n\n".join(parts) or NO_EXAMPLE.format(title=entry.title)
    title = EXAMPLES_HEADING.format(heading=heading(entry, knowledge))
    return Reply(
        text=f"{title}\n\n{body}",
        options=(*[Option(e.title, entry_value(e.id)) for e in examples], *_actions((LABEL_MORE, "more"))),
        card=Card(title=title, body=body),
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


def render_comparison(entries: list[Entry], knowledge: KnowledgeBase) -> Reply:
    """Two entries side by side, for "wat is het verschil tussen X en Y": each heading with its summary."""
    parts = [f"{n}. {heading(e, knowledge)}\n{e.summary}" for n, e in enumerate(entries, start=1)]
    return Reply(
        text="\n\n".join([COMPARISON_HEADING, *parts, HINT_COMPARISON]),
        options=tuple(Option(e.title, entry_value(e.id)) for e in entries),
        intent="knowledge",
        entry=entries[0].id,
        score=1.0,
    )
