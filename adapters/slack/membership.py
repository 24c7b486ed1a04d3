"""Whether Slack vouches for a user: a member of one of the chain's own workspaces (KETENBOT_SLACK_WORKSPACES,
or, when that is not set, the workspace the bot token belongs to, as auth.test reports it).

Slack Connect brings people of other organisations into shared channels and direct messages. Their own
workspace is in the payload, and it is not ours, so they get knowledge answers only. Where the user's own
team is carried (bolt-python's request internals read it the same way):
- events: `event.user_team`, else `event.team`; the envelope's `team_id` is the workspace that received
  the event, which for a Slack Connect channel (`is_ext_shared_channel`) need not be the sender's;
- block actions and view submissions: `user.team_id`, else `team.id`;
- slash commands: `team_id`, the workspace the command was typed in.
"""

from __future__ import annotations

from typing import Any

from bot.config import Settings


def user_team(body: dict[str, Any]) -> str | None:
    """The team id of the user who sent this request, or None when the payload does not say."""
    event = body.get("event")
    if isinstance(event, dict):
        team = event.get("user_team") or event.get("team")
        if team:
            return str(team)
        # A Slack Connect channel without the sender's team in the event: the envelope's team is ours, not theirs.
        return None if body.get("is_ext_shared_channel") else _text(body.get("team_id"))
    user = body.get("user")
    if isinstance(user, dict) and user.get("team_id"):
        return str(user["team_id"])
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    return _text(body.get("team_id"))


def _text(value: Any) -> str | None:
    return str(value) if value else None


def own_workspaces(settings: Settings, context: Any) -> frozenset[str]:
    """The configured workspaces, or the bot token's own (bolt learned it from auth.test)."""
    if settings.slack_workspaces:
        return settings.slack_workspaces
    authorized = getattr(context, "authorize_result", None)
    team = getattr(authorized, "team_id", None)
    return frozenset({team}) if team else frozenset()


def vouches(body: dict[str, Any], context: Any, settings: Settings) -> bool:
    """The sender belongs to one of the chain's own workspaces."""
    team = user_team(body)
    return team is not None and team in own_workspaces(settings, context)
