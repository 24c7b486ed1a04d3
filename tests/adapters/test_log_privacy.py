"""No message text reaches the log of a real `ketenbot serve`, also where Slack's or Microsoft's libraries
would log a request body (bolt does so for a request with a bad signature)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import aiohttp

from tests.adapters.test_slack import event
from tests.commitment.test_broadcast_restart import ROOT, free_port

MARKER = "ZZGEHEIM-7301"


async def wait_healthy(base: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):  # 30 s: building the matcher at start takes long on a busy machine
            try:
                async with session.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("ketenbot serve did not start")


async def test_message_texts_stay_out_of_the_log(tmp_path):
    port, closed = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_"))}
    env.update(KETENBOT_DB=str(tmp_path / "k.db"), SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="geheim",
               SLACK_API_URL=f"http://127.0.0.1:{closed}/api/", KETENBOT_LOG_LEVEL="DEBUG", KETENBOT_TEAMS_EMULATOR="1",
               PYTHONPATH=str(ROOT))
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen([sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)],
                                  env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_healthy(base)
            text = f"mijn client {MARKER} heeft schulden"
            async with aiohttp.ClientSession() as session:
                forged = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00",
                          "Content-Type": "application/json"}
                async with session.post(f"{base}/slack/events", data=event(text), headers=forged) as response:
                    assert response.status == 401
                activity = {"type": "message", "id": "a1", "text": text, "channelId": "msteams",
                            "serviceUrl": f"http://127.0.0.1:{closed}/", "from": {"id": "29:u1", "name": "Sanne"},
                            "recipient": {"id": "28:bot"}, "conversation": {"id": "c1"}}
                async with session.post(f"{base}/api/messages", data=json.dumps(activity),
                                        headers={"Content-Type": "application/json"}) as response:
                    assert response.status < 500
                async with session.post(f"{base}/api/chat", json={"text": text}) as response:
                    assert response.status == 200
        finally:
            server.send_signal(signal.SIGTERM)
            await asyncio.to_thread(server.wait, 20)
    written = log.read_text(encoding="utf-8", errors="replace")
    assert "Invalid request signature detected" in written
    assert MARKER not in written
