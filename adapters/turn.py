"""One turn of any adapter: hand the message to the core; an error becomes a Dutch apology, never a crash.

Logs name the platform, the conversation and the intent, never the text (AVG).
"""

from __future__ import annotations

import logging

from bot.core import handle
from bot.guidance import apology_reply, too_many_messages_reply
from bot.language.dates import LOCAL
from bot.messages import Incoming, Reply
from bot.quota import Quota
from bot.services import Services

logger = logging.getLogger(__name__)

# Replies that answer a question (for the dashboard's count of questions per week and platform).
QUESTION_INTENTS = ("knowledge", "contact", "fallback")


async def take_turn(msg: Incoming, services: Services, *, per_person: Quota | None = None) -> list[Reply]:
    """The core's replies; over the person's quota (`per_person`), only a request to slow down."""
    if per_person is not None and not per_person.take(msg.qualified_user):
        logger.info("turn limited platform=%s conversation=%s", msg.platform, msg.conversation_id)
        return [too_many_messages_reply()]
    try:
        replies = await handle(msg, services)
    except Exception:
        logger.exception("turn failed platform=%s conversation=%s", msg.platform, msg.conversation_id)
        return [apology_reply()]
    if services.questions is not None and replies and replies[-1].intent in QUESTION_INTENTS:
        try:
            services.questions.count(msg.platform, services.clock.now().astimezone(LOCAL).date())
        except Exception:
            # The turn itself succeeded (its state and messages are stored): a lost count must not lose the reply.
            logger.exception("question count failed platform=%s", msg.platform)
    logger.info(
        "turn platform=%s conversation=%s intent=%s", msg.platform, msg.conversation_id, replies[-1].intent if replies else "-"
    )
    return replies
