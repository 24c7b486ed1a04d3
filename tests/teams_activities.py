"""Activities as Microsoft Teams posts them to a bot (shapes from Microsoft's Teams bot documentation):
a personal message, a channel message with an @mention, a card submit, a member added to a team by
another member, and ketenbot installed in a team or personally. `service_url` is the fake connector's."""

from __future__ import annotations

from typing import Any

TENANT = "tenant-keten"
BOT = {"id": "28:ketenbot-app", "name": "ketenbot"}
ANOUK = {"id": "29:1anouk-ketenpartner", "name": "Anouk de Vries", "aadObjectId": "aad-anouk"}
BRAM = {"id": "29:1bram-wijkteam", "name": "Bram Jansen", "aadObjectId": "aad-bram"}
TEAM = "19:team-keten@thread.tacv2"
CHANNEL = "19:algemeen-keten@thread.tacv2"
PERSONAL_ANOUK = "a:1personal-anouk-ketenbot"
CLIENT_INFO = {"type": "clientInfo", "locale": "nl-NL", "country": "NL", "platform": "Web", "timezone": "Europe/Amsterdam"}


def _base(service_url: str, kind: str, number: int, *, sender: dict[str, Any], conversation: dict[str, Any],
          tenant: str) -> dict[str, Any]:
    return {
        "type": kind,
        "id": f"17000000000{number:02d}",
        "timestamp": "2026-11-23T09:00:00.000Z",
        "localTimestamp": "2026-11-23T10:00:00.000+01:00",
        "localTimezone": "Europe/Amsterdam",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": sender,
        "conversation": {**conversation, "tenantId": tenant},
        "recipient": BOT,
        "locale": "nl-NL",
        "channelData": {"tenant": {"id": tenant}},
    }


def personal_message(service_url: str, text: str, *, number: int = 1, sender: dict[str, Any] = ANOUK,
                     conversation: str = PERSONAL_ANOUK, tenant: str = TENANT) -> dict[str, Any]:
    body = _base(service_url, "message", number, sender=sender, tenant=tenant,
                 conversation={"conversationType": "personal", "id": conversation})
    body.update(text=text, textFormat="plain", entities=[CLIENT_INFO])
    return body


def channel_mention(service_url: str, text: str, *, number: int = 1, sender: dict[str, Any] = ANOUK,
                    tenant: str = TENANT) -> dict[str, Any]:
    """`@ketenbot <text>` posted in a team channel: a new thread whose id ends in ;messageid=…"""
    message_id = f"17000000000{number:02d}"
    body = _base(service_url, "message", number, sender=sender, tenant=tenant, conversation={
        "isGroup": True, "conversationType": "channel", "id": f"{CHANNEL};messageid={message_id}",
    })
    mention = f"<at>{BOT['name']}</at>"
    body.update(
        text=f"{mention} {text}",
        textFormat="plain",
        attachments=[{"contentType": "text/html", "content": f"<div><div>{mention} {text}</div></div>"}],
        entities=[{"type": "mention", "text": mention, "mentioned": BOT}, CLIENT_INFO],
        channelData={
            "teamsChannelId": CHANNEL, "teamsTeamId": TEAM, "channel": {"id": CHANNEL},
            "team": {"id": TEAM}, "tenant": {"id": tenant},
        },
    )
    return body


def card_submit(service_url: str, value: dict[str, Any], *, number: int = 1, reply_to: str = "activity-1",
                sender: dict[str, Any] = ANOUK, conversation: str = PERSONAL_ANOUK) -> dict[str, Any]:
    """An Action.Submit clicked on a card ketenbot sent in a personal chat: no text, the data as value."""
    body = _base(service_url, "message", number, sender=sender, tenant=TENANT,
                 conversation={"conversationType": "personal", "id": conversation})
    body.update(value=value, replyToId=reply_to, entities=[CLIENT_INFO])
    body["channelData"].update(source={"name": "message"}, legacy={"replyToId": reply_to})
    return body


def _team_update(service_url: str, added: list[dict[str, Any]], *, sender: dict[str, Any], number: int,
                 tenant: str) -> dict[str, Any]:
    body = _base(service_url, "conversationUpdate", number, sender=sender, tenant=tenant,
                 conversation={"isGroup": True, "conversationType": "channel", "id": TEAM})
    body.update(membersAdded=added, channelData={
        "team": {"id": TEAM, "name": "Ketenteam", "aadGroupId": "aad-team"},
        "eventType": "teamMemberAdded", "tenant": {"id": tenant},
    })
    return body


def member_added(service_url: str, member: dict[str, Any] = BRAM, *, by: dict[str, Any] = ANOUK, number: int = 1,
                 tenant: str = TENANT) -> dict[str, Any]:
    """`by` adds `member` to the team: Teams sends the event with `by` as its sender."""
    added = {"id": member["id"], "aadObjectId": member["aadObjectId"]}
    return _team_update(service_url, [added], sender={"id": by["id"], "aadObjectId": by["aadObjectId"]},
                        number=number, tenant=tenant)


def installed_in_team(service_url: str, *, by: dict[str, Any] = ANOUK, number: int = 1) -> dict[str, Any]:
    """Ketenbot added to a team (conversationUpdate with the bot among membersAdded)."""
    return _team_update(service_url, [{"id": BOT["id"]}], sender={"id": by["id"], "aadObjectId": by["aadObjectId"]},
                        number=number, tenant=TENANT)


def installed_personally(service_url: str, *, by: dict[str, Any] = ANOUK, conversation: str = PERSONAL_ANOUK,
                         number: int = 1) -> dict[str, Any]:
    """Someone installed ketenbot for themselves: the personal conversation starts with the bot added."""
    body = _base(service_url, "conversationUpdate", number, sender={"id": by["id"], "aadObjectId": by["aadObjectId"]},
                 tenant=TENANT, conversation={"conversationType": "personal", "id": conversation})
    body.update(membersAdded=[{"id": BOT["id"]}])
    return body
