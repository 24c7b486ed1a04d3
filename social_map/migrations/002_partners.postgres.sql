-- PostgreSQL's own part of 002 (SQLite's is 002_partners.sqlite.sql, FTS5): a table of search terms with tsvector
-- columns and GIN indexes (social_map/postgres_search.py). The terms are ketenbot's own Dutch
-- stems (folded: no accents, lower case; synonyms mapped; bot/language/lexicon.py), the same on both databases,
-- so the configuration only splits them into words: `simple`, with `unaccent` for anything typed past the folding.
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
    CREATE TEXT SEARCH CONFIGURATION ketenbot_terms (COPY = simple);
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
ALTER TEXT SEARCH CONFIGURATION ketenbot_terms
    ALTER MAPPING FOR asciiword, word, hword, hword_part, hword_asciipart, asciihword WITH unaccent, simple;
CREATE TABLE partner_terms (
    partner_id BIGINT PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
    terms TEXT NOT NULL,
    place TEXT NOT NULL,
    terms_vector tsvector GENERATED ALWAYS AS (to_tsvector('ketenbot_terms', terms)) STORED,
    place_vector tsvector GENERATED ALWAYS AS (to_tsvector('ketenbot_terms', place)) STORED
);
CREATE INDEX partner_terms_terms ON partner_terms USING gin (terms_vector);
CREATE INDEX partner_terms_place ON partner_terms USING gin (place_vector);
