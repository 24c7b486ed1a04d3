"""Log lines never carry message texts (they may hold client data).

ketenbot's own log lines name ids and counts only. Slack's and Microsoft's libraries are less careful:
bolt logs "Invalid request signature detected (signature: …, body: {…})" at INFO, and "Unhandled
request (…)" with the whole payload. Records from those libraries keep only their words before the
first bracket or colon; the traceback of an error stays.
"""

from __future__ import annotations

import logging
import re

LIBRARIES = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "msrest", "azure")
_DETAILS = re.compile(r"[({\[:]|\bbody\b")


class WithoutPayload(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(LIBRARIES):
            words = _DETAILS.split(record.getMessage(), maxsplit=1)[0].strip()
            record.msg = words or "(melding zonder details)"
            record.args = ()
        return True


def install() -> None:
    """Put the filter on every handler of the root logger (call after logging is configured)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, WithoutPayload) for f in handler.filters):
            handler.addFilter(WithoutPayload())
