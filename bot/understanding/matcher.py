"""Understanding a question: which intent, and for knowledge questions which entries, how sure."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bot.knowledge.model import KnowledgeBase
from bot.language.dutch import fold
from bot.language.lexicon import Lexicon
from bot.understanding.confidence import (
    ANSWER_CONFIDENCE,
    MAX_WORD_STRENGTH,
    SURE_CONFIDENCE,
    Signals,
    confidence,
)
from bot.understanding.meaning import Meaning
from bot.understanding.reading import READ_CHARS, Reading, negates, read
from bot.understanding.term_index import Scores, TermIndex

ANSWER_THRESHOLD = 0.5
WEIGHT_BEST_PHRASE = 0.5
WEIGHT_PHRASE_COVERAGE = 0.3
WEIGHT_CONTEXT_COVERAGE = 0.2

_REFERENCE = re.compile(r"^(?:knelpunt|kp)\s*(\d+)(?:\s*(?:oplossing|opl)\s*(\d+))?$|^(?:oplossing|opl)\s*(\d+)\s*(?:van\s*)?(?:knelpunt|kp)\s*(\d+)$")
_EMBEDDED = re.compile(r"\bwat\b(.{1,60})\b(is|zijn|betekent|betekenen|inhoudt|inhouden)$")
_DEFINITION = re.compile(
    r"^(wat (is|zijn)(?! (er|daar|hier|dan|nu|daarvoor|hiervoor|ervoor|nodig|het beste|de beste|een goede|goed|"
    r"belangrijk|handig|verstandig|slim|wijs|te doen|de oplossing|een oplossing|de aanpak|een aanpak|de reden|"
    r"het probleem|de eerste stap|de volgende stap)\b)|wat (betekent|betekend|betekenen|bedoel|bedoelen|bedoelt|houdt|verstaan)|definitie|definieer|uitleg|"
    r"leg uit|betekenis|omschrijving|begrip)\b|\b(betekent|betekend|betekenis|inhoudt|houdt in|begrip|definitie|uitleg)$"
    r"|\bhoe (heet|noem je|noemen we|noemt men) (dat|dit|zoiets|het)\b"
    r"|\b(is|bestaat) (daar|er|hier) (ook )?een (term|woord|naam|begrip|benaming) voor\b"
    # Asked indirectly: "kun je me uitleggen wat ketendenken is", "ik vraag me af wat een convenant inhoudt".
    r"|\b(uitleggen|vertellen|zeggen|weet|weten|snap|begrijp|afvragen|uitleg)\b.{0,25}" + _EMBEDDED.pattern
)
# A complaint: a negation (bot/understanding/reading.py `negates`) or one of these words.
_PROBLEM = re.compile(
    r"\b(onvoldoende|in de weg|lukt|mislukt|probleem|problemen|moeite|lastig|"
    r"weigert|weigeren|te weinig|gebrek|ontbreekt|ontbreken|stroef|loopt vast|zit vast)\b"
)
# "wat is het verschil tussen X en Y", "is X hetzelfde als Y": both X and Y are asked about.
_BETWEEN = re.compile(r"\b(?:(?:het|de|een) )?(?:verschil|verschillen|onderscheid)(?: is er)? tussen\b")
_SAME = re.compile(r"\b(?:hetzelfde|dezelfde|gelijk|anders|iets anders) (?:als|dan)\b|\b(?:versus|vs)\b")
_AND_OR = re.compile(r"\b(?:en|of)\b")
# A side of a comparison is a term, not a sentence; it names an entry when it is that entry's name or nearly.
MAX_SIDE_WORDS = 4
SIDE_THRESHOLD = 1.0
# "noem eens drie manieren om …", "welke oplossingen zijn er voor …": the knelpunt lists its solutions.
_LIST = re.compile(
    r"\b(noem|geef|welke|wat zijn|zijn er|heb je|ken je|som)\b.{0,20}\b(\d+|twee|drie|vier|vijf|een paar|enkele|wat|alle|meerdere|verschillende)? ?"
    r"(manieren|oplossingen|opties|mogelijkheden|tips|ideeen|aanpakken|stappen|maatregelen|oplossingsrichtingen)\b"
)
_HOW = re.compile(r"^(hoe|wat kan|wat kunnen|wat moet|wat moeten|tips?|advies)\b")
_ROLE = re.compile(
    r"\b(rol|rollen|taak|taken|verantwoordelijk\w*|wat doet|wat doen)\b"
    r"|^wat (moet|moeten|mag|mogen|kan|kunnen|doe|doen) (je|ik|we|wij|u) als\b"
    r"|\b(wordt|worden|verwacht|verwachten|verwachting|verwachtingen)\b.{0,25}\bvan (de|een|het|ons|onze|mij|me|jou|jullie)\b.{0,30}\bverwacht\b"
    r"|\b(verwacht|verwachten) (ze|zij|men|je|jullie|de \w+) (eigenlijk )?van (de|een|het|ons|onze|mij|me)\b"
    r"|\bwie (doet|voert|heeft|neemt|houdt|pakt) (hier |dan |eigenlijk |nu )?(de )?(regie|leiding|coordinatie|eindverantwoordelijkheid)\b"
)
KIND_BOOST = 1.15
PARENT_SHARE = 0.8
MAX_COMPLAINT_TERMS = 4
AMBIGUOUS_RATIO = 0.97
# A one-word question ("de gemeente") that three or more entries fit about equally: ask which is meant.
VAGUE_RATIO = 0.85
FOCUS_BOOST = 2.0
TITLE_BOOST = 1.15
# A quoted name may be the start of a title ('T-shaped'), if it is this long and only one title starts so.
MIN_TITLE_START = 6
# A term the message names explicitly: in quotes ('ontkokering', "ketenregie") or as "de term X".
_QUOTE = r"(?:^|(?<=[\s(]))[\"'‘’“”„]([^\"'‘’“”„\n]{2,40}?)[\"'‘’“”„](?=[\s.,;:!?)]|$)"
_NAMED = re.compile(
    _QUOTE + r"|\b(?:de term|het woord|het begrip|de afkorting|de uitdrukking)\s+([\w-]+(?:\s[\w-]+){0,2})",
    re.IGNORECASE,
)
_QUOTED = re.compile(_QUOTE)
# An entry's strength by words and meaning together: words + MEANING_WEIGHT * (similarity - MEANING_BASE), where
# MEANING_BASE is about the similarity of an unrelated sentence (set once from the development sets).
MEANING_WEIGHT = 0.5
MEANING_BASE = 0.3
# A statement ("die lui kijken alleen naar hun eigen belang") tells a problem, and problems are the knelpunten:
# their entries' strength is raised by this much when the message asks nothing.
STATEMENT_BOOST = 0.2
# A statement says this many terms at least; fewer name a topic.
STATEMENT_TERMS = 2
# How much the closeness of a statement to a knelpunt's family as a whole weighs, beside each entry's own.
FAMILY_WEIGHT = 1.5
# The terms the sentence that asks needs to be read for its meaning on its own too.
QUESTION_TERMS = 3
# The candidates an understanding keeps.
KEPT_CANDIDATES = 5
# A message that lies this much closer in meaning to an everyday work-chat line (knowledge/taal/alledaags.yaml) than
# to any line of the knowledge is everyday chat, however well its words match: "die samenwerking tussen de twee
# spitsen" is football. A request for someone needs a wider gap: "wie weet het nummer van …" is said of the
# servicedesk and of the wijkteam alike (both set once from the development sets).
EVERYDAY_MARGIN = 0.05
CONTACT_EVERYDAY_MARGIN = 0.2
DOMAIN, OFFTOPIC = "domain", "offtopic"
# A message of this many sentences or more tells a case before it asks.
CASE_SENTENCES = 3
# A declined question whose words carry at least this much domain evidence is a social-domain question the
# knowledge does not hold (set once from the spread of the evidence on the development sets).
DOMAIN_EVIDENCE = 1.5
_GREETING = re.compile(r"^(hallo|hoi|hey|hee|hai|hi|goedemorgen|goedemiddag|goedenavond|goeiemorgen|goedendag|dag|beste)( ketenbot| bot| allemaal)?\s+")


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    score: float
    strength: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its words (folded), the entry they ask about, and whether they are that entry's
    very name (its title or a synonym), as "ketenmanagement" is of ketenregie."""

    words: str
    entry_id: str | None
    exact: bool = False


@dataclass(frozen=True)
class Understanding:
    intent: str
    score: float
    candidates: tuple[Candidate, ...] = ()
    ambiguous: bool = False
    # The query terms the knowledge base was searched with (stems, synonyms, compounds and typos resolved).
    terms: tuple[str, ...] = field(default=(), compare=False)
    # A comparison ("het verschil tussen X en Y"): each side and the entry it names, if any.
    compared: tuple[Side, ...] = field(default=(), compare=False)
    # Why a fallback declines: DOMAIN (a social-domain question the knowledge does not hold: say so, and offer
    # the social map) or OFFTOPIC (outside the social domain: the plain fallback).
    scope: str = field(default="", compare=False)
    # How much the message's words speak of the social domain (bot/understanding/evidence.py): 0 for everyday words.
    evidence: float = field(default=0.0, compare=False)
    # What the confidence was computed from, when words alone did not settle it (bot/understanding/confidence.py).
    signals: Signals | None = field(default=None, compare=False)

    @property
    def entry_id(self) -> str | None:
        return self.candidates[0].entry_id if self.candidates and self.intent == "knowledge" else None


def _preferred_kind(folded: str, terms: int) -> tuple[str, ...]:
    """The kind of entry the form of a question asks for: a definition, a role, or a problem.

    Only a short complaint ("de achterban gaat niet mee") asks for the knelpunt as a whole; a longer,
    specific one is better met by the matching solution.
    """
    if _DEFINITION.search(folded) or _compared(folded):
        return ("begrip", "rol")
    if _ROLE.search(folded):
        return ("rol",)
    if terms <= MAX_COMPLAINT_TERMS and (negates(folded) or _PROBLEM.search(folded)) and not _HOW.search(folded):
        return ("knelpunt",)
    if _LIST.search(folded):
        return ("knelpunt",)
    return ()


def _compared(folded: str) -> tuple[str, str] | None:
    """The two things a comparison question compares, as folded text, else None."""
    between = _BETWEEN.search(folded)
    if between:
        parts = _AND_OR.split(folded[between.end():], maxsplit=1)
        return (parts[0], parts[1]) if len(parts) == 2 else None
    same = _SAME.search(folded)
    if same:
        return folded[: same.start()], folded[same.end():]
    return None


def combine(scores: Scores) -> float:
    return (
        WEIGHT_BEST_PHRASE * scores.best_phrase
        + WEIGHT_PHRASE_COVERAGE * scores.phrase_coverage
        + WEIGHT_CONTEXT_COVERAGE * scores.context_coverage
    )


class Matcher:
    def __init__(self, knowledge: KnowledgeBase, lexicon: Lexicon) -> None:
        self.knowledge = knowledge
        self.lexicon = lexicon
        self.index = TermIndex(knowledge, lexicon)
        self.meaning = Meaning(knowledge, lexicon.everyday)
        # Title words without the kind's own name: "De rol van de financier" names the financier.
        self._titles = {entry.id: self.index.terms(entry.title) - {lexicon.term(entry.kind)} for entry in knowledge}
        self._folded_titles = {entry.id: fold(entry.title) for entry in knowledge}

    def understand(self, text: str | Reading) -> Understanding:
        """Intent first (requests to the bot), then the knowledge base; a text is read first (the door hands a
        reading)."""
        reading = read(text) if isinstance(text, str) else text
        folded = reading.folded
        if not folded:
            return Understanding("help", 1.0)
        intent = self._intent(reading)
        if intent == "contact":
            # "wie moet ik bellen over de printer": whether the topic is the social domain's.
            query = self.index.query_terms(self.lexicon.standard(folded))
            evidence = self.index.domain_evidence(query)
            if self._everyday_chat(reading, query, CONTACT_EVERYDAY_MARGIN):
                return Understanding("fallback", 0.0, scope=OFFTOPIC, evidence=evidence)
            return Understanding(intent, 1.0, evidence=evidence)
        if intent:
            return Understanding(intent, 1.0)
        # "de partners doen nie mee": chat and regional spellings of everyday words written out, after the
        # intent rules (which read the message as typed).
        folded = self.lexicon.standard(_GREETING.sub("", folded))
        reference = self.reference(folded)
        if reference:
            return Understanding("knowledge", 1.0, (Candidate(reference, 1.0),))
        question = self.lexicon.standard(reading.question) if reading.question else None
        candidates, query = self._rank(folded, None, form=question)
        named = self._named_entry(reading.text)
        terms = tuple(query)
        # "doelvervlechting? nooit van gehoord, uitleg graag": the sentence that asks is an entry's very name.
        named = named or self._named_by_question(question)
        if named is not None:
            others = (c for c in candidates if c.entry_id != named.entry_id)
            return Understanding("knowledge", 1.0, (named, *others)[:KEPT_CANDIDATES], terms=terms)
        top = candidates[0].score if candidates else 0.0
        evidence = self.index.domain_evidence(query)
        topic = self.lexicon.fact_topic(reading.asking) if reading.asks and top < 1.0 else None
        if topic is not None:
            # "hoe lang duurt een schuldhulptraject": a fact (an amount, a deadline, a form) the knowledge does
            # not hold, however well its words match an entry. A fact about nothing the social domain speaks of
            # ("hoeveel is 17 keer 24", "hoe hoog is de Eiffeltoren") is general knowledge: the plain fallback.
            about = self.index.domain_evidence(self.index.query_terms(self.lexicon.standard(topic)))
            scope = DOMAIN if about > 0 else OFFTOPIC
            return Understanding("fallback", top, candidates[:KEPT_CANDIDATES], terms=terms, scope=scope, evidence=evidence)
        if reading.asks and top < 1.0 and self._compares_unknowns(question or folded):
            # "wat is het verschil tussen beschermingsbewind en mentorschap": two things the knowledge names neither
            # of, however well the rest of the words match an entry.
            scope = DOMAIN if evidence >= DOMAIN_EVIDENCE else OFFTOPIC
            return Understanding("fallback", top, candidates[:KEPT_CANDIDATES], terms=terms, scope=scope, evidence=evidence)
        signals, unsure = None, False
        if top < 1.0:
            # Not an entry's very name: words and meaning decide together, and how sure that is.
            candidates, signals, sure, everyday = self._weigh_meaning(reading, candidates, terms, evidence)
            # Between ANSWER_CONFIDENCE and SURE_CONFIDENCE the right entry is first about half the time: ask.
            unsure = sure < SURE_CONFIDENCE
            chat = everyday > EVERYDAY_MARGIN
            if sure < ANSWER_CONFIDENCE or chat:
                # A question in the words of the social domain that no entry answers: honestly outside the knowledge.
                # Everyday chat ("bij weerwolven kreeg ik de schuld"): the plain fallback.
                scope = DOMAIN if reading.asks and evidence >= DOMAIN_EVIDENCE and not chat else OFFTOPIC
                return Understanding("fallback", top, candidates, terms=terms, scope=scope, evidence=evidence, signals=signals)
        elif self._everyday_chat(reading, query, EVERYDAY_MARGIN):
            # Settled by words, but with a word the knowledge does not know: "wat is een redelijk budget voor een
            # weekendje Ardennen" is about a weekend away, not about the financier's budget.
            return Understanding("fallback", top, candidates[:KEPT_CANDIDATES], terms=terms, scope=OFFTOPIC, evidence=evidence)
        candidates = candidates[:KEPT_CANDIDATES]
        ambiguous = unsure or self._ambiguous(candidates) or (len(terms) == 1 and self._vague(candidates))
        compared = self._sides(question or folded)
        return Understanding(
            "knowledge", candidates[0].score, candidates, ambiguous, terms=terms, compared=compared, evidence=evidence, signals=signals
        )

    def _weigh_meaning(
        self, reading: Reading, by_words: tuple[Candidate, ...], terms: tuple[str, ...], evidence: float
    ) -> tuple[tuple[Candidate, ...], Signals, float, float]:
        """The candidates by words and meaning together with their scores scaled to the confidence, the signals
        the confidence is computed from, the confidence, and how much closer the message lies to an everyday
        work-chat line than to any line of the knowledge (negative when it lies closer to the knowledge)."""
        # A case told before it asks: the sentence that asks may lie closer to its answer than the whole story, if
        # it says something of its own ("Hoe zorg je voor één plek waar ze met alles terechtkunnen?", not "Hoe
        # houden we dit vast?"). A quoted term means what it means unquoted ("… met 'vroegsignalering'").
        question = reading.question_text
        own = question is not None and len(self.index.query_terms(reading.question)) >= QUESTION_TERMS
        texts = [reading.text[:READ_CHARS], *([question] if own else [])]
        likeness = self.meaning.likeness(*(_QUOTED.sub(r"\1", text) for text in texts))
        similar = likeness.entries
        words = {c.entry_id: c.strength for c in by_words}
        strength = {entry_id: words.get(entry_id, 0.0) + MEANING_WEIGHT * (sim - MEANING_BASE) for entry_id, sim in similar.items()}
        if not reading.asks and len(terms) >= STATEMENT_TERMS:
            # A statement tells a problem: the knelpunt whose family (its solutions and the voices of practitioners)
            # lies closest in meaning, as a whole, is what it is about. One word ("de gemeente") names a topic.
            for entry_id, family in self.meaning.family.items():
                strength[entry_id] += STATEMENT_BOOST + FAMILY_WEIGHT * (likeness.families[family] - MEANING_BASE)
        ranked = sorted(strength, key=lambda entry_id: -strength[entry_id])[:KEPT_CANDIDATES]
        chosen = ranked[0]
        signals = Signals(
            words=min(1.0, by_words[0].score) if by_words else 0.0,
            meaning_best=max(similar.values()),
            meaning_chosen=similar[chosen],
            domain=math.log1p(evidence),
            length=math.log1p(len(terms)),
            asks=1.0 if reading.asks else 0.0,
            words_chosen=min(MAX_WORD_STRENGTH, words.get(chosen, 0.0)),
            meaning_family=0.0 if reading.asks else max(likeness.families.values(), default=0.0),
        )
        sure = confidence(signals)
        best = strength[chosen]
        candidates = tuple(
            Candidate(entry_id, round(sure * max(0.0, strength[entry_id]) / best, 3) if best > 0 else 0.0, strength[entry_id])
            for entry_id in ranked
        )
        return candidates, signals, sure, likeness.everyday_gap

    def _everyday_chat(self, reading: Reading, query: list[str], margin: float) -> bool:
        """Whether a message that words alone settle is everyday chat: it has a word the knowledge does not know
        ("printer", "weekendje"; only then is it read for meaning) and lies more than `margin` closer to an
        everyday work-chat line than to any line of the knowledge."""
        return self.index.known_share(query) < 1.0 and self.meaning.likeness(reading.text[:READ_CHARS]).everyday_gap > margin

    def _intent(self, reading: Reading) -> str | None:
        """The request to the bot a message makes. In a case told in several sentences and then asked, the
        sentence that asks says it: "… ik weet niet wie ik moet bellen. Bestaat daar een overzicht van?" asks
        for an overview, not for a contact search. The whole message counts when that sentence asks nothing
        of the bot ("Ik wil me aanmelden. Kan dat?"), except for a contact search, which a story mentions often."""
        if len(reading.sentences) < CASE_SENTENCES:
            return self.lexicon.intent_of(reading.folded)
        asked = self.lexicon.intent_of(reading.asking)
        if asked:
            return asked
        whole = self.lexicon.intent_of(reading.folded)
        return whole if whole != "contact" else None

    def _sides(self, asked: str) -> tuple[Side, ...]:
        """Both things a comparison question compares, each with the entry that names it (None: the knowledge
        base has none); empty when the question compares nothing, or names no entry on either side."""
        words = self._compared_words(asked)
        if words is None:
            return ()
        first, second = words
        # "warme en koude overdracht": the first side shares the second one's noun.
        if len(first) == 1 and len(second) > 1 and self._named_by(first) is None:
            first = first + second[1:]
        sides = tuple(self._side(words) for words in (first, second))
        return sides if any(side.entry_id for side in sides) else ()

    def _compared_words(self, asked: str) -> tuple[list[str], list[str]] | None:
        """The words (no stopwords) of both things a comparison question compares; None when it compares nothing
        or a side is empty or longer than a term. The second side ends where the sentence goes on: "… en
        mentorschap, en moet dat via de kantonrechter"."""
        compared = _compared(asked)
        if compared is None:
            return None
        sides = compared[0], _AND_OR.split(compared[1], maxsplit=1)[0]
        first, second = ([w for w in side.split() if w not in self.lexicon.stopwords or w.isdigit()] for side in sides)
        if not first or not second or max(len(first), len(second)) > MAX_SIDE_WORDS:
            return None
        return first, second

    def _compares_unknowns(self, asked: str) -> bool:
        """Whether a comparison question compares two things of which the knowledge names neither."""
        words = self._compared_words(asked)
        return words is not None and all(self._named_by(side) is None for side in words)

    def _side(self, words: list[str]) -> Side:
        entry_id = self._named_by(words)
        plain = self.rank(" ".join(words), limit=1) if entry_id else ()
        return Side(" ".join(words), entry_id, bool(plain) and plain[0].entry_id == entry_id and plain[0].score >= 1.0)

    def _named_by(self, words: list[str]) -> str | None:
        """The entry these words name, asked as a definition ("wat is …"), if they are its name."""
        named = self.rank("wat is " + " ".join(words), limit=1)
        return named[0].entry_id if named and named[0].score >= SIDE_THRESHOLD else None

    def _named_entry(self, text: str) -> Candidate | None:
        """The entry titled with the term the message quotes ("… had het over 'ontkokering'")."""
        for found in _NAMED.finditer(text):
            words = fold(found.group(1) or found.group(2)).split()
            # "de term ketenregie kwam langs": the name may be fewer words than were caught.
            for name in [" ".join(words[:n]) for n in range(len(words), 0, -1)] if found.group(2) else [" ".join(words)]:
                for candidate in self.rank(name):
                    # The title itself, or its words without the kind's name ('probleemhebber' for "De rol van de
                    # probleemhebber", 'trekkers' for "Trekker").
                    titled = self._folded_titles[candidate.entry_id] == name or self.index.terms(name) == self._titles[candidate.entry_id]
                    if candidate.score >= 1.0 and titled:
                        return candidate
                # 'T-shaped' for "T-shaped professional": the only title that starts with the quoted words.
                starting = [i for i, title in self._folded_titles.items() if title.startswith(name + " ")] if len(name) >= MIN_TITLE_START else []
                if len(starting) == 1:
                    return Candidate(starting[0], 1.0, 1.0)
        return None

    def _named_by_question(self, question: str | None) -> Candidate | None:
        """The entry a short asking sentence of a longer message names outright ("ketenregie?"), if any."""
        if question is None or len(question.split()) > MAX_SIDE_WORDS:
            return None
        named = self.rank(question, limit=2)
        if named and named[0].score >= 1.0 and (len(named) < 2 or named[1].score < 1.0):
            return named[0]
        return None

    def _vague(self, candidates: tuple[Candidate, ...]) -> bool:
        """Three or more entries fit a one-word question about equally, none by its very name."""
        return len(candidates) >= 3 and candidates[0].score < 1.0 and candidates[2].strength >= VAGUE_RATIO * candidates[0].strength

    def _ambiguous(self, candidates: tuple[Candidate, ...]) -> bool:
        """Two unrelated entries almost equally likely: better to ask than to guess."""
        if len(candidates) < 2 or candidates[1].strength < AMBIGUOUS_RATIO * candidates[0].strength:
            return False
        first, second = (self.knowledge.get(c.entry_id) for c in candidates[:2])
        return first.parent != second.id and second.parent != first.id

    def _focus(self, asked: str, named_first: list[str]) -> dict[str, float]:
        """The terms a definition question is about: the first thing it names, or both things it compares."""
        compared = _compared(asked)
        embedded = _EMBEDDED.search(asked)
        if compared:
            sides = [self.index.query_terms(side) for side in compared]
        elif embedded and not asked.startswith("wat "):
            sides = [self.index.query_terms(embedded.group(1))]
        else:
            sides = [named_first]
        firsts = (next((t for t in side if t not in self.lexicon.common), None) for side in sides)
        return {term: FOCUS_BOOST for term in firsts if term}

    def reference(self, folded: str) -> str | None:
        """An explicit reference such as "knelpunt 3" or "knelpunt 3 oplossing 2"."""
        found = _REFERENCE.match(folded)
        if not found:
            return None
        knelpunt, solution = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
        entry_id = f"knelpunt-{int(knelpunt)}" + (f".oplossing-{int(solution)}" if solution else "")
        return entry_id if entry_id in self.knowledge else None

    def rank(self, folded: str, limit: int = 5, *, form: str | None = None) -> tuple[Candidate, ...]:
        """The best entries for a folded question, best first, with scores from 0 to 1. `form` is the (folded)
        sentence that asks, when the message has more ("Ik ben opbouwwerker. Wat betekent vraaggericht werken?")."""
        return self._rank(folded, limit, form=form)[0]

    def _rank(self, folded: str, limit: int | None = 5, *, form: str | None = None) -> tuple[tuple[Candidate, ...], list[str]]:
        """The candidates (all of them for no limit), and the query terms they were found with."""
        folded = folded[:READ_CHARS].rstrip()
        query = self.index.query_terms(folded)
        asked = form if form is not None else folded
        preferred = _preferred_kind(asked, len(query))
        # "wat is een keten, in het sociaal domein?": the first thing named is what is asked about.
        named_first = self.index.query_terms(asked) if form is not None else query
        focus = self._focus(asked, named_first) if "begrip" in preferred else {}
        scored = self.index.score(query, focus or None)
        factor = self.index.informativeness(query)
        known = self.index.known_share(query)
        values: dict[str, float] = {}
        for index, scores in scored.items():
            entry_id = self.index.entry_ids[index]
            values[entry_id] = combine(scores) * (1.0 if scores.exact_name else factor * known)
        if preferred == ("knelpunt",):
            # A complaint is best met by the knelpunt itself, which lists its solutions.
            for entry_id, value in list(values.items()):
                parent = self.knowledge.get(entry_id).parent
                if parent:
                    values[parent] = max(values.get(parent, 0.0), PARENT_SHARE * value)
        raw = []
        asked_terms = set(named_first)
        for entry_id, value in values.items():
            entry = self.knowledge.get(entry_id)
            if entry.kind in preferred:
                value *= KIND_BOOST
                # "zijn we dan financier?": the entry of the asked-for kind that the question names by title.
                title = self._titles.get(entry_id)
                if title and title <= asked_terms:
                    value *= TITLE_BOOST
            raw.append((value, entry_id))
        raw.sort(key=lambda item: -item[0])
        return tuple(Candidate(entry_id, round(min(1.0, value), 3), value) for value, entry_id in raw[:limit]), query
