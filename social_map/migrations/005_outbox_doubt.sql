-- in_doubt: an attempt may have reached the platform without ketenbot hearing back (a crash, a
-- timeout, a 5xx). maybe_twice: it was sent again without the platform being able to tell.
-- Whatever an older version left 'sending' may have arrived, so it starts in doubt.
ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN maybe_twice INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET in_doubt = 1 WHERE status = 'sending';

