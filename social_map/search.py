"""Who to contact: full-text search over partners' topics, role and organisation, preferring a region.

Query words become the same synonym-mapped stems the index holds (schulden ~ schuldhulpverlening); unknown
words are matched as prefixes (schuld → schuldhulpverlening) or typo-corrected against the terms or synonyms
that exist on the map. A partner can also be asked for by name (full name or surname). Partners in the asked
region come first; within equally good matches, fresh entries before stale ones. Place names are never topic
words, so "Taalpunt Zeist" is not a match for a question about Zeist.

SQLite's own features live here and nowhere else: the FTS5 index (`partner_terms`, with its vocabulary table),
bm25 ranking and `data_version`; PostgreSQL's index is social_map/postgres_search.py. Both hold the same terms and
are asked with the same clauses, so a question finds the same partners on either. The vocabularies a question is checked against (terms, places, names, topics)
are kept in memory and reloaded only when the map has changed: one statement tells.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from rapidfuzz import fuzz, process

from bot.clock import Clock
from bot.language.dutch import words
from bot.language.scrub import name_words
from bot.language.lexicon import Lexicon
from bot.social.partner import Hit, Partner
from social_map.approvals import VISIBLE
from social_map.database import Database

if TYPE_CHECKING:
    from social_map.partners import PartnerRegistry

MIN_PREFIX = 4
MIN_COMPOUND_HEAD = 5
MAX_VOCABULARY_PARTNERS = 20000
# The order of one clause's matches: fresh before stale is the same as the most recently confirmed first (a fresh
# entry was confirmed after every stale one), so an index on confirmed_at serves it (migration 031).
NEWEST_FIRST = "p.confirmed_at DESC, p.id DESC"
# Up to this many matches of one clause are sorted; more are found by walking the entries from the newest.
FEW_MATCHES = 1500


@dataclass(frozen=True)
class Clause:
    """One word of a question as the index is asked for it: a known term, or (`prefix`) any term starting so."""

    term: str
    prefix: bool = False


def index_terms(partner: Partner, lexicon: Lexicon) -> tuple[str, str]:
    """What the index holds of a partner: the terms of organisation, role and topics; the region's words."""
    text = " ".join([partner.organisation, partner.role, *partner.topics])
    terms = " ".join(dict.fromkeys(lexicon.term(w) for w in words(text) if w not in lexicon.stopwords))
    return terms, " ".join(words(partner.region))


class PartnerIndex(Protocol):
    """The full-text index of every partner, one per database: FTS5 (below) or PostgreSQL's tsvector
    (social_map/postgres_search.py). Both hold the same terms (`index_terms`) and answer the same questions."""

    db: Database

    def write(self, partner_id: int, partner: Partner) -> None:
        """Index (or index again) one partner, inside the caller's transaction."""
        ...

    def add_many(self, partners: list[tuple[int, Partner]]) -> None:
        """Index new partners (ids not in the index yet), inside the caller's transaction."""
        ...

    def remove(self, partner_id: int) -> None: ...

    def version(self) -> tuple[int, int]: ...

    def vocabulary(self) -> list[str]: ...

    def entries(self, limit: int) -> list[tuple[int, str, str, str]]:
        """(id, name, place as indexed, topics) of the visible partners, by id."""
        ...

    def match(self, clauses: list[Clause], *, every: bool, places: list[str], stale_before: datetime, limit: int) -> list[int]: ...


def partner_index(db: Database, *, lexicon: Lexicon) -> PartnerIndex:
    """The full-text index for this database."""
    if db.dialect == "postgres":
        from social_map.postgres_search import PostgresPartnerIndex

        return PostgresPartnerIndex(db, lexicon=lexicon)
    return FTS5PartnerIndex(db, lexicon=lexicon)


def _fts5(clauses: list[Clause], joiner: str) -> str:
    """An FTS5 query: each clause a quoted string (a phrase, for a term of several words), `*` for a prefix."""
    return f" {joiner} ".join(f'"{clause.term}"' + ("*" if clause.prefix else "") for clause in clauses)


class IndexTable:
    """What both indexes share: the table `partner_terms`, keyed by the partner's id in column KEY."""

    KEY = "rowid"

    def __init__(self, db: Database, *, lexicon: Lexicon) -> None:
        self.db = db
        self.lexicon = lexicon

    def add_many(self, partners: list[tuple[int, Partner]]) -> None:
        """Index new partners (ids not in the index yet), inside the caller's transaction."""
        rows = ((partner_id, *index_terms(partner, self.lexicon)) for partner_id, partner in partners)
        self.db.insert_many("partner_terms", (self.KEY, "terms", "place"), rows)

    def entries(self, limit: int) -> list[tuple[int, str, str, str]]:
        """(id, name, place as indexed, topics) of the visible partners, by id."""
        return self.db.execute(
            f"SELECT p.id, p.name, t.place, p.topics FROM partners p JOIN partner_terms t ON t.{self.KEY} = p.id"
            f" WHERE {VISIBLE} ORDER BY p.id LIMIT ?",
            (limit,),
        ).fetchall()


class FTS5PartnerIndex(IndexTable):
    """SQLite's full-text index (FTS5): terms of organisation, role and topics; the region's words."""

    def write(self, partner_id: int, partner: Partner) -> None:
        self.db.execute("DELETE FROM partner_terms WHERE rowid = ?", (partner_id,))
        self.add_many([(partner_id, partner)])

    def remove(self, partner_id: int) -> None:
        """Take a partner out, and merge the index so the deleted terms do not linger in its segments."""
        self.db.execute("DELETE FROM partner_terms WHERE rowid = ?", (partner_id,))
        self.db.execute("INSERT INTO partner_terms (partner_terms) VALUES ('optimize')")

    def version(self) -> tuple[int, int]:
        """Changes whenever the map does: another connection wrote (data_version), or this one (the audit log)."""
        row = self.db.execute(
            "SELECT (SELECT data_version FROM pragma_data_version), (SELECT COALESCE(MAX(id), 0) FROM audit_log)"
        ).fetchone()
        return int(row[0]), int(row[1])

    def vocabulary(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT term FROM partner_terms_vocab WHERE col = 'terms'")]

    def match(self, clauses: list[Clause], *, every: bool, places: list[str], stale_before: datetime, limit: int) -> list[int]:
        """Visible partners matching all (`every`) or some clauses, in one of `places` if any are given: fresh
        before stale, then (for several clauses) the best match (bm25), then the most recently confirmed."""
        query = f"terms : ({_fts5(clauses, 'AND' if every else 'OR')})"
        if places:
            query += f" AND place : ({_fts5([Clause(place) for place in places], 'OR')})"
        if len(clauses) > 1:
            rows = self.db.execute(
                "SELECT p.id FROM partner_terms JOIN partners p ON p.id = partner_terms.rowid WHERE partner_terms MATCH ?"
                f" AND {VISIBLE} ORDER BY (p.confirmed_at < ?) ASC, bm25(partner_terms, 1.0, 0.0), {NEWEST_FIRST} LIMIT ?",
                (query, stale_before.isoformat(), limit),
            ).fetchall()
        elif self.db.execute("SELECT COUNT(*) FROM partner_terms WHERE partner_terms MATCH ?", (query,)).fetchone()[0] > FEW_MATCHES:
            # Counting reads the term's list of rows only. Many match: walk the entries from the newest
            # (migration 031's index) until `limit` are among them, rather than sorting thousands.
            rows = self.db.execute(
                "SELECT p.id FROM partners p INDEXED BY partners_confirmed WHERE"
                f" +p.id IN (SELECT rowid FROM partner_terms WHERE partner_terms MATCH ?) AND {VISIBLE} ORDER BY {NEWEST_FIRST} LIMIT ?",
                (query, limit),
            ).fetchall()
        else:
            rows = self.db.execute(
                "SELECT p.id FROM partner_terms JOIN partners p ON p.id = partner_terms.rowid"
                f" WHERE partner_terms MATCH ? AND {VISIBLE} ORDER BY {NEWEST_FIRST} LIMIT ?",
                (query, limit),
            ).fetchall()
        return [row[0] for row in rows]


class PartnerSearch:
    def __init__(self, partners: PartnerRegistry, index: PartnerIndex, *, clock: Clock, lexicon: Lexicon, stale_after: timedelta) -> None:
        self.partners = partners
        self.index = index
        self.db = index.db
        self.lexicon = lexicon
        self.clock = clock
        self.stale_after = stale_after
        self._version: tuple[int, int] | None = None
        self._terms: set[str] = set()
        self._places: dict[str, str] = {}
        self._topics: list[str] = []
        self._spellings: dict[str, str] = {}
        self._names: list[tuple[int, frozenset[str], str]] = []
        self._names_with: dict[str, list[int]] = {}
        self._name_words: dict[int, frozenset[str]] = {}
        self._regions: dict[int, frozenset[str]] = {}
        self._people: tuple[tuple[int, int] | None, frozenset[str]] = (None, frozenset())

    def people_words(self) -> frozenset[str]:
        """The words of every name on the map, hidden entries too (what scrubbing a kept question removes);
        worked out again only when the map has changed, not for every question kept."""
        version = self.index.version()
        if self._people[0] != version:
            self._people = (version, name_words(self.partners.names()))
        return self._people[1]

    def refresh(self) -> None:
        """Reload the vocabularies when the map has changed since last time (once per message is enough)."""
        version = self.index.version()
        if version == self._version:
            return
        self._version = version
        terms = self.index.vocabulary()
        self._terms = set(terms)
        # Spellings a typo is corrected against: the terms themselves and every synonym of one
        # (schludhulp ~ schuldhulp → schuldhulpverlening).
        self._spellings = {term: term for term in terms}
        for spelling, term in self.lexicon.canonical.items():
            if term in self._terms:
                self._spellings.setdefault(spelling, term)
        # Generic area words (regio, midden, zuid, gemeente …) are listed as contact words: never a place alone.
        generic = self.lexicon.stopwords | self.lexicon.contact_words
        self._places, self._names, self._name_words, self._regions = {}, [], {}, {}
        # Each word of a name → the positions in _names of the names holding it (a question is checked against
        # the few names that share a word with it, not against every name on the map).
        self._names_with = {}
        counts: Counter[str] = Counter()
        # The region's words as the index holds them (folded when the entry was written); the names folded here.
        for partner_id, name, place, topics in self.index.entries(MAX_VOCABULARY_PARTNERS):
            region_words = place.split()
            self._regions[partner_id] = frozenset(region_words)
            for word in region_words:
                if len(word) >= 3 and word not in generic:
                    self._places.setdefault(word, place)
            name_words = words(name)
            self._name_words[partner_id] = frozenset(name_words)
            parts = [w for w in name_words if w not in self.lexicon.stopwords and len(w) >= 2]
            if parts:
                for word in set(parts):
                    self._names_with.setdefault(word, []).append(len(self._names))
                self._names.append((partner_id, frozenset(parts), parts[-1]))
            counts.update(t.strip() for t in topics.split(";") if t.strip())
        self._topics = [topic for topic, _ in counts.most_common()]

    def view(self) -> PartnerSearch:
        """The map as it stands for one message: checked for changes once, then read from memory (place_in,
        is_place and search of the view do not look again)."""
        self.refresh()
        return _View(self)

    def place_in(self, folded: str) -> str | None:
        """A place on the map that the folded text mentions (a word of some partner's region), if any."""
        self.refresh()
        return next((word for word in folded.split() if word in self._places), None)

    def is_place(self, word: str) -> bool:
        return word in self._places or word in self.lexicon.places

    def _match_terms(self, topic_words: list[str]) -> list[Clause]:
        clauses: list[Clause] = []
        for word in topic_words:
            if self.is_place(word):
                continue
            term = self.lexicon.term(word)
            if term in self._terms:
                clauses.append(Clause(term))
            elif len(term) >= MIN_PREFIX:
                found = process.extractOne(term, list(self._spellings), scorer=fuzz.ratio, score_cutoff=80)
                head = self._known_head(word)
                clauses.append(Clause(self._spellings[found[0]]) if found else Clause(head) if head else Clause(term, prefix=True))
        return clauses

    def _named(self, topic_words: list[str]) -> tuple[list[int], list[str]]:
        """Partners asked for by full name, then by surname; and the topic words that are not part of a name."""
        asked = set(topic_words)
        names = [self._names[at] for at in sorted({at for word in asked for at in self._names_with.get(word, ())})]
        full = [pid for pid, parts, _ in names if parts <= asked]
        by_surname = [pid for pid, parts, surname in names if surname in asked and pid not in full]
        used = {w for pid, parts, _ in names if pid in full or pid in by_surname for w in parts}
        return full + by_surname, [w for w in topic_words if w not in used]

    def _known_head(self, word: str) -> str | None:
        """The longest known term a compound starts with: mantelzorgondersteuning → mantelzorg."""
        for cut in range(len(word) - MIN_PREFIX, MIN_COMPOUND_HEAD - 1, -1):
            term = self.lexicon.term(word[:cut])
            if term in self._terms:
                return term
        return None

    def search(self, topic_words: list[str], place: str | Sequence[str] | None = None, *, limit: int = 5) -> list[Hit]:
        """The best partners for the topic (or asked for by name), those in `place` (or any of several; folded words)
        first; hidden entries never show.

        Partners matching every topic word come before those matching some; among equally good matches
        fresh entries come before stale ones, then the most recently confirmed.
        """
        self.refresh()
        asked_places = [p for p in ([place] if isinstance(place, str) else place or []) if p]
        named, topic_words = self._named(topic_words)
        # (partner id, in the asked region), best first
        found: list[tuple[int, bool]] = [
            (pid, not asked_places or bool(set(asked_places) & self._regions.get(pid, frozenset()))) for pid in named[:limit]
        ]
        clauses = self._match_terms(topic_words)
        if clauses:
            found += self._matches(clauses, asked_places, limit - len(found), {pid for pid, _ in found})
        return self._hits(found)

    def _matches(self, clauses: list[Clause], places: list[str], wanted: int, seen: set[int]) -> list[tuple[int, bool]]:
        """Partners for the topic clauses: in the places first, all clauses before some."""
        stale_before = self.clock.now() - self.stale_after
        found: list[tuple[int, bool]] = []
        for where in [places, []] if places else [[]]:
            for every in [True, False] if len(clauses) > 1 else [True]:
                if len(found) >= wanted:
                    return found
                ids = self.index.match(clauses, every=every, places=where, stale_before=stale_before, limit=wanted - len(found) + len(seen))
                for partner_id in ids:
                    if partner_id not in seen and len(found) < wanted:
                        seen.add(partner_id)
                        found.append((partner_id, bool(where)))
        return found

    def _hits(self, found: list[tuple[int, bool]]) -> list[Hit]:
        """The partners found, fetched at once."""
        partners = self.partners.by_ids([pid for pid, _ in found])
        cutoff = self.clock.now() - self.stale_after
        hits = []
        for partner_id, in_region in found:
            partner = partners.get(partner_id)
            if partner is not None:
                stale = partner.confirmed_at is not None and partner.confirmed_at < cutoff
                hits.append(Hit(partner, in_region, stale, self._name_words.get(partner_id, frozenset())))
        return hits

    def nearest_topics(self, topic_words: list[str], *, limit: int = 5) -> list[str]:
        """Topics that do exist on the map and look most like what was asked."""
        self.refresh()
        if not self._topics or not topic_words:
            return []
        found = process.extract(" ".join(topic_words), self._topics, scorer=fuzz.WRatio, limit=limit)
        similar = [topic for topic, score, _ in found if score >= 60]
        return similar or self._topics[:limit]


class _View(PartnerSearch):
    """A PartnerSearch that shares its vocabularies and does not look for changes again (see `view`)."""

    def __init__(self, search: PartnerSearch) -> None:
        self.__dict__.update(search.__dict__)

    def refresh(self) -> None:
        return None

    def view(self) -> PartnerSearch:
        return self
