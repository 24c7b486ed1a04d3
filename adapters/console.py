"""The terminal: `ketenbot chat` and `ketenbot ask`, the same core as on Slack and Teams."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from typing import TextIO

from adapters.turn import take_turn
from bot.identity import identity
from bot.language.dutch import one_of
from bot.messages import Incoming, Reply, from_payload
from bot.services import Services
from social_map.outbox import Outbox

PLATFORM = "console"
WELCOME = "ketenbot: stel je vraag, of typ 'help'. Stoppen kan met 'exit' of Ctrl-D."
PROMPT = "jij> "
GOODBYE = "Tot ziens!"
EXIT_WORDS = frozenset({"exit", "quit", "doei", "tot ziens", ":q"})


BUTTONS_HINT = "Typ {labels} om te kiezen."


def render_text(reply: Reply) -> str:
    """Console rendering: the reply's own text, which always carries the numbered options; the options that are
    buttons elsewhere (👍 👎, "Aanmelden") are named, to be typed."""
    said = reply.text.casefold()
    # A button the text already tells to type ("Typ 'aanmelden' …") is not named twice.
    labels = [f"'{o.label}'" for o in reply.options if not o.numbered and f"'{o.label.casefold()}'" not in said]
    if not labels:
        return reply.text
    return f"{reply.text}\n{BUTTONS_HINT.format(labels=one_of(*labels))}"


class Buttons:
    """The buttons of the last reply in a terminal conversation: typing a label presses it."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def pressed(self, text: str) -> str | None:
        return self._values.get(text.strip().casefold())

    def offer(self, replies: list[Reply]) -> None:
        self._values = {o.label.casefold(): o.value for reply in replies for o in reply.options if not o.numbered}


def to_json(question: str, replies: list[Reply], delivered: list[Reply] = ()) -> str:
    """One line of `ketenbot ask --json`, as fixed in CONTRACT.md; `delivered`: the texts of waiting messages
    (check-ins, celebrations) handed over before this reply."""
    main = next((r for r in replies if r.intent != "error"), replies[0])
    return json.dumps(
        {
            "text": question,
            "intent": main.intent,
            "entry": main.entry,
            "score": round(main.score, 3),
            "alternatives": [{"entry": e, "score": round(s, 3)} for e, s in main.alternatives],
            "results": list(main.results),
            "reply": "\n\n".join(r.text for r in replies),
            "delivered": [r.text for r in delivered],
        },
        ensure_ascii=False,
    )


async def answer(
    text: str, services: Services, *, user: str, name: str | None = None, buttons: Buttons | None = None,
) -> list[Reply]:
    """One turn in the terminal; with `buttons`, a typed label of the last reply's buttons presses it."""
    action = buttons.pressed(text) if buttons else None
    # The operator's own terminal, with the database at hand: always a ketenpartner.
    msg = Incoming(platform=PLATFORM, user_id=user, user_name=name, conversation_id="terminal", text=text,
                   action=action, vouched=True)
    replies = await take_turn(msg, services)
    if buttons:
        buttons.offer(replies)
    return replies


def waiting(outbox: Outbox, user: str) -> list[Reply]:
    """The messages waiting for this terminal user (check-ins, reminders, celebrations), marked delivered."""
    return [from_payload(delivery.payload) for delivery in outbox.take_for(identity(PLATFORM, user))]


async def ask_lines(
    lines: Iterable[str], services: Services, out: TextIO, *, user: str, as_json: bool, skip_blank: bool = True,
    outbox: Outbox | None = None,
) -> None:
    """Answer each line in turn; blank lines of a stream are skipped, a single empty question gets the help.
    Messages waiting in `outbox` are handed over before each answer, as `ketenbot chat` shows them."""
    buttons = Buttons()
    for line in lines:
        text = line.rstrip("\n")
        if skip_blank and not text.strip():
            continue
        delivered = waiting(outbox, user) if outbox is not None else []
        replies = await answer(text, services, user=user, buttons=buttons)
        if as_json:
            out.write(to_json(text, replies, delivered) + "\n")
        else:
            out.write("".join(render_text(reply) + "\n\n" for reply in delivered))
            out.write("\n\n".join(map(render_text, replies)) + "\n")
        if not as_json:
            out.write("\n")
        out.flush()


def chat(services: Services, outbox: Outbox, *, user: str, name: str | None, stdin: TextIO, out: TextIO) -> None:
    """Interactive chat until end of input or an exit word; messages waiting in the outbox are shown first."""
    out.write(WELCOME + "\n")
    interactive = stdin.isatty()

    def show_waiting() -> None:
        for reply in waiting(outbox, user):
            out.write("\n" + render_text(reply) + "\n\n")

    async def loop() -> None:
        buttons = Buttons()
        while True:
            show_waiting()
            if interactive:
                out.write(PROMPT)
                out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if text.lower() in EXIT_WORDS:
                break
            for reply in await answer(text, services, user=user, name=name, buttons=buttons):
                out.write("\n" + render_text(reply) + "\n\n")
            out.flush()

    try:
        asyncio.run(loop())
    except KeyboardInterrupt:
        pass
    out.write(GOODBYE + "\n")
