-- How often the platform could not be asked whether an in-doubt message arrived (adapters/delivery.py gives up
-- asking after LOOKUP_TRIES and sends it again with the note).
ALTER TABLE outbox ADD COLUMN lookup_failures INTEGER NOT NULL DEFAULT 0;
