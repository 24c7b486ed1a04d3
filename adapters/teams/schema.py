"""Where botbuilder-schema's wire format differs from the Bot Framework protocol, corrected at the seam.

botbuilder-schema 4.x maps `ConversationAccount.tenant_id` and `ConversationParameters.tenant_id` to the
JSON key `tenantID`, while the protocol and Teams say `tenantId`. So an incoming activity's tenant is not
read (it ends up in `additional_properties`), and replies and new conversations go out without it. Teams
needs the tenant for personal and proactive conversations. `install()` maps both to `tenantId`, for
reading and writing alike; nothing else of botbuilder changes.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, ConversationAccount, ConversationParameters

TENANT_KEY = "tenantId"


def install() -> None:
    for model in (ConversationAccount, ConversationParameters):
        model._attribute_map["tenant_id"] = {"key": TENANT_KEY, "type": "str"}


def tenant_of(activity: Activity) -> str | None:
    """The Teams tenant an activity comes from: `conversation.tenantId`, else `channelData.tenant.id`."""
    conversation = activity.conversation
    if conversation is not None:
        extra: dict[str, Any] = getattr(conversation, "additional_properties", None) or {}
        tenant = conversation.tenant_id or extra.get(TENANT_KEY)
        if isinstance(tenant, str) and tenant:
            return tenant
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant_info = channel_data.get("tenant")
    tenant = tenant_info.get("id") if isinstance(tenant_info, dict) else None
    return tenant if isinstance(tenant, str) and tenant else None
