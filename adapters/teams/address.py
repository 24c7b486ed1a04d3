"""Where a Teams person or channel can be reached later: plain JSON in the address book.

A person's address says who they are (`user`, `tenantId`), how to reach Teams (`serviceUrl`,
`channelId`, `bot`) and, once known, their personal (1:1) conversation with ketenbot. It is taken only
from their own activity or from a `membersAdded` entry that names them, never from whoever sent someone
else's event. A conversation is kept only when it is personal: a check-in must never land in a channel
or a group chat, so without a personal conversation the sender starts one (adapters/teams/sender.py).
A team channel's address is kept under the channel's own id, for celebrations to configured channels.
The shape is a superset of botbuilder's ConversationReference, so it also reads what older versions
stored (where a non-personal conversation is simply not used).
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, ChannelAccount

from adapters.teams.schema import TENANT_KEY, tenant_of

PERSONAL, CHANNEL = "personal", "channel"
# Ids of team channels and group chats ("19:…@thread…"); people are "29:…" (or "8:orgid:…").
CONVERSATION_PREFIX = "19:"

JsonDict = dict[str, Any]


def is_personal(conversation: JsonDict | None) -> bool:
    """Teams names the conversation type; other channels (the emulator) only say whether it is a group."""
    if not conversation or not conversation.get("id"):
        return False
    kind = conversation.get("conversationType")
    return kind == PERSONAL if kind else not conversation.get("isGroup")


def is_conversation_id(target: str) -> bool:
    """A configured channel or group chat rather than a person."""
    return target.startswith(CONVERSATION_PREFIX)


def _base(activity: Activity, tenant: str | None) -> JsonDict:
    return {
        "channelId": activity.channel_id,
        "serviceUrl": activity.service_url,
        "bot": activity.recipient.serialize() if activity.recipient else None,
        TENANT_KEY: tenant,
    }


def person_address(activity: Activity, person: ChannelAccount) -> JsonDict:
    """This person's address as far as the activity tells: the conversation only when it is personal."""
    tenant = tenant_of(activity)
    address = {**_base(activity, tenant), "user": person.serialize()}
    conversation = activity.conversation.serialize() if activity.conversation else None
    if is_personal(conversation):
        address["conversation"] = {**conversation, TENANT_KEY: tenant} if tenant else conversation
    return address


def with_conversation(address: JsonDict, conversation_id: str) -> JsonDict:
    """The address with a personal conversation that ketenbot started."""
    conversation = {"id": conversation_id, "conversationType": PERSONAL, TENANT_KEY: address.get(TENANT_KEY)}
    return {**address, "conversation": {key: value for key, value in conversation.items() if value}}


def merged(old: JsonDict | None, new: JsonDict) -> JsonDict:
    """The new address, keeping what it does not say: a known personal conversation (a mention in a
    channel does not replace it), the tenant, the person's name (membersAdded entries carry none)."""
    if not old:
        return new
    result = {**new, "user": {**(old.get("user") or {}), **(new.get("user") or {})}}
    result[TENANT_KEY] = new.get(TENANT_KEY) or old.get(TENANT_KEY)
    if not is_personal(new.get("conversation")) and is_personal(old.get("conversation")):
        result["conversation"] = old["conversation"]
    return result


def channel_address(activity: Activity) -> tuple[str, JsonDict] | None:
    """(channel id, address) when the activity happens in a team channel; the channel itself, not the
    thread (`;messageid=…`), so a celebration starts a new post."""
    conversation = activity.conversation
    if conversation is None or conversation.conversation_type != CHANNEL or not conversation.id:
        return None
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel = channel_data.get("channel")
    channel_id = channel.get("id") if isinstance(channel, dict) else None
    channel_id = channel_id if isinstance(channel_id, str) and channel_id else conversation.id.split(";", 1)[0]
    tenant = tenant_of(activity)
    target = {"id": channel_id, "conversationType": CHANNEL, "isGroup": True, TENANT_KEY: tenant}
    return channel_id, {**_base(activity, tenant), "conversation": {k: v for k, v in target.items() if v is not None}}
