"""The social map's full-text index on PostgreSQL: the same terms as FTS5 (social_map/search.py `index_terms`) in
tsvector columns with GIN indexes (migration 002_partners.postgres.sql), asked with the same clauses.

A clause becomes a tsquery lexeme (`'schuld'`, `'budget':*` for a prefix, `'a' <-> 'b'` for a term of several
words), built from folded words only (letters and digits), so nothing typed reaches the query syntax. Ranking
among equally fresh matches of several clauses: ts_rank (FTS5 uses bm25; both prefer the partners that match more
and rarer clauses, and `ketenbot eval` on the contact sets scores the same on both, tests/understanding/).
"""

from __future__ import annotations

from datetime import datetime

from bot.social.partner import Partner
from social_map.approvals import VISIBLE
from social_map.search import NEWEST_FIRST, Clause, IndexTable, index_terms

# How far back the version looks for audit lines committed late (ids are handed out before commit).
LATE_COMMITS = 100


def _lexeme(clause: Clause) -> str:
    words = [word for word in clause.term.split() if word.isalnum()]
    if not words:
        return ""
    parts = [f"'{word}'" for word in words]
    if clause.prefix:
        parts[-1] += ":*"
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def tsquery(clauses: list[Clause], joiner: str) -> str:
    """A tsquery text joining the clauses with `&` or `|`; empty when no clause has a word."""
    return f" {joiner} ".join(lexeme for lexeme in map(_lexeme, clauses) if lexeme)


class PostgresPartnerIndex(IndexTable):
    KEY = "partner_id"

    def write(self, partner_id: int, partner: Partner) -> None:
        self.db.execute(
            "INSERT INTO partner_terms (partner_id, terms, place) VALUES (?, ?, ?)"
            " ON CONFLICT (partner_id) DO UPDATE SET terms = excluded.terms, place = excluded.place",
            (partner_id, *index_terms(partner, self.lexicon)),
        )

    def remove(self, partner_id: int) -> None:
        self.db.execute("DELETE FROM partner_terms WHERE partner_id = ?", (partner_id,))

    def version(self) -> tuple[int, int]:
        """Changes whenever the map does, from any instance: the newest audit line, and how many of the last
        LATE_COMMITS ids exist (an audit line whose transaction committed after a later one's still counts)."""
        row = self.db.execute(
            "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM audit_log WHERE id > (SELECT COALESCE(MAX(id), 0) FROM audit_log) - ?",
            (LATE_COMMITS,),
        ).fetchone()
        return int(row[0]), int(row[1])

    def vocabulary(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT word FROM ts_stat('SELECT terms_vector FROM partner_terms')")]

    def match(self, clauses: list[Clause], *, every: bool, places: list[str], stale_before: datetime, limit: int) -> list[int]:
        """Visible partners matching all (`every`) or some clauses, in one of `places` if any are given: fresh
        before stale, then (for several clauses) the best match, then the most recently confirmed."""
        terms = tsquery(clauses, "&" if every else "|")
        if not terms:
            return []
        where, params = "t.terms_vector @@ ?::tsquery", [terms]
        in_places = tsquery([Clause(place) for place in places], "|")
        if in_places:
            where, params = where + " AND t.place_vector @@ ?::tsquery", [*params, in_places]
        # One clause: the newest first, which the planner finds by walking migration 031's index while a term is
        # common, and by sorting the few matches while it is rare.
        order, order_params = "", []
        if len(clauses) > 1:
            order = "(p.confirmed_at < ?) ASC, ts_rank(t.terms_vector, ?::tsquery) DESC, "
            order_params = [stale_before.isoformat(), terms]
        rows = self.db.execute(
            "SELECT p.id FROM partner_terms t JOIN partners p ON p.id = t.partner_id"
            f" WHERE {where} AND {VISIBLE} ORDER BY {order}{NEWEST_FIRST} LIMIT ?",
            (*params, *order_params, limit),
        ).fetchall()
        return [row[0] for row in rows]
