"""The web chat over real HTTP: the page, POST /api/chat, the session cookie, refusals and escaping."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from adapters.server import RUNTIME
from adapters.web.chat import to_incoming
from adapters.web.payload import MAX_BODY_BYTES, MAX_TEXT_CHARS, ChatMessage, PayloadError, parse_message
from adapters.web.render import render_replies, render_reply
from adapters.web.session import COOKIE_NAME, SECURE_COOKIE_NAME, Session, conversation_tag
from adapters.web.texts import ERRORS
from bot.messages import Card, CardField, Option, Reply

GOLDEN = Path(__file__).parents[1] / "golden"
SCRIPT = "<script>alert(1)</script>"


def client() -> aiohttp.ClientSession:
    # unsafe=True: the server is 127.0.0.1, and the default jar ignores cookies from IP addresses.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def say(session: aiohttp.ClientSession, server, payload: dict) -> dict:
    async with session.post(server.make_url("/api/chat"), json=payload) as response:
        assert response.status == 200, await response.text()
        assert response.content_type == "application/json"
        return await response.json()


def last_text(body: dict) -> str:
    return body["replies"][-1]["text"]


async def open_page(session: aiohttp.ClientSession, server) -> None:
    """Open the chat, as a person does before typing: the page sets the session cookie."""
    async with session.get(server.make_url("/")) as response:
        assert response.status == 200


async def become_ketenpartner(session: aiohttp.ClientSession, server) -> None:
    """As a person does: the director made an invitation (`ketenbot invite`), the person opened the page and
    typed the code."""
    code, _ = server.app[RUNTIME].invitations.issue("cli", valid_for=timedelta(days=7))
    await open_page(session, server)
    assert last_text(await say(session, server, {"text": f"uitnodiging {code}"})).startswith("Welkom!")


# --- the page -------------------------------------------------------------------------------------


async def test_page_is_one_small_self_contained_dutch_page(serve):
    server = await serve()
    async with client() as session, session.get(server.make_url("/")) as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        page = await response.text()
        headers = response.headers
    assert '<html lang="nl">' in page
    assert "<title>ketenbot</title>" in page
    assert 'name="viewport"' in page and "width=device-width" in page
    assert 'placeholder="Stel je vraag…"' in page
    assert ">Verstuur</button>" in page
    assert "Hoi! Ik ben ketenbot." in page
    links = re.findall(r'(?:src|href|action)="([^"]*)"', page)
    assert links and all(link.startswith("/") and not link.startswith("//") for link in links)  # no CDN
    assert "http://" not in page and "https://" not in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/chat.js" defer>']  # no inline script
    assert "<style" not in page and not re.search(r"\son\w+=", page)  # no inline style or handlers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "content_type", "must_contain"),
    [("/chat.js", "text/javascript", "textContent"), ("/chat.css", "text/css", "white-space: pre-wrap")],
)
async def test_page_assets_are_served_by_the_app(serve, path, content_type, must_contain):
    server = await serve()
    async with client() as session, session.get(server.make_url(path)) as response:
        assert response.status == 200
        assert response.content_type == content_type
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        body = await response.text()
    assert must_contain in body
    assert "innerHTML" not in body and "insertAdjacentHTML" not in body and "eval(" not in body


# --- answers and the conversation -----------------------------------------------------------------


async def test_question_is_answered_from_the_knowledge_base(serve, knowledge):
    server = await serve()
    async with client() as session:
        body = await say(session, server, {"text": "wat is ketenregie"})
    reply = body["replies"][-1]
    assert knowledge.get("begrip-ketenregie").summary in reply["text"]
    assert reply["intent"] == "knowledge"
    assert {"text", "options", "card", "intent"} <= set(reply)
    assert all(set(option) == {"label", "value", "numbered"} for option in reply["options"])


async def test_first_message_creates_an_httponly_lax_session_cookie(serve):
    server = await serve()
    async with client() as session:
        async with session.post(server.make_url("/api/chat"), json={"text": "help"}) as response:
            cookie = response.cookies[COOKIE_NAME]
        assert len(cookie.value) >= 40
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        async with session.post(server.make_url("/api/chat"), json={"text": "help"}) as response:
            assert response.cookies[COOKIE_NAME].value == cookie.value  # the same session goes on


async def test_cookie_is_secure_and_host_prefixed_behind_an_https_proxy_and_set_by_the_page(serve):
    server = await serve()
    async with client() as session:
        headers = {"X-Forwarded-Proto": "https"}
        async with session.post(
            server.make_url("/api/chat"), json={"text": "help"}, headers=headers
        ) as response:
            assert COOKIE_NAME not in response.cookies
            cookie = response.cookies[SECURE_COOKIE_NAME]
            assert cookie["secure"] is True and cookie["path"] == "/" and not cookie["domain"]
    async with client() as session, session.get(server.make_url("/")) as response:
        cookie = response.cookies[COOKIE_NAME]
        assert cookie["httponly"] is True and not cookie["secure"]


async def test_cookie_keeps_one_conversation(serve, knowledge):
    server = await serve()
    async with client() as session:
        await open_page(session, server)
        await say(session, server, {"text": "we vertrouwen elkaar niet"})
        body = await say(session, server, {"text": "2"})
    assert knowledge.get("knelpunt-3.oplossing-2").summary in last_text(body)


async def test_each_cookie_is_its_own_conversation(serve, knowledge):
    server = await serve()
    async with client() as first, client() as second:
        await open_page(first, server)
        await open_page(second, server)
        await say(first, server, {"text": "we vertrouwen elkaar niet"})
        body = await say(second, server, {"text": "2"})
    assert knowledge.get("knelpunt-3.oplossing-2").summary not in last_text(body)


async def test_an_options_action_value_opens_it(serve, knowledge):
    server = await serve()
    async with client() as session:
        body = await say(session, server, {"text": "we vertrouwen elkaar niet"})
        option = next(o for o in body["replies"][-1]["options"] if o["value"].endswith("oplossing-4"))
        assert option["numbered"] is True
        opened = await say(session, server, {"action": option["value"]})
        more = next(o for o in opened["replies"][-1]["options"] if o["label"] == "Meer")
        assert more["numbered"] is False
        explained = await say(session, server, {"action": more["value"]})
    solution = knowledge.get("knelpunt-3.oplossing-4")
    assert solution.summary in last_text(opened)
    assert solution.text in last_text(explained)


async def test_script_tag_in_a_registration_is_refused_in_json(serve):
    server = await serve()
    async with client() as session:
        await become_ketenpartner(session, server)
        await say(session, server, {"text": "aanmelden"})
        async with session.post(server.make_url("/api/chat"), json={"text": SCRIPT}) as response:
            assert response.content_type == "application/json"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            refused = await response.json()
    assert last_text(refused).startswith("Hier hoort geen opmaak in")
    assert SCRIPT not in json.dumps(refused)


async def test_message_texts_and_tokens_are_never_logged(serve, caplog):
    server = await serve()
    caplog.set_level(logging.DEBUG)
    async with client() as session:
        async with session.post(
            server.make_url("/api/chat"), json={"text": "wat is ketenregie zebrapad"}
        ) as response:
            token = response.cookies[COOKIE_NAME].value
        async with session.post(
            server.make_url("/api/chat"), json={"text": "x" * (MAX_TEXT_CHARS + 1)}
        ) as response:
            assert response.status == 400
    assert "turn platform=web" in caplog.text
    assert "zebrapad" not in caplog.text and "xxxx" not in caplog.text
    assert token not in caplog.text


# --- refusals -------------------------------------------------------------------------------------

BAD_BODIES = {
    "broken JSON": b'{"text": ',
    "not an object": b'["wat is ketenregie"]',
    "text not a string": b'{"text": 5}',
    "action not a string": b'{"action": ["more"]}',
    "both text and action": b'{"text": "hoi", "action": "more"}',
    "neither": b'{"vraag": "hoi"}',
    "empty text": b'{"text": "   "}',
    "not UTF-8": b'{"text": "caf\xe9"}',
    "lone surrogate": b'{"text": "\\ud800"}',
    "deeply nested": b"[" * 50_000,
    "action too long": json.dumps({"action": "a" * 201}).encode(),
    "body too large": json.dumps({"text": "a" * MAX_BODY_BYTES}).encode(),
}
DUTCH_ERRORS = {text.replace("{limit}", str(MAX_TEXT_CHARS)) for text in ERRORS.values()}


async def test_bad_requests_get_a_dutch_400_never_a_500(serve):
    server = await serve()
    async with client() as session:
        for case, body in BAD_BODIES.items():
            async with session.post(
                server.make_url("/api/chat"), data=body, headers={"Content-Type": "application/json"}
            ) as response:
                assert response.status == 400, case
                error = (await response.json())["error"]
            assert error in DUTCH_ERRORS, case


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_parse_message_refuses_bad_bodies(body):
    with pytest.raises(PayloadError) as refused:
        parse_message(body)
    assert refused.value.message in DUTCH_ERRORS


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"text": "  wat is ketenregie?\\n"}', ChatMessage(text="wat is ketenregie?")),
        (b'{"action": "entry:begrip-keten"}', ChatMessage(action="entry:begrip-keten")),
        ('{"text": "één vraag", "extra": 1}'.encode(), ChatMessage(text="één vraag")),
    ],
)
def test_parse_message_reads_text_or_action(body, expected):
    assert parse_message(body) == expected


async def test_bad_json_gets_a_dutch_message(serve):
    server = await serve()
    async with (
        client() as session,
        session.post(
            server.make_url("/api/chat"), data=b"{nope", headers={"Content-Type": "application/json"}
        ) as response,
    ):
        assert response.status == 400
        assert await response.json() == {"error": "Ik kon je bericht niet lezen: het is geen geldige JSON."}


async def test_form_posts_are_refused_so_other_sites_cannot_post_json(serve):
    server = await serve()
    async with (
        client() as session,
        session.post(server.make_url("/api/chat"), data={"text": "hoi"}) as response,
    ):
        assert response.status == 400
        assert "JSON" in (await response.json())["error"]


async def test_text_over_4000_characters_is_refused_in_dutch(serve):
    server = await serve()
    async with client() as session:
        async with session.post(
            server.make_url("/api/chat"), json={"text": "a" * (MAX_TEXT_CHARS + 1)}
        ) as response:
            assert response.status == 400
            assert (await response.json())["error"] == "Je bericht is te lang: gebruik hooguit 4000 tekens."
        body = await say(session, server, {"text": "ketenregie " + "a" * (MAX_TEXT_CHARS - 11)})
    assert body["replies"]


async def test_too_large_body_without_content_length_is_refused(serve):
    server = await serve()

    async def chunks():
        yield b'{"text": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield b"a" * 1024
        yield b'"}'

    async with (
        client() as session,
        session.post(
            server.make_url("/api/chat"), data=chunks(), headers={"Content-Type": "application/json"}
        ) as response,
    ):
        assert response.status == 400
        assert (await response.json())["error"] == "Je bericht is te groot om te verwerken."


# --- translations (pure) --------------------------------------------------------------------------


def test_to_incoming_uses_the_session_id_as_user_and_a_digest_as_conversation():
    session = Session(token="t" * 64, session_id="5e" * 16)
    msg = to_incoming(ChatMessage(text="hoi"), session)
    assert (msg.platform, msg.user_id, msg.text, msg.action, msg.vouched) == ("web", "5e" * 16, "hoi", None, False)
    assert msg.qualified_user == f"web:{'5e' * 16}" == session.identity
    assert msg.conversation_id == conversation_tag(session.session_id) and session.session_id not in msg.conversation_id
    assert session.token not in repr(msg)
    assert to_incoming(ChatMessage(action="more"), session).action == "more"


def golden_replies() -> list[Reply]:
    return [
        Reply(
            text=f'Knelpunt 3: Ketenpartners vertrouwen elkaar niet\n\n{SCRIPT} & "quotes"\n1. Eén',
            options=(Option("Eén loket", "entry:begrip-een-loket"), Option("Meer", "more", numbered=False)),
            card=Card(
                title="Knelpunt 3",
                body="Tekst <b>vet</b>",
                fields=(CardField("Werkt op", "ketenniveau"),),
                footer="Bron: handreiking",
            ),
            intent="knowledge",
            entry="knelpunt-3",
            score=0.91,
        ),
        Reply(text="Sorry, er ging bij mij iets mis.", intent="error"),
    ]


def test_render_replies_matches_golden_json():
    expected = json.loads((GOLDEN / "web_replies.json").read_text(encoding="utf-8"))
    assert render_replies(golden_replies()) == expected


def test_render_reply_is_plain_data_that_survives_json():
    rendered = render_reply(golden_replies()[0])
    assert json.loads(json.dumps(rendered)) == rendered
    assert SCRIPT in rendered["text"]
