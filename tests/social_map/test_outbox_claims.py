"""Two instances claiming from one PostgreSQL outbox at the same moment take different messages: the claim skips
rows another transaction holds (FOR UPDATE SKIP LOCKED) instead of waiting for them or taking them too."""

from __future__ import annotations

import threading

from adapters.wiring import build_runtime
from bot.config import Settings
from bot.messages import Reply, to_payload


def test_a_claim_skips_the_messages_another_instance_is_claiming(postgres_database, clock, matcher):
    one = build_runtime(Settings(database_url=postgres_database), clock=clock, matcher=matcher)
    other = build_runtime(Settings(database_url=postgres_database), clock=clock, matcher=matcher)
    try:
        message = to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate"))
        one.outbox.enqueue([(f"b:{n}", f"slack:U{n}", message) for n in range(10)])
        theirs: list[int] = []
        with one.db.transaction():  # the first instance's claim, not yet committed
            mine = [delivery.id for delivery in one.outbox.claim(("slack",), 4)]
            claiming = threading.Thread(target=lambda: theirs.extend(d.id for d in other.outbox.claim(("slack",), 4)))
            claiming.start()
            claiming.join(10)
            assert not claiming.is_alive(), "the second claim waited for the first instead of skipping its rows"
        assert len(mine) == 4 and len(theirs) == 4 and not set(mine) & set(theirs)
        rest = [delivery.id for delivery in one.outbox.claim(("slack",), 10)]
        assert len(rest) == 2 and not set(rest) & set(mine + theirs)
    finally:
        one.close()
        other.close()
