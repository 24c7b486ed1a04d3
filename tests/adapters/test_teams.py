"""Teams over real HTTP: activities posted to /api/messages, replies caught by the fake connector.

Without MICROSOFT_APP_ID the adapter runs in emulator mode and answers at the activity's serviceUrl
(tests/fakes/bf_connector.py); with an app id, anything but a valid Bot Framework token gets 401.
"""

from __future__ import annotations

import asyncio
import base64
import http.server
import json
import logging
import sqlite3
import struct
import threading
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticationConstants
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.server import RUNTIME
from adapters.teams.app import BotFrameworkConfig, bot_framework_config
from adapters.teams.bot import to_incoming
from adapters.teams.form import form_card
from adapters.teams.package import build_package
from adapters.teams.render import render
from adapters.teams.token import looks_like_bearer_jwt
from bot.config import Settings, SettingsError
from bot.knowledge.answers import entry_value
from bot.messages import Card, CardField, Option, Reply
from bot.social.forms import form_text
from bot.social.registration import CONSENT_TEXT, REGISTER_FORM
from tests.fakes.bf_connector import FakeConnector

GOLDEN = Path(__file__).parents[1] / "golden"
BOT_ID = "28:ketenbot"
USER_ID = "29:anouk"
PERSONAL = "a:1personal-anouk"
CHANNEL = "19:keten@thread.tacv2;messageid=1700000000000"
APP_ID = "11111111-2222-3333-4444-555555555555"
TENANT = "tenant-keten"


@pytest.fixture
def settings(fresh_db) -> Settings:
    """Teams in emulator mode (the fake connector is on this machine); the chain's own tenant configured."""
    return Settings(db_path=fresh_db, teams_emulator=True, teams_tenants=frozenset({TENANT}))


def activity(
    service_url: str,
    text: str | None = None,
    *,
    value: dict[str, Any] | None = None,
    conversation: str = PERSONAL,
    entities: list[dict[str, Any]] | None = None,
    number: int = 1,
) -> dict[str, Any]:
    """A Teams message activity as the Bot Framework posts it, pointing back at the fake connector."""
    body: dict[str, Any] = {
        "type": "message",
        "id": f"msg-{number}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": USER_ID, "name": "Anouk de Vries", "aadObjectId": "aad-anouk"},
        "recipient": {"id": BOT_ID, "name": "ketenbot"},
        "conversation": {
            "id": conversation,
            "conversationType": "channel" if conversation == CHANNEL else "personal",
            "tenantId": TENANT,
        },
        "locale": "nl-NL",
    }
    if text is not None:
        body["text"] = text
    if value is not None:
        body["value"] = value
    if entities:
        body["entities"] = entities
    return body


def mention(name: str = "ketenbot", bot_id: str = BOT_ID) -> dict[str, Any]:
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": bot_id, "name": name}}


async def post(server, body: Any, headers: dict[str, str] | None = None) -> int:
    async with aiohttp.ClientSession() as session:
        kwargs = {"data": body} if isinstance(body, (str, bytes)) else {"json": body}
        async with session.post(
            server.make_url("/api/messages"), headers=headers or {}, **kwargs
        ) as response:
            return response.status


async def say(server, connector: FakeConnector, body: dict[str, Any]) -> dict[str, Any]:
    """Post one activity and return the last activity the bot sent back."""
    before = len(connector.activities)
    assert await post(server, body) == 201
    await connector.wait_for("/activities", count=before + 1)
    return connector.activities[-1]


def card_of(sent: dict[str, Any]) -> dict[str, Any]:
    (attachment,) = sent["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def partners(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT p.name, p.email, p.phone, p.consent_text, i.identity FROM partners p JOIN identities i ON i.partner_id = p.id"
        ).fetchall()


# --- conversations in emulator mode ------------------------------------------------------------


async def test_personal_chat_is_answered_at_the_service_url(serve, bf_connector, knowledge):
    server = await serve()
    sent = await say(server, bf_connector, activity(bf_connector.service_url, "wat is ketenregie?"))
    assert knowledge.get("begrip-ketenregie").summary in sent["text"]
    (call,) = bf_connector.matching("/activities")
    assert call.path == f"/v3/conversations/{PERSONAL}/activities/msg-1"
    assert sent["conversation"]["id"] == PERSONAL
    assert sent["recipient"]["id"] == USER_ID


async def test_channel_mention_is_answered_with_the_mention_stripped(serve, bf_connector, knowledge):
    server = await serve()
    body = activity(
        bf_connector.service_url,
        "<at>ketenbot</at> wat is ketenregie",
        conversation=CHANNEL,
        entities=[mention()],
    )
    sent = await say(server, bf_connector, body)
    assert knowledge.get("begrip-ketenregie").summary in sent["text"]
    assert sent["conversation"]["id"] == CHANNEL


def test_only_the_bots_own_mention_is_stripped():
    body = activity(
        "http://127.0.0.1:1/",
        " <at>ketenbot</at>  wie kent <at>Bram</at>? ",
        conversation=CHANNEL,
        entities=[mention(), mention("Bram", "29:bram")],
    )
    msg = to_incoming(Activity().deserialize(body))
    assert msg.text == "wie kent <at>Bram</at>?"
    assert (msg.platform, msg.user_id, msg.user_name, msg.conversation_id) == (
        "teams",
        USER_ID,
        "Anouk de Vries",
        CHANNEL,
    )
    assert msg.qualified_user == f"teams:{USER_ID}"
    assert msg.action is None


async def test_adaptive_card_button_click_is_answered(serve, bf_connector, knowledge):
    server = await serve()
    sent = await say(
        server,
        bf_connector,
        activity(bf_connector.service_url, value={"value": entry_value("begrip-ketenregie")}),
    )
    assert knowledge.get("begrip-ketenregie").summary in sent["text"]


async def test_options_arrive_as_adaptive_card_buttons(serve, bf_connector):
    server = await serve()
    sent = await say(server, bf_connector, activity(bf_connector.service_url, "help"))
    card = card_of(sent)
    assert card["version"] == "1.4"
    assert {
        "type": "Action.Submit",
        "title": "Wat is ketenregie?",
        "data": {"value": entry_value("begrip-ketenregie")},
    } in card["actions"]
    assert "ketenbot" in sent["text"]


async def test_conversation_reference_is_stored_for_later_messages(serve, bf_connector, settings):
    server = await serve()
    await say(server, bf_connector, activity(bf_connector.service_url, "hallo"))
    reference = server.app[RUNTIME].addresses.lookup(f"teams:{USER_ID}")
    assert reference["serviceUrl"] == bf_connector.service_url
    assert reference["conversation"]["id"] == PERSONAL
    assert reference["user"]["id"] == USER_ID
    assert reference["bot"]["id"] == BOT_ID
    assert reference["channelId"] == "msteams"
    with sqlite3.connect(settings.db_path) as conn:
        assert conn.execute(
            "SELECT platform FROM addresses WHERE identity = ?", (f"teams:{USER_ID}",)
        ).fetchone() == ("teams",)


async def test_failed_delivery_is_logged_without_text_and_apologised_for(serve, bf_connector, caplog):
    server = await serve()
    bf_connector.fail_next(1)
    with caplog.at_level(logging.INFO):
        sent = await say(server, bf_connector, activity(bf_connector.service_url, "wat is ketenregie?"))
    assert sent["text"].startswith("Sorry, er ging bij mij iets mis.")
    assert [c.status for c in bf_connector.calls] == [429, 200]
    assert "teams turn failed" in caplog.text
    assert "ketenregie" not in caplog.text.lower()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("niet json", "text/plain"),
        ("{kapot", "application/json"),
        ('{"text": "geen type"}', "application/json"),
    ],
)
async def test_a_body_that_is_no_activity_is_a_bad_request(serve, bf_connector, body, content_type):
    server = await serve()
    assert await post(server, body, {"Content-Type": content_type}) == 400
    assert bf_connector.calls == []


# --- the registration form -------------------------------------------------------------------------

FORM = {
    "name": "Anouk de Vries",
    "organisation": "Schuldhulp Zeist",
    "role": "schuldhulpverlener",
    "topics": "schulden; budgetcoaching",
    "region": "Zeist",
    "email": "Anouk@Voorbeeld.nl",
    "phone": "06 1234 5678",
}


async def open_form(server, connector: FakeConnector) -> dict[str, Any]:
    """Start registering as a user types it, click 'Formulier invullen', return the form's submit data."""
    start = await say(server, connector, activity(connector.service_url, "ik wil me aanmelden"))
    (open_action,) = [a for a in card_of(start)["actions"] if a["title"] == "Formulier invullen"]
    form = card_of(
        await say(server, connector, activity(connector.service_url, value=open_action["data"], number=2))
    )
    inputs = {element["id"]: element for element in form["body"] if element["type"].startswith("Input.")}
    assert set(inputs) == {*FORM, "consent"}
    assert inputs["consent"]["title"] == CONSENT_TEXT
    assert inputs["name"]["value"] == "Anouk de Vries"  # Teams' display name, to correct if needed
    (submit,) = form["actions"]
    return submit["data"]


async def test_registration_form_saves_the_partner_with_consent(serve, bf_connector, settings, knowledge):
    server = await serve()
    submit = await open_form(server, bf_connector)
    sent = await say(
        server,
        bf_connector,
        activity(bf_connector.service_url, value={**submit, **FORM, "consent": "true"}, number=3),
    )
    assert "Je staat nu op de sociale kaart." in sent["text"]
    assert partners(settings.db_path) == [
        ("Anouk de Vries", "anouk@voorbeeld.nl", "06-12345678", CONSENT_TEXT, f"teams:{USER_ID}")
    ]
    # The question-by-question dialog the form replaced is over: a question is answered as usual.
    after = await say(
        server, bf_connector, activity(bf_connector.service_url, "wat is ketenregie?", number=4)
    )
    assert knowledge.get("begrip-ketenregie").summary in after["text"]


async def test_registration_form_refuses_a_bad_email_and_saves_nothing(serve, bf_connector, settings):
    server = await serve()
    submit = await open_form(server, bf_connector)
    body = activity(
        bf_connector.service_url,
        value={**submit, **FORM, "email": "anouk@voorbeeld", "consent": "true"},
        number=3,
    )
    sent = await say(server, bf_connector, body)
    card = card_of(sent)
    errors = [e["text"] for e in card["body"] if e["type"] == "TextBlock" and e.get("color") == "Attention"]
    assert "Dat is geen geldig e-mailadres. Een e-mailadres ziet eruit als naam@organisatie.nl." in errors
    assert "Dat is geen geldig e-mailadres." in sent["text"]
    kept = {e["id"]: e["value"] for e in card["body"] if e["type"] == "Input.Text"}
    assert kept["email"] == "anouk@voorbeeld"
    assert partners(settings.db_path) == []


async def test_registration_form_refuses_client_data_and_does_not_echo_it(serve, bf_connector, settings):
    server = await serve()
    submit = await open_form(server, bf_connector)
    role = "casusregie, bsn client 111-222-333"
    sent = await say(server, bf_connector, activity(bf_connector.service_url, value={**submit, **FORM, "role": role, "consent": "true"}, number=3))
    card = card_of(sent)
    errors = [e["text"] for e in card["body"] if e["type"] == "TextBlock" and e.get("color") == "Attention"]
    assert any(error.startswith("Hier lijkt een burgerservicenummer (BSN) of IBAN in te staan.") for error in errors)
    kept = {e["id"]: e["value"] for e in card["body"] if e["type"] == "Input.Text"}
    assert kept["role"] == "" and kept["name"] == FORM["name"]
    assert "111-222-333" not in json.dumps(sent)
    assert partners(settings.db_path) == []


async def test_registration_form_requires_consent(serve, bf_connector, settings):
    server = await serve()
    submit = await open_form(server, bf_connector)
    sent = await say(
        server,
        bf_connector,
        activity(bf_connector.service_url, value={**submit, **FORM, "consent": "false"}, number=3),
    )
    assert "Zonder toestemming" in sent["text"]
    assert partners(settings.db_path) == []


# --- authentication with an app id -----------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_hs256() -> str:
    """A well-formed token with Bot Framework's issuer and our audience, signed with a made-up secret."""
    import hashlib
    import hmac

    now = int(time.time())
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "made-up"}).encode())
    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "iat": now, "nbf": now, "exp": now + 3600}
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(b"geen-geheim", f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def forged_rs256() -> str:
    """Signed with a fresh RSA key of our own: validating it needs Microsoft's keys, which are out of reach."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {
        "iss": "https://api.botframework.com",
        "aud": APP_ID,
        "serviceurl": "http://127.0.0.1/",
        "iat": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "forged-key"})


@pytest.fixture
def authenticated(fresh_db) -> Settings:
    return Settings(db_path=fresh_db, microsoft_app_id=APP_ID, microsoft_app_password="geheim")


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer abc",
        "Bearer a.b.c",
        "Basic YWRtaW46YWRtaW4=",
        "bearer " + forged_hs256(),
        "Bearer " + forged_hs256(),
        "Bearer " + forged_rs256(),
    ],
    ids=[
        "missing",
        "empty",
        "not-a-jwt",
        "not-json",
        "basic",
        "lowercase-scheme",
        "forged-hs256",
        "forged-rs256",
    ],
)
async def test_app_id_requires_a_valid_token(serve, bf_connector, authenticated, authorization, caplog):
    server = await serve(authenticated)
    headers = {"Authorization": authorization} if authorization is not None else {}
    with caplog.at_level(logging.WARNING):
        status = await post(server, activity(bf_connector.service_url, "wat is ketenregie?"), headers)
    assert status == 401
    assert bf_connector.calls == []
    assert "teams request refused" in caplog.text
    if authorization:
        assert authorization.split(" ")[-1] not in caplog.text


async def test_app_id_with_a_forged_token_and_a_broken_body_is_still_401(serve, authenticated):
    server = await serve(authenticated)
    assert (
        await post(
            server,
            "{kapot",
            {"Authorization": "Bearer " + forged_rs256(), "Content-Type": "application/json"},
        )
        == 401
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer " + forged_hs256(), True),
        ("Bearer eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.", False),  # unsigned (alg none): no signature part
        ("Bearer eyJ0eXAiOiJKV1QifQ.eyJ4IjoxfQ.c2ln", False),  # header without alg
        ("Bearer e30.W10.c2ln", False),  # payload is a list, not claims
        ("Bearer a.b.c.d", False),
        ("Bearer  " + forged_hs256(), False),
        ("Bearer " + "a" * 9000 + ".b.c", False),
    ],
)
def test_token_shape(header, expected):
    assert looks_like_bearer_jwt(header) is expected


# --- renderer golden files -------------------------------------------------------------------------


def golden(name: str, actual: dict[str, Any]) -> None:
    """Compare with tests/golden/<name>.json; KETENBOT_UPDATE_GOLDEN=1 rewrites the file."""
    import os

    path = GOLDEN / f"{name}.json"
    if os.environ.get("KETENBOT_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8"))


GOLDEN_REPLIES = {
    "teams_text": Reply(text="Prima, ik heb niets bewaard.", intent="register"),
    "teams_options": Reply(
        text="Bedoel je een van deze?\n1. Ketenregie\n2. Keten",
        options=(Option("Ketenregie", "entry:begrip-ketenregie"), Option("Meer", "more", numbered=False)),
        intent="knowledge",
    ),
    "teams_card": Reply(
        text="Wie kan ik bellen over schulden in Zeist?\n\n1. Anouk de Vries, tel. 06-12345678",
        card=Card(
            title="Voor schulden in Zeist kun je terecht bij:",
            body="Bel gerust; noem dat je via ketenbot komt.",
            fields=(
                CardField("Anouk de Vries", "schuldhulpverlener bij Schuldhulp Zeist\ntel. 06-12345678"),
            ),
            footer="Bron: sociale kaart",
        ),
        options=(Option("Terug", "back", numbered=False),),
        intent="contact",
    ),
    "teams_register_start": Reply(
        text="Fijn dat je op de sociale kaart wilt!\n\nWat is je naam?", intent="register", form=REGISTER_FORM
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_REPLIES))
def test_render_golden(name):
    golden(name, render(GOLDEN_REPLIES[name]).serialize())


def test_register_form_golden():
    values = {**FORM, "email": "anouk@voorbeeld"}
    errors = {"email": "Dat is geen geldig e-mailadres.", "consent": "Zonder toestemming niet."}
    card = form_card("Ik geef toestemming.", values, errors, consent=False)
    golden("teams_register_form", {"text": form_text(errors), "card": card})


def test_plain_text_has_no_card_and_text_is_always_filled():
    for reply in GOLDEN_REPLIES.values():
        assert render(reply).text == reply.text
    assert render(GOLDEN_REPLIES["teams_text"]).attachments is None


# --- the app package -------------------------------------------------------------------------------


def png_info(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGBA pixels of an 8-bit RGBA PNG without filters (as icons.py writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color_type = struct.unpack(">IIBB", data[16:26])
    assert (depth, color_type) == (8, 6)
    idat, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    pixels = [
        raw[r * stride + 1 + c * 4 : r * stride + 5 + c * 4] for r in range(height) for c in range(width)
    ]
    return width, height, pixels


def test_package_holds_manifest_and_icons(tmp_path):
    out = build_package(tmp_path / "dist" / "ketenbot-teams.zip", app_id=APP_ID)
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        color = png_info(package.read("color.png"))
        outline = png_info(package.read("outline.png"))
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert color[:2] == (192, 192)
    assert outline[:2] == (32, 32)
    # Teams: the outline icon is white on transparent, nothing else.
    assert all(pixel[:3] == b"\xff\xff\xff" or pixel[3] == 0 for pixel in outline[2])
    assert any(pixel[3] == 255 for pixel in outline[2]) and any(pixel[3] == 0 for pixel in outline[2])


def test_package_refuses_an_app_id_that_is_no_guid(tmp_path):
    with pytest.raises(ValueError, match="GUID"):
        build_package(tmp_path / "x.zip", app_id="ketenbot")


# --- configuration -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app_type", "tenant", "password", "message"),
    [
        ("SingleTenant", None, "geheim", "MICROSOFT_APP_TENANT_ID"),
        ("SingleTenant", "tenant", None, "MICROSOFT_APP_PASSWORD"),
        ("UserAssignedMSI", None, None, "MICROSOFT_APP_TENANT_ID"),
        ("Anders", None, None, "MICROSOFT_APP_TYPE"),
    ],
)
def test_incomplete_bot_framework_settings_stop_start_up_naming_the_variable(
    fresh_db, app_type, tenant, password, message
):
    custom = Settings(
        db_path=fresh_db,
        microsoft_app_id=APP_ID,
        microsoft_app_type=app_type,
        microsoft_app_tenant_id=tenant,
        microsoft_app_password=password,
    )
    with pytest.raises(SettingsError, match=message):
        bot_framework_config(custom)


def test_bot_framework_config_defaults_to_multi_tenant_and_emulator(settings):
    assert bot_framework_config(settings) == BotFrameworkConfig(
        APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID=""
    )


async def test_emulator_mode_only_answers_a_local_service_url(serve, bf_connector):
    server = await serve()
    status = await post(server, activity("http://voorbeeld.org/", "wat is ketenregie"))
    assert status == 403
    assert bf_connector.calls == []


async def test_malformed_activities_are_refused_without_a_server_error(serve, bf_connector, knowledge):
    server = await serve()
    assert await post(server, activity("http://[::1", "wat is ketenregie")) == 403
    invoke = activity(bf_connector.service_url, None)
    invoke.update(type="invoke", name="adaptiveCard/action", value={"x": 1})
    assert await post(server, invoke) == 400
    odd_mention = activity(bf_connector.service_url, "wat is ketenregie", entities=[{"type": "mention", "mentioned": "x"}])
    sent = await say(server, bf_connector, odd_mention)
    assert knowledge.get("begrip-ketenregie").summary in sent["text"]


async def test_installing_ketenbot_sends_a_welcome_and_stores_the_address(serve, bf_connector):
    server = await serve()
    update = activity(bf_connector.service_url, None)
    update.update(type="conversationUpdate", membersAdded=[{"id": BOT_ID, "name": "ketenbot"}, {"id": USER_ID, "name": "Anouk"}])
    assert await post(server, update) == 201
    [welcome] = [c.body for c in await bf_connector.wait_for("/activities")]
    assert welcome["text"].startswith("Hoi! Ik ben ketenbot")
    from adapters.server import RUNTIME

    assert server.app[RUNTIME].addresses.lookup(f"teams:{USER_ID}")["serviceUrl"] == bf_connector.service_url


# --- a valid token, and the signing keys fetched without stalling the server -----------------------


class FakeOpenId:
    """Publishes an RSA key as the Bot Framework does (OpenID metadata, then JWKS) on loopback, from its own
    thread. It holds the JWKS answer until `release` is set (at most HOLD_SECONDS), and notes whether the
    release came in time: it cannot if fetching the keys blocks the server's event loop."""

    HOLD_SECONDS = 5

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.requested = threading.Event()
        self.release = threading.Event()
        self.released_in_time: bool | None = None
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                if self.path == "/keys":
                    fake.requested.set()
                    fake.released_in_time = fake.release.wait(fake.HOLD_SECONDS)
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(fake.key.public_key()))
                    body = {"keys": [{**jwk, "kid": "test-key", "use": "sig", "endorsements": ["msteams"]}]}
                else:
                    body = {"issuer": "https://api.botframework.com", "jwks_uri": f"{fake.url}/keys"}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()

    def token(self, service_url: str) -> str:
        now = int(time.time())
        claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": service_url, "nbf": now - 10,
                  "iat": now, "exp": now + 3600}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "test-key"})


async def test_a_token_signed_with_the_published_key_is_accepted_while_the_server_keeps_serving(
    serve, bf_connector, authenticated, monkeypatch
):
    openid = FakeOpenId()
    # Microsoft's endpoint, as SLACK_API_URL is Slack's: the SDK reads it when the server is built.
    monkeypatch.setattr(AuthenticationConstants, "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL", f"{openid.url}/openid")
    server = await serve(authenticated)
    typing = activity(bf_connector.service_url, None)
    typing["type"] = "typing"  # needs no answer, so no outgoing token is needed either
    headers = {"Authorization": "Bearer " + openid.token(bf_connector.service_url), "Content-Type": "application/json"}
    try:
        async with aiohttp.ClientSession() as session:
            pending = asyncio.create_task(session.post(server.make_url("/api/messages"), data=json.dumps(typing), headers=headers))
            await asyncio.to_thread(openid.requested.wait, 10)
            # The keys are still under way: the health check is answered all the same.
            async with session.get(server.make_url("/healthz")) as health:
                assert health.status == 200
            openid.release.set()
            async with await pending as response:
                assert response.status == 201
            forged = {"Authorization": "Bearer " + forged_rs256(), "Content-Type": "application/json"}
            async with session.post(server.make_url("/api/messages"), data=json.dumps(typing), headers=forged) as response:
                assert response.status == 401
    finally:
        openid.close()
    assert openid.released_in_time is True


# --- the fake connector itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "problem"),
    [
        ("/v3/conversations/a:1/activities", {"text": "geen type"}, "Activity: ('type',): Field required"),
        ("/v3/conversations/a:1/activities", {"type": "message", "conversation": {"id": "a:1", "tenantID": "t"}},
         "Activity: unknown field conversation.tenantID"),
        ("/v3/conversations", {"bot": {"id": BOT_ID}, "members": "29:bram"}, "ConversationParameters: ('members',)"),
    ],
    ids=["no-type", "tenantID", "members-not-a-list"],
)
async def test_the_fake_connector_refuses_what_microsofts_models_refuse(bf_connector, path, body, problem):
    async with aiohttp.ClientSession() as session:
        async with session.post(bf_connector.server.make_url(path), json=body) as response:
            assert response.status == 400
    assert len(bf_connector.invalid) == 1 and problem in bf_connector.invalid[0]
    bf_connector.invalid.clear()  # seen here on purpose; the fixture fails every other test on one
