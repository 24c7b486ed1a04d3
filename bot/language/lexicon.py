"""Language data from knowledge/taal/: stop words, synonym groups and intent patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import bundled_knowledge_dir
from bot.language.dutch import fold, stem
from bot.language.files import Problem, load_yaml, yaml_problem

# The language files' folder inside a knowledge folder.
LANGUAGE_DIR = "taal"
STOPWORDS_FILE = "stopwoorden.yaml"
SYNONYMS_FILE = "synoniemen.yaml"
INTENTS_FILE = "intenties.yaml"
FOLLOWUPS_FILE = "vervolg.yaml"
COMMON_FILE = "algemeen.yaml"
CONTACT_FILE = "contactwoorden.yaml"
PLACES_FILE = "plaatsen.yaml"
READABILITY_FILE = "leesbaarheid.yaml"
FACTS_FILE = "feitvragen.yaml"
COLLOQUIAL_FILE = "spreektaal.yaml"
EVERYDAY_FILE = "alledaags.yaml"


@dataclass(frozen=True)
class IntentRule:
    intent: str
    patterns: tuple[re.Pattern[str], ...]
    # A message that matches one of these is not this intent, whatever the patterns say.
    unless: tuple[re.Pattern[str], ...] = ()

    def matches(self, folded: str) -> bool:
        return any(p.search(folded) for p in self.patterns) and not any(p.search(folded) for p in self.unless)


@dataclass(frozen=True)
class Followup:
    """A follow-up command ("meer", "3", "heb je een voorbeeld van X?"), the number it names and the
    subject it names (a pattern's group `onderwerp`), if any."""

    command: str
    number: int | None = None
    subject: str | None = None


@dataclass(frozen=True)
class Lexicon:
    stopwords: frozenset[str]
    canonical: dict[str, str]
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    intents: tuple[IntentRule, ...]
    followups: tuple[IntentRule, ...] = ()
    common: frozenset[str] = frozenset()
    contact_words: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    # Questions after a fact the knowledge does not hold: an amount, a duration, a deadline, a form, an article.
    facts: tuple[IntentRule, ...] = ()
    # Chat and regional spellings of everyday words, and what they stand for ("nie" → "niet").
    colloquial: dict[str, str] = field(default_factory=dict)
    # Everyday work-chat lines (the printer, football, a board game): what a message for nobody's knowledge sounds like.
    everyday: tuple[str, ...] = ()

    def standard(self, folded: str) -> str:
        """Folded text with chat and regional spellings of everyday words written out (spreektaal.yaml)."""
        if not self.colloquial:
            return folded
        return " ".join(self.colloquial.get(word, word) for word in folded.split())

    def fact_topic(self, asking: str) -> str | None:
        """What a (folded) sentence that asks for a fact (knowledge/taal/feitvragen.yaml) asks it about: the
        sentence without the words that make it a fact question ("hoeveel is 17 keer 24" → "is 17 keer 24");
        None when it asks for no fact."""
        rules = [rule for rule in self.facts if rule.matches(asking)]
        if not rules:
            return None
        for rule in rules:
            for pattern in rule.patterns:
                asking = pattern.sub(" ", asking)
        return " ".join(asking.split())

    def place_in(self, folded: str) -> str | None:
        """A Dutch place name that the folded text mentions, if any."""
        return next((word for word in folded.split() if word in self.places), None)

    def rewrite_phrases(self, folded: str) -> str:
        """Replace multi-word synonyms ("dak en thuislozen") by their group's main word."""
        for pattern, word in self.phrases:
            if pattern.search(folded):
                folded = pattern.sub(word, folded)
        return folded

    def term(self, word: str) -> str:
        """The stem of a folded word, mapped onto its synonym group's main stem."""
        stemmed = stem(word)
        return self.canonical.get(stemmed, stemmed)

    def intent_of(self, folded: str) -> str | None:
        for rule in self.intents:
            if rule.matches(folded):
                return rule.intent
        return None

    def followup_of(self, folded: str) -> Followup | None:
        """A follow-up command ("meer", "bron", "3", "voorbeeld van X", …), if the message is one."""
        for rule in self.followups:
            for pattern in rule.patterns:
                found = pattern.search(folded)
                if found and not any(p.search(folded) for p in rule.unless):
                    subject = found.groupdict().get("onderwerp")
                    number = next((int(g) for g in found.groups() if g and g.isdigit() and g != subject), None)
                    return Followup(rule.intent, number, subject.strip() if subject else None)
        return None


def _language_dir(directory: Path) -> Path:
    own = directory / LANGUAGE_DIR
    return own if own.is_dir() else bundled_knowledge_dir() / LANGUAGE_DIR


def _read(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return load_yaml(handle.read())


def _word_list(data: object) -> bool:
    return isinstance(data, list) and all(isinstance(w, str) for w in data)


def _valid_rules(data: object) -> bool:
    return isinstance(data, list) and all(
        isinstance(r, dict)
        and {"intent", "patterns"} <= set(r) <= {"intent", "patterns", "unless"}
        and isinstance(r["patterns"], list)
        and isinstance(r.get("unless", []), list)
        for r in data
    )


def _rules(path: Path) -> tuple[IntentRule, ...]:
    return tuple(
        IntentRule(
            rule["intent"],
            tuple(re.compile(p) for p in rule["patterns"]),
            tuple(re.compile(p) for p in rule.get("unless", [])),
        )
        for rule in _read(path)
    )


def lexicon_problems(directory: Path) -> list[Problem]:
    """Structural problems in the language files, for `ketenbot kb check`."""
    import yaml

    base = _language_dir(directory)
    rel = f"{LANGUAGE_DIR}/"
    problems: list[Problem] = []
    checks = {
        STOPWORDS_FILE: _word_list,
        SYNONYMS_FILE: lambda d: isinstance(d, list)
        and all(isinstance(g, list) and len(g) >= 2 and all(isinstance(w, str) for w in g) for g in d),
        COMMON_FILE: _word_list,
        CONTACT_FILE: _word_list,
        PLACES_FILE: _word_list,
        INTENTS_FILE: _valid_rules,
        FOLLOWUPS_FILE: _valid_rules,
        FACTS_FILE: _valid_rules,
        COLLOQUIAL_FILE: lambda d: isinstance(d, dict)
        and all(isinstance(k, str) and isinstance(v, str) and len(fold(k).split()) == 1 for k, v in d.items()),
        READABILITY_FILE: lambda d: isinstance(d, dict) and all(_word_list(v) for v in d.values()),
        EVERYDAY_FILE: lambda d: isinstance(d, list) and all(isinstance(line, str) and line.strip() for line in d),
    }
    for name, valid in checks.items():
        path = base / name
        try:
            data = _read(path)
        except FileNotFoundError:
            problems.append(Problem(rel + name, None, None, "bestand ontbreekt"))
            continue
        except yaml.YAMLError as exc:
            problems.append(yaml_problem(rel + name, exc))
            continue
        if not valid(data):
            problems.append(Problem(rel + name, None, None, "onverwachte opbouw; zie de uitleg bovenaan het bestand"))
        elif name in (INTENTS_FILE, FOLLOWUPS_FILE, FACTS_FILE):
            for rule in data:
                for pattern in rule["patterns"] + rule.get("unless", []):
                    try:
                        re.compile(pattern)
                    except re.error as exc:
                        problems.append(Problem(rel + name, None, rule["intent"], f"ongeldig patroon {pattern!r}: {exc}"))
    return problems


def load_lexicon(directory: Path) -> Lexicon:
    """Read the language files of a knowledge folder (or the bundled ones if it has none)."""
    base = _language_dir(directory)
    stopwords = frozenset(fold(word) for word in _read(base / STOPWORDS_FILE))
    canonical: dict[str, str] = {}
    phrases: list[tuple[re.Pattern[str], str]] = []
    for group in _read(base / SYNONYMS_FILE):
        main = stem(fold(group[0]).replace(" ", ""))
        for member in group:
            folded = fold(member)
            if " " in folded:
                phrases.append((re.compile(rf"\b{re.escape(folded)}\b"), fold(group[0])))
            else:
                canonical[stem(folded)] = main
    phrases.sort(key=lambda item: -len(item[0].pattern))
    common_words = _read(base / COMMON_FILE) if (base / COMMON_FILE).is_file() else []
    places = _read(base / PLACES_FILE) if (base / PLACES_FILE).is_file() else []
    common = frozenset(canonical.get(stem(fold(w)), stem(fold(w))) for w in common_words + places)
    contact_words = _read(base / CONTACT_FILE) if (base / CONTACT_FILE).is_file() else []
    return Lexicon(
        common=common,
        contact_words=frozenset(fold(w).replace(" ", "") for w in contact_words),
        places=frozenset(fold(w) for w in places),
        stopwords=stopwords,
        canonical=canonical,
        phrases=tuple(phrases),
        intents=_rules(base / INTENTS_FILE),
        followups=_rules(base / FOLLOWUPS_FILE),
        facts=_rules(base / FACTS_FILE) if (base / FACTS_FILE).is_file() else (),
        colloquial={fold(k): fold(v) for k, v in _read(base / COLLOQUIAL_FILE).items()} if (base / COLLOQUIAL_FILE).is_file() else {},
        everyday=tuple(" ".join(str(line).split()) for line in _read(base / EVERYDAY_FILE) or ()) if (base / EVERYDAY_FILE).is_file() else (),
    )
