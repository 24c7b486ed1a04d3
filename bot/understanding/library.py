"""The knowledge as it stands: the knowledge base with its matcher, replaced whole when the knowledge is reloaded.

A director's "kennis herladen" (or SIGHUP to `ketenbot serve`) builds the knowledge again from its folders, with
the same builder as at start-up (adapters/wiring.py `build_matcher`). Only a knowledge base without errors is
taken into use; with any error the knowledge in use stays, and the director reads what is wrong and where (file,
line, id). Building takes a second or two, so the chat command does it after the turn, off the event loop
(bot/state.py `Turn.later`); a message read meanwhile is answered with the knowledge of before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.knowledge.loader import KnowledgeError
from bot.knowledge.model import KnowledgeBase
from bot.language.files import Problem
from bot.messages import Reply
from bot.understanding.matcher import Matcher

if TYPE_CHECKING:
    from bot.state import Turn

logger = logging.getLogger(__name__)

RELOADED = "De kennis is opnieuw geladen: {entries} entries ({added} erbij, {removed} eraf, {changed} gewijzigd)."
NOT_RELOADED = "De kennis is niet opnieuw geladen, want er staan fouten in. Ik gebruik de kennis van daarvoor."
SHOWN_PROBLEMS = 10
MORE_PROBLEMS = "… en nog {count} fout(en)."
FIX_HINT = "Herstel de fouten ('ketenbot kb check' toont ze allemaal) en typ daarna opnieuw 'kennis herladen'."
RELOADING = "Ik laad de kennis opnieuw."


@dataclass(frozen=True)
class Reloaded:
    """The outcome of a reload: no problems means the new knowledge is in use."""

    problems: tuple[Problem, ...] = ()
    entries: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0


class Library:
    """The knowledge in use. `rebuild` builds it again from its files (raising KnowledgeError on any problem)."""

    def __init__(self, matcher: Matcher, *, rebuild: Callable[[], Matcher]) -> None:
        self._matcher = matcher
        self._rebuild = rebuild
        self._lock = threading.Lock()

    @property
    def matcher(self) -> Matcher:
        return self._matcher

    @property
    def knowledge(self) -> KnowledgeBase:
        return self._matcher.knowledge

    def reload(self) -> Reloaded:
        """Build the knowledge again; on any problem the knowledge in use stays. Safe from any thread."""
        with self._lock:
            before = self.knowledge
            try:
                matcher = self._rebuild()
            except KnowledgeError as error:
                problems: tuple[Problem, ...] = tuple(error.problems)
            except OSError as error:
                # The system's reason is in its own language (English); the file is what the director needs.
                problems = (Problem(str(error.filename or ""), None, None, "kan niet gelezen worden (bestaat het, en mag ketenbot het lezen?)"),)
            else:
                # The vectors of changed entries are encoded now, by the reload, not by the next question.
                matcher.meaning.warm_up()
                self._matcher = matcher
                problems = ()
        if problems:
            logger.error("knowledge reload refused: %s problem(s), the knowledge in use is kept", len(problems))
            for problem in problems:
                logger.error("knowledge problem: %s", problem)
            return Reloaded(problems, len(before))
        after = self.knowledge
        old, new = {e.id: e for e in before}, {e.id: e for e in after}
        changed = sum(1 for entry_id, entry in new.items() if entry_id in old and old[entry_id] != entry)
        logger.info("knowledge reloaded: %s entries", len(after))
        return Reloaded((), len(after), len(new.keys() - old.keys()), len(old.keys() - new.keys()), changed)


def reload_reply(result: Reloaded) -> Reply:
    """What the director reads after "kennis herladen"."""
    if not result.problems:
        text = RELOADED.format(entries=result.entries, added=result.added, removed=result.removed, changed=result.changed)
        return Reply(text=text, intent="reload", score=1.0)
    lines = [NOT_RELOADED, "", *(f"- {problem}" for problem in result.problems[:SHOWN_PROBLEMS])]
    if len(result.problems) > SHOWN_PROBLEMS:
        lines.append(MORE_PROBLEMS.format(count=len(result.problems) - SHOWN_PROBLEMS))
    return Reply(text="\n".join([*lines, "", FIX_HINT]), intent="reload", score=1.0)


def reload_command(turn: Turn) -> Reply:
    """ "kennis herladen" (a director's): the reload runs after the turn, off the event loop; its outcome is the reply."""
    library = turn.services.library
    turn.later = lambda: reload_reply(library.reload())
    return Reply(text=RELOADING, intent="reload", score=1.0)
