"""Who may talk to ketenbot as Teams: without MICROSOFT_APP_ID nobody (404, said in Dutch and English), unless
the operator opts in to the local emulator mode (KETENBOT_TEAMS_EMULATOR=1), which answers this machine only."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import signal
import socket
import subprocess
import sys

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.server import RUNTIME, create_app
from bot.config import Settings, SettingsError
from tests.adapters.test_log_privacy import wait_healthy
from tests.adapters.test_teams import activity, post
from tests.commitment.test_broadcast_restart import ROOT, free_port


def address_of_this_machine() -> str | None:
    """An IPv4 address of this machine that is not loopback (a UDP connect sends nothing), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("203.0.113.1", 9))
        except OSError:
            return None
        host = probe.getsockname()[0]
    return None if ipaddress.ip_address(host).is_loopback else host


async def health(base: str) -> dict:
    async with aiohttp.ClientSession() as session, session.get(f"{base}/healthz") as response:
        return await response.json()


async def test_without_an_app_id_teams_is_off_and_says_so(serve, bf_connector):
    server = await serve()
    async with aiohttp.ClientSession() as session:
        body = activity(bf_connector.service_url, "check-in nu")
        async with session.post(server.make_url("/api/messages"), json=body) as response:
            assert response.status == 404
            answer = await response.json()
    assert answer["error"].startswith("Teams staat uit: MICROSOFT_APP_ID is niet ingesteld.")
    assert "KETENBOT_TEAMS_EMULATOR=1" in answer["error"]
    assert answer["error_en"].startswith("Teams is off: MICROSOFT_APP_ID is not set.")
    assert bf_connector.calls == []
    assert (await health(str(server.make_url("")).rstrip("/")))["platforms"]["teams"] == "off"


async def test_emulator_mode_refuses_a_peer_on_another_machine(bf_connector, fresh_db, clock, matcher):
    """The hostile review's curl: a request from elsewhere, with a serviceUrl on this machine."""
    host = address_of_this_machine()
    if host is None:
        pytest.skip("this machine has no address besides loopback")
    server = TestServer(create_app(Settings(db_path=fresh_db, teams_emulator=True), clock=clock, matcher=matcher), host="0.0.0.0", port=None)
    await server.start_server()
    try:
        body = activity(bf_connector.service_url, "check-in nu")
        url = f"http://{host}:{server.port}/api/messages"
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1"}):
                async with session.post(url, json=body, headers=headers) as response:
                    assert response.status == 403
                    assert (await response.json())["error"].startswith("zonder MICROSOFT_APP_ID worden alleen verzoeken")
            # The same request from this machine is answered.
            assert await post(server, body) == 201
        await bf_connector.wait_for("/activities")
        assert len(bf_connector.activities) == 1
        assert (await health(f"http://127.0.0.1:{server.port}"))["platforms"]["teams"] == "emulator"
    finally:
        await server.close()


async def test_serve_in_emulator_mode_listens_on_this_machine_only(tmp_path):
    host = address_of_this_machine()
    if host is None:
        pytest.skip("this machine has no address besides loopback")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_"))}
    env.update(KETENBOT_DB=str(tmp_path / "k.db"), KETENBOT_TEAMS_EMULATOR="1", PYTHONPATH=str(ROOT))
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen([sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)],
                                  env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            await wait_healthy(f"http://127.0.0.1:{port}")
            async with aiohttp.ClientSession() as session:
                with pytest.raises(aiohttp.ClientConnectorError):
                    await session.get(f"http://{host}:{port}/healthz")
        finally:
            server.send_signal(signal.SIGTERM)
            await asyncio.to_thread(server.wait, 20)
    assert "KETENBOT_TEAMS_EMULATOR=1: listening on 127.0.0.1 only" in log.read_text(encoding="utf-8")


def test_settings_read_the_teams_switches():
    settings = Settings.from_env({"KETENBOT_TEAMS_EMULATOR": "1", "KETENBOT_TEAMS_TENANTS": " tenant-a, tenant-b ,"})
    assert settings.teams_emulator is True
    assert settings.teams_tenants == frozenset({"tenant-a", "tenant-b"})
    assert Settings.from_env({"KETENBOT_TEAMS_EMULATOR": "0"}).teams_emulator is False
    with pytest.raises(SettingsError, match="KETENBOT_TEAMS_EMULATOR moet 1 \\(aan\\) of 0 \\(uit\\) zijn, niet 'ja'"):
        Settings.from_env({"KETENBOT_TEAMS_EMULATOR": "ja"})


# --- which tenants Teams vouches for -----------------------------------------------------------------


def incoming_from(tenant_in_conversation: str | None, tenant_in_channel_data: str | None, tenants: frozenset[str]):
    from botbuilder.schema import Activity

    from adapters.teams.bot import to_incoming
    from tests.teams_activities import personal_message

    body = personal_message("http://127.0.0.1:1/", "wie kan ik bellen over schulden?")
    body["conversation"].pop("tenantId")
    body["channelData"] = {}
    if tenant_in_conversation:
        body["conversation"]["tenantId"] = tenant_in_conversation
    if tenant_in_channel_data:
        body["channelData"] = {"tenant": {"id": tenant_in_channel_data}}
    return to_incoming(Activity().deserialize(body), tenants)


@pytest.mark.parametrize(
    ("conversation", "channel_data", "vouched"),
    [
        ("tenant-keten", "tenant-keten", True),
        ("tenant-keten", None, True),
        (None, "tenant-keten", True),
        ("tenant-elders", "tenant-elders", False),  # a guest from another organisation
        (None, None, False),
    ],
)
def test_teams_vouches_only_for_the_configured_tenants(conversation, channel_data, vouched):
    msg = incoming_from(conversation, channel_data, frozenset({"tenant-keten", "tenant-gemeente"}))
    assert msg.vouched is vouched
    assert msg.text == "wie kan ik bellen over schulden?"


def test_without_configured_tenants_nobody_is_vouched_for():
    assert incoming_from("tenant-keten", "tenant-keten", frozenset()).vouched is False


@pytest.mark.parametrize(
    ("app_type", "expected"),
    [("SingleTenant", {"tenant-keten", "tenant-app"}), ("MultiTenant", {"tenant-keten"})],
)
def test_a_single_tenant_apps_own_tenant_is_vouched_for(fresh_db, app_type, expected):
    from adapters.teams.app import bot_framework_config, vouched_tenants

    settings = Settings(db_path=fresh_db, microsoft_app_id="11111111-2222-3333-4444-555555555555", microsoft_app_password="geheim",
                        microsoft_app_type=app_type, microsoft_app_tenant_id="tenant-app", teams_tenants=frozenset({"tenant-keten"}))
    assert vouched_tenants(settings, bot_framework_config(settings)) == expected


@pytest.mark.parametrize(("tenant", "sees_the_map"), [("tenant-keten", True), ("tenant-gast", False)])
async def test_a_guest_tenant_gets_knowledge_but_never_the_social_map(serve, bf_connector, fresh_db, tenant, sees_the_map):
    """End to end over Teams: only a configured tenant's user reads names and numbers from the social map."""
    from social_map.transfer import import_partners
    from tests.adapters.test_teams import say
    from tests.conftest import FIXTURES

    settings = Settings(db_path=fresh_db, teams_emulator=True, teams_tenants=frozenset({"tenant-keten"}))
    server = await serve(settings)
    import_partners(server.app[RUNTIME].services.partners, FIXTURES / "partners" / "goed.csv")
    body = activity(bf_connector.service_url, "wie kan ik bellen over schuldhulp in Zeist?")
    body["conversation"]["tenantId"] = tenant
    reply = await say(server, bf_connector, body)
    assert reply["conversation"]["tenantId"] == tenant
    assert ("Anouk de Vries" in reply["text"]) is sees_the_map
    assert ("030-6921234" in reply["text"]) is sees_the_map
    knowledge = activity(bf_connector.service_url, "wat is ketenregie?", number=2)
    knowledge["conversation"]["tenantId"] = tenant
    assert "regie" in (await say(server, bf_connector, knowledge))["text"].lower()
