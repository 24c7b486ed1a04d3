"""What Slack sends, as the dicts that arrive over HTTP (signed) or inside a Socket Mode envelope."""

from __future__ import annotations

import time
from typing import Any


def event_payload(
    text: str, *, kind: str = "message", event_id: str = "Ev1", channel: str = "D123", user: str = "U123",
    user_team: str | None = None,
) -> dict[str, Any]:
    """An event from a user of the app's own workspace, or (with `user_team`) a Slack Connect guest's."""
    payload: dict[str, Any] = {
        "type": "event_callback",
        "team_id": "T0KETEN",
        "api_app_id": "A0KETEN",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": {"type": kind, "channel_type": "im" if channel.startswith("D") else "channel", "user": user,
                  "text": text, "ts": "1700000000.000100", "channel": channel},
    }
    if user_team:
        payload["is_ext_shared_channel"] = True
        payload["event"].update(user_team=user_team, source_team=user_team, team=user_team)
    return payload


def action_payload(value: str, action_id: str = "ketenbot_option_0", *, user_team: str | None = None) -> dict[str, Any]:
    user = {"id": "U123", "name": "anouk", **({"team_id": user_team} if user_team else {})}
    return {"type": "block_actions", "user": user, "team": {"id": "T0KETEN"},
            "channel": {"id": "D123"}, "container": {"type": "message", "channel_id": "D123", "message_ts": "1.1"},
            "trigger_id": "trigger-1", "api_app_id": "A0KETEN",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": "1.2"}]}


def submission_payload(values: dict[str, str], consent: bool, *, user_team: str | None = None) -> dict[str, Any]:
    state = {field: {"value": {"type": "plain_text_input", "value": value}} for field, value in values.items()}
    state["consent"] = {"value": {"type": "checkboxes", "selected_options": [{"value": "ja"}] if consent else []}}
    user = {"id": "U123", "name": "anouk", **({"team_id": user_team} if user_team else {})}
    return {"type": "view_submission", "user": user, "team": {"id": "T0KETEN"},
            "api_app_id": "A0KETEN", "trigger_id": "t2",
            "view": {"id": "V1", "type": "modal", "callback_id": "ketenbot_register", "private_metadata": "D123",
                     "state": {"values": state}}}


def command_payload(text: str, response_url: str, *, team: str = "T0KETEN") -> dict[str, str]:
    return {"command": "/keten", "text": text, "user_id": "U123", "user_name": "anouk", "channel_id": "C999",
            "team_id": team, "response_url": response_url, "trigger_id": "t1"}
