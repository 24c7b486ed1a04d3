"""A small weighted term index over knowledge-base entries.

Every entry contributes short *phrases* (title, synonyms, example questions) and a longer *context*
(summary, text, tasks, example). Terms are folded, stemmed and synonym-mapped words; rare terms weigh
more (inverse document frequency). Queries are read more leniently than the index: compounds typed
apart are joined ("ervarings deskundige"), unknown compounds are split, and typos are corrected
against the index's own vocabulary with rapidfuzz.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.knowledge.model import Entry
from bot.language.dutch import MAX_TOKENS, fold, words
from bot.language.lexicon import Lexicon
from bot.understanding.evidence import domain_weights

MIN_SPLIT_PART = 4
MAX_WORD_LENGTH = 40
LINKING_LETTERS = ("", "s", "e", "en")
# Separable verb particles: "partners haken af" is "afhaken", "gaat niet mee" is "meegaan".
INFORMATIVE_IDF = 2.0
COMMON_WORD_IDF = 0.8
# A word found in a dozen entries or fewer tells about as much as one found in a single entry: beyond
# that, rarity says more about how our texts happen to be worded than about the question. Without the
# cap one incidental rare word ("stroef", "corporatie") outweighs the word the question is about.
MAX_IDF = 2.2
# How hard words the knowledge base does not know pull confidence down: share of known words ** this.
KNOWN_EXPONENT = 0.75
PARTICLES = frozenset(
    "af aan mee op uit in door terug samen weg toe over bij vast los voor na om neer tegen dicht".split()
)
# How many content words back a particle at the end of a clause looks for its verb ("krijgen we de rest van de organisaties mee").
PARTICLE_REACH = 3
# "onhaalbaar", "onduidelijk": a negated word is still about the thing it negates.
NEGATION_PREFIX = "on"


@dataclass(frozen=True)
class Scores:
    best_phrase: float
    phrase_coverage: float
    context_coverage: float
    exact_name: bool = False


class TermIndex:
    def __init__(self, entries: Iterable[Entry], lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        entries = list(entries)
        self._plain = frozenset(
            lexicon.term(w)
            for e in entries
            for text in (e.title, e.summary, e.text, *e.synonyms, *e.questions)
            for w in words(text)
        )
        # How each term was written in the knowledge, and how often: the general-Dutch prior weighs it.
        spelled: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in entries:
            for text in (entry.title, entry.summary, entry.text, entry.example or "", *entry.synonyms, *entry.questions, *entry.tasks):
                for word in words(text):
                    if word not in lexicon.stopwords and not word.isdigit():
                        spelled[lexicon.term(word)][word] += 1
        self.domain_weight = domain_weights(spelled)
        self.entry_ids: list[str] = []
        phrase_terms: list[list[frozenset[str]]] = []
        name_counts: list[int] = []
        context_terms: list[frozenset[str]] = []
        for entry in entries:
            self.entry_ids.append(entry.id)
            names = [t for t in (self.terms(p) for p in (entry.title, *entry.synonyms)) if t]
            questions = [t for t in (self.terms(p) for p in entry.questions) if t]
            name_counts.append(len(names))
            phrase_terms.append(names + questions)
            # What practitioners said (paraphrased from the sources) and how they vent it (the voices) shows how a
            # problem is voiced.
            context = " ".join([entry.summary, entry.text, entry.example or "", *entry.tasks, *(line.says for line in entry.practice), *entry.voices])
            context_terms.append(self.terms(context))
        count = len(self.entry_ids)
        document_frequency: dict[str, int] = defaultdict(int)
        for index in range(count):
            union = context_terms[index].union(*phrase_terms[index])
            for term in union:
                document_frequency[term] += 1
        self.idf = {
            t: min(math.log((count + 1) / (df + 0.5)), COMMON_WORD_IDF if t in lexicon.common else MAX_IDF)
            for t, df in document_frequency.items()
        }
        self._name_counts = name_counts
        # An unknown word weighs as much as a typical known one: it lowers confidence without erasing it.
        self.unknown_idf = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0
        self.vocabulary = frozenset(self.idf)
        # Typos are corrected towards every known stem, also the synonyms that the index stores under their
        # group's main word ("wantrouwig" → wantrouw → vertrouw).
        spellings = {term: term for term in self.vocabulary}
        spellings.update({stem: main for stem, main in lexicon.canonical.items() if main in self.vocabulary})
        self._spellings = spellings
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for spelling in sorted(spellings):
            self._by_initial[spelling[0]].append(spelling)
        self._phrase_postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._phrase_norms: list[list[float]] = []
        self._phrase_union: list[frozenset[str]] = []
        self._context: list[frozenset[str]] = []
        self._context_postings: dict[str, list[int]] = defaultdict(list)
        for index in range(count):
            norms = []
            for number, terms in enumerate(phrase_terms[index]):
                norms.append(math.sqrt(sum(self.idf[t] ** 2 for t in terms)))
                for term in terms:
                    self._phrase_postings[term].append((index, number))
            self._phrase_norms.append(norms)
            self._phrase_union.append(frozenset().union(*phrase_terms[index]))
            self._context.append(context_terms[index] | self._phrase_union[index])
            for term in self._context[index]:
                self._context_postings[term].append(index)
        self._correct = lru_cache(maxsize=8192)(self._correct_uncached)

    def __getstate__(self) -> dict[str, object]:
        # The typo cache is a wrapper around a bound method: rebuilt empty, not stored.
        return {key: value for key, value in self.__dict__.items() if key != "_correct"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._correct = lru_cache(maxsize=8192)(self._correct_uncached)

    def _tokens(self, folded: str) -> list[str]:
        """The words of a folded text with synonym phrases rewritten and separable verbs put back together."""
        tokens = self.lexicon.rewrite_phrases(" ".join(folded.split()[:MAX_TOKENS])).split()
        if not PARTICLES.intersection(tokens):
            return tokens
        result = list(tokens)
        for i, particle in enumerate(tokens):
            if particle not in PARTICLES:
                continue
            # "om het plan dicht te timmeren": particle, te, verb.
            if i + 2 < len(tokens) and tokens[i + 1] == "te" and self.lexicon.term(particle + tokens[i + 2]) in self._plain:
                result[i], result[i + 1], result[i + 2] = "", "", particle + tokens[i + 2]
                continue
            content = [j for j in range(i) if self._may_take_particle(result[j])][-PARTICLE_REACH:]
            for j in content:
                word = result[j]
                if self.lexicon.term(particle + word) in self._plain:
                    result[j] = particle + word
                    result[i] = ""
                    break
        return [t for t in result if t]

    def _may_take_particle(self, word: str) -> bool:
        return bool(word) and word not in self.lexicon.stopwords and word not in PARTICLES and len(word) >= 3

    def terms(self, text: str) -> frozenset[str]:
        """Index terms of a text, without any query-side leniency."""
        return frozenset(self.lexicon.term(w) for w in self._tokens(fold(text)) if w not in self.lexicon.stopwords)

    def query_terms(self, folded: str) -> list[str]:
        """Terms of a folded question: compounds joined or split, typos corrected; unknown terms kept."""
        tokens = self._tokens(folded)
        result: list[str] = []
        i = 0
        while i < len(tokens):
            joined = self._join(tokens, i)
            if joined:
                term, used = joined
                result.append(term)
                i += used
                continue
            word = tokens[i]
            i += 1
            if word in self.lexicon.stopwords:
                continue
            term = self.lexicon.term(word)
            if term in self.vocabulary or word.isdigit():
                result.append(term)
            else:
                result.extend(self._correct(word))
        return list(dict.fromkeys(result))

    def _join(self, tokens: list[str], start: int) -> tuple[str, int] | None:
        for size in (3, 2):
            if start + size > len(tokens):
                continue
            parts = tokens[start : start + size]
            if any(len(p) < 2 for p in parts[1:]):
                continue
            term = self.lexicon.term("".join(parts))
            if term in self.vocabulary and len(term) >= 6:
                return term, size
        return None

    def _correct_uncached(self, word: str) -> tuple[str, ...]:
        if len(word) > MAX_WORD_LENGTH:
            # No Dutch word is this long; splitting it would cost time quadratic in its length.
            return (word,)
        splits = list(self._splits(word))
        for parts in splits:
            if all(p in self.vocabulary for p in parts):
                return parts
        if word.startswith(NEGATION_PREFIX) and self.lexicon.term(word[len(NEGATION_PREFIX):]) in self.vocabulary:
            return (self.lexicon.term(word[len(NEGATION_PREFIX):]),)
        term = self.lexicon.term(word)
        fixed = self._fuzzy(term)
        if fixed:
            return (fixed,)
        # A compound with a typo in its second part: "privacyoficer" is privacy + officer.
        for head, tail in splits:
            if head in self.vocabulary and tail not in self.vocabulary:
                fixed = self._fuzzy(tail)
                if fixed:
                    return head, fixed
        return (term,)

    def _splits(self, word: str) -> Iterator[tuple[str, str]]:
        """Ways to read a word as two parts (with a linking s, e or en), the longest first part first."""
        if len(word) < 2 * MIN_SPLIT_PART:
            return
        for cut in range(len(word) - MIN_SPLIT_PART, MIN_SPLIT_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            for link in LINKING_LETTERS:
                if link and not head.endswith(link):
                    continue
                base = head[: len(head) - len(link)] if link else head
                if len(base) >= MIN_SPLIT_PART:
                    yield self.lexicon.term(base), self.lexicon.term(tail)

    def _fuzzy(self, term: str) -> str | None:
        """The known term this one is a typo of, if it is close enough."""
        if len(term) < 5:
            return None
        cutoff = 80 if len(term) >= 8 else 84
        found = process.extractOne(term, self._by_initial.get(term[0], ()), scorer=fuzz.ratio, score_cutoff=cutoff)
        return self._spellings[found[0]] if found else None

    def domain_evidence(self, query: list[str]) -> float:
        """How much a message's known terms speak of the social domain: the sum of their domain weights (an
        everyday word adds nothing, a domain word up to 1)."""
        return sum(self.domain_weight.get(term, 0.0) for term in set(query) if term in self.idf)

    def weight(self, term: str) -> float:
        if term in self.idf:
            return self.idf[term]
        return COMMON_WORD_IDF if term in self.lexicon.common else self.unknown_idf

    def informativeness(self, query: list[str]) -> float:
        """How telling the rarest query word is, 0 to 1: a lone common word proves little."""
        known = [self.idf[t] for t in query if t in self.idf]
        return min(1.0, max(known) / INFORMATIVE_IDF) if known else 0.0

    def known_share(self, query: list[str]) -> float:
        """The share of query words the knowledge base knows, damped: many strangers, little trust."""
        content = [t for t in query if t not in self.lexicon.common]
        if not content:
            return 1.0
        return (sum(t in self.idf for t in content) / len(content)) ** KNOWN_EXPONENT

    def score(self, query: list[str], boosts: dict[str, float] | None = None) -> dict[int, Scores]:
        """Scores of every entry that shares a term with the query (boosted terms count extra)."""
        boosts = boosts or {}
        weights = {t: (self.weight(t) * boosts.get(t, 1.0)) ** 2 for t in query}
        total = sum(weights.values())
        if not total:
            return {}
        query_norm = math.sqrt(total)
        dots: dict[tuple[int, int], float] = defaultdict(float)
        for term, weight in weights.items():
            for posting in self._phrase_postings.get(term, ()):
                dots[posting] += weight
        best: dict[int, float] = defaultdict(float)
        exact: set[int] = set()
        for (index, number), dot in dots.items():
            cosine = dot / (query_norm * self._phrase_norms[index][number])
            if cosine > best[index]:
                best[index] = cosine
            if cosine > 0.999 and number < self._name_counts[index]:
                exact.add(index)
        candidates = set(best)
        for term in weights:
            candidates.update(self._context_postings.get(term, ()))
        result = {}
        for index in candidates:
            phrase_mass = sum(w for t, w in weights.items() if t in self._phrase_union[index])
            context_mass = sum(w for t, w in weights.items() if t in self._context[index])
            result[index] = Scores(best.get(index, 0.0), phrase_mass / total, context_mass / total, index in exact)
        return result
