-- The contact search's order (social_map/search.py): the most recently confirmed first. With this index a topic
-- that thousands of partners share is answered by walking the newest entries until enough match, instead of
-- sorting every match (bench/social_map_bench.py at 100 000 partners).
CREATE INDEX partners_confirmed ON partners (confirmed_at, id);
