"""Who to contact: full-text search over partners' topics, role and organisation, preferring a region.

Query words become the same synonym-mapped stems the registry indexed (schulden ~ schuldhulpverlening);
unknown words are matched as prefixes (schuld → schuldhulpverlening) or typo-corrected against the
terms or synonyms that exist on the map. A partner can also be asked for by name (full name or surname).
Partners in the asked region come first; within equally good matches, fresh entries before stale ones.
Place names are never topic words, so "Taalpunt Zeist" is not a match for a question about Zeist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

import sqlite_utils
from rapidfuzz import fuzz, process

from bot.clock import Clock
from bot.language.dutch import fold, words
from bot.language.lexicon import Lexicon
from bot.social.partner import Hit
from social_map.registry import PartnerRegistry

MIN_PREFIX = 4
MIN_COMPOUND_HEAD = 5


class PartnerSearch:
    def __init__(self, registry: PartnerRegistry, *, stale_after: timedelta) -> None:
        self.registry = registry
        self.db: sqlite_utils.Database = registry.db
        self.lexicon: Lexicon = registry.lexicon
        self.clock: Clock = registry.clock
        self.stale_after = stale_after
        self._version: int | None = None
        self._terms: list[str] = []
        self._places: dict[str, str] = {}
        self._topics: list[str] = []
        self._spellings: dict[str, str] = {}
        self._names: list[tuple[int, frozenset[str], str]] = []

    def _refresh(self) -> None:
        """Reload the term and place vocabularies when any connection has written since last time."""
        version = (
            self.db.execute("PRAGMA data_version").fetchone()[0],
            self.db.execute("SELECT MAX(id) FROM audit_log").fetchone()[0],
        )
        if version == self._version:
            return
        self._version = version
        self._terms = [r[0] for r in self.db.execute("SELECT term FROM partner_terms_vocab WHERE col = 'terms'")]
        # Spellings a typo is corrected against: the terms themselves and every synonym of one
        # (schludhulp ~ schuldhulp → schuldhulpverlening).
        known = set(self._terms)
        self._spellings = {term: term for term in self._terms}
        for spelling, term in self.lexicon.canonical.items():
            if term in known:
                self._spellings.setdefault(spelling, term)
        self._places = {}
        self._topics = []
        # Generic area words (regio, midden, zuid, gemeente …) are listed as contact words: never a place alone.
        generic = self.lexicon.stopwords | self.lexicon.contact_words
        for (region,) in self.db.execute("SELECT DISTINCT region FROM partners WHERE hidden_at IS NULL AND region != ''"):
            for word in words(region):
                if len(word) >= 3 and word not in generic:
                    self._places.setdefault(word, region)
        self._names = []
        for partner_id, name in self.db.execute("SELECT id, name FROM partners WHERE hidden_at IS NULL LIMIT 20000"):
            parts = [w for w in words(name) if w not in self.lexicon.stopwords and len(w) >= 2]
            if parts:
                self._names.append((partner_id, frozenset(parts), parts[-1]))
        counts: Counter[str] = Counter()
        for (topics,) in self.db.execute("SELECT topics FROM partners WHERE hidden_at IS NULL LIMIT 20000"):
            counts.update(t.strip() for t in topics.split(";") if t.strip())
        self._topics = [topic for topic, _ in counts.most_common()]

    def place_in(self, text: str) -> str | None:
        """A place on the map that the text mentions (a word of some partner's region), if any."""
        self._refresh()
        for word in words(text):
            if word in self._places:
                return word
        return None

    def is_place(self, word: str) -> bool:
        return word in self._places or word in self.lexicon.places

    def _match_terms(self, topic_words: list[str]) -> list[str]:
        self._refresh()
        known = set(self._terms)
        clauses: list[str] = []
        for word in topic_words:
            if self.is_place(word):
                continue
            term = self.lexicon.term(word)
            if term in known:
                clauses.append(f'"{term}"')
            elif len(term) >= MIN_PREFIX:
                found = process.extractOne(term, list(self._spellings), scorer=fuzz.ratio, score_cutoff=80)
                head = self._known_head(word, known)
                clauses.append(f'"{self._spellings[found[0]]}"' if found else f'"{head}"' if head else f'"{term}"*')
        return clauses

    def _named(self, topic_words: list[str]) -> tuple[list[int], list[str]]:
        """Partners asked for by full name, then by surname; and the topic words that are not part of a name."""
        asked = set(topic_words)
        full = [pid for pid, parts, _ in self._names if parts <= asked]
        by_surname = [pid for pid, parts, surname in self._names if surname in asked and pid not in full]
        used = {w for pid, parts, _ in self._names if pid in full or pid in by_surname for w in parts}
        return full + by_surname, [w for w in topic_words if w not in used]

    def _known_head(self, word: str, known: set[str]) -> str | None:
        """The longest known term a compound starts with: mantelzorgondersteuning → mantelzorg."""
        for cut in range(len(word) - MIN_PREFIX, MIN_COMPOUND_HEAD - 1, -1):
            term = self.lexicon.term(word[:cut])
            if term in known:
                return term
        return None

    def search(self, topic_words: list[str], place: str | Sequence[str] | None = None, *, limit: int = 5) -> list[Hit]:
        """The best partners for the topic (or asked for by name), those in `place` (or any of several) first;
        hidden entries never show.

        Partners matching every topic word come before those matching some; among equally good matches
        fresh entries come before stale ones, then the most recently confirmed.
        """
        self._refresh()
        asked_places = [fold(p) for p in ([place] if isinstance(place, str) else place or []) if fold(p)]
        named, topic_words = self._named(topic_words)
        hits = self._hits(named[:limit], asked_places)
        seen = {hit.partner.id for hit in hits if hit.partner.id is not None}
        clauses = self._match_terms(topic_words)
        if not clauses:
            return hits
        queries = [" AND ".join(clauses)] + ([" OR ".join(clauses)] if len(clauses) > 1 else [])
        in_places = " OR ".join(f'"{p}"' for p in asked_places)
        places = [f" AND place : ({in_places})", ""] if asked_places else [""]
        for where in places:
            for terms in queries:
                if len(hits) >= limit:
                    return hits
                hits += self._run(f"terms : ({terms}){where}", limit - len(hits), seen, ranked=len(clauses) > 1, in_region=bool(where))
        return hits

    def _hits(self, partner_ids: list[int], places: list[str]) -> list[Hit]:
        """Hits for partners found by name; in the region when no place was asked or theirs is one of them."""
        hits = []
        cutoff = self.clock.now() - self.stale_after
        for partner_id in partner_ids:
            partner = self.registry.get(partner_id)
            if partner is not None:
                in_region = not places or bool(set(places) & set(words(partner.region)))
                stale = partner.confirmed_at is not None and partner.confirmed_at < cutoff
                hits.append(Hit(partner, in_region, stale))
        return hits

    def _run(self, query: str, limit: int, seen: set[int], *, ranked: bool, in_region: bool) -> list[Hit]:
        cutoff = self.clock.now() - self.stale_after
        # Stale entries after fresh ones, then the best match (bm25), then the most recently confirmed.
        order = "(p.confirmed_at < ?) ASC, " + ("bm25(partner_terms, 1.0, 0.0), " if ranked else "")
        rows = self.db.execute(
            "SELECT p.id FROM partner_terms JOIN partners p ON p.id = partner_terms.rowid"
            f" WHERE partner_terms MATCH ? AND p.hidden_at IS NULL ORDER BY {order}p.confirmed_at DESC, p.id DESC LIMIT ?",
            (query, cutoff.isoformat(), limit + len(seen)),
        ).fetchall()
        hits = []
        for (partner_id,) in rows:
            if partner_id in seen:
                continue
            partner = self.registry.get(partner_id)
            if partner is None:
                continue
            seen.add(partner_id)
            stale = partner.confirmed_at is not None and partner.confirmed_at < cutoff
            hits.append(Hit(partner, in_region, stale))
            if len(hits) >= limit:
                break
        return hits

    def nearest_topics(self, topic_words: list[str], *, limit: int = 5) -> list[str]:
        """Topics that do exist on the map and look most like what was asked."""
        self._refresh()
        if not self._topics or not topic_words:
            return []
        found = process.extract(" ".join(topic_words), self._topics, scorer=fuzz.WRatio, limit=limit)
        similar = [topic for topic, score, _ in found if score >= 60]
        return similar or self._topics[:limit]
