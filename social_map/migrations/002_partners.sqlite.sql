-- SQLite's own part of 002: the full-text index (FTS5) of social_map/search.py, with its vocabulary.
CREATE VIRTUAL TABLE partner_terms USING fts5 (terms, place, tokenize = 'unicode61');
CREATE VIRTUAL TABLE partner_terms_vocab USING fts5vocab (partner_terms, 'col');
