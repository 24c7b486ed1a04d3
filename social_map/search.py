"""Who to contact: full-text search over partners' topics, role and organisation, preferring a region.

Query words become the same synonym-mapped stems the registry indexed (schulden ~ schuldhulpverlening);
unknown words are matched as prefixes (schuld → schuldhulpverlening) or typo-corrected against the
terms that exist on the map. Partners in the asked region come first.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlite_utils
from rapidfuzz import fuzz, process

from bot.clock import Clock
from bot.dutch import fold, words
from bot.lexicon import Lexicon
from bot.partner import Hit
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
        self._places = {}
        self._topics = []
        for (region,) in self.db.execute("SELECT DISTINCT region FROM partners WHERE hidden_at IS NULL AND region != ''"):
            for word in words(region):
                if len(word) >= 3:
                    self._places.setdefault(word, region)
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

    def _match_terms(self, topic_words: list[str]) -> list[str]:
        self._refresh()
        known = set(self._terms)
        clauses: list[str] = []
        for word in topic_words:
            term = self.lexicon.term(word)
            if term in known:
                clauses.append(f'"{term}"')
            elif len(term) >= MIN_PREFIX:
                found = process.extractOne(term, self._terms, scorer=fuzz.ratio, score_cutoff=80) if self._terms else None
                head = self._known_head(word, known)
                clauses.append(f'"{found[0]}"' if found else f'"{head}"' if head else f'"{term}"*')
        return clauses

    def _known_head(self, word: str, known: set[str]) -> str | None:
        """The longest known term a compound starts with: mantelzorgondersteuning → mantelzorg."""
        for cut in range(len(word) - MIN_PREFIX, MIN_COMPOUND_HEAD - 1, -1):
            term = self.lexicon.term(word[:cut])
            if term in known:
                return term
        return None

    def search(self, topic_words: list[str], place: str | None = None, *, limit: int = 5) -> list[Hit]:
        """The best partners for the topic, those in `place` first; hidden entries never show.

        Partners matching every topic word come before those matching some; with one topic word all
        matches are equally good and the newest entries come first (which also keeps this fast).
        """
        clauses = self._match_terms(topic_words)
        if not clauses:
            return []
        queries = [" AND ".join(clauses)] + ([" OR ".join(clauses)] if len(clauses) > 1 else [])
        hits: list[Hit] = []
        seen: set[int] = set()
        places = [f' AND place : "{fold(place)}"', ""] if place else [""]
        for where in places:
            for terms in queries:
                if len(hits) >= limit:
                    return hits
                hits += self._run(f"terms : ({terms}){where}", limit - len(hits), seen, ranked=len(clauses) > 1, in_region=bool(where))
        return hits

    def _run(self, query: str, limit: int, seen: set[int], *, ranked: bool, in_region: bool) -> list[Hit]:
        order = "bm25(partner_terms, 1.0, 0.0)" if ranked else "partner_terms.rowid DESC"
        rows = self.db.execute(
            "SELECT p.id FROM partner_terms JOIN partners p ON p.id = partner_terms.rowid"
            f" WHERE partner_terms MATCH ? AND p.hidden_at IS NULL ORDER BY {order} LIMIT ?",
            (query, limit + len(seen)),
        ).fetchall()
        hits = []
        cutoff = self.clock.now() - self.stale_after
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
