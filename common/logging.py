"""A second defence: no INSZ in a log line, whatever a message or its arguments carry.

The first defence is that no code logs an INSZ and no URL carries one (so the
request log lines cannot). This filter, installed on every handler in
settings.LOGGING, rewrites any record whose message, arguments or traceback
hold something shaped like an INSZ (11 digits, grouped by dots, dashes,
slashes or spaces or not) into the same text with the number replaced.
"""

import logging

from common.validators import INSZ_LIKE

REDACTED = "[INSZ]"


def redact(text: str) -> str:
    return INSZ_LIKE.sub(REDACTED, text)


class RedactINSZFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let logging report it as it would
            return True
        if INSZ_LIKE.search(message):
            record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and INSZ_LIKE.search(record.exc_text):
            record.exc_text = redact(record.exc_text)
        if record.stack_info and INSZ_LIKE.search(record.stack_info):
            record.stack_info = redact(record.stack_info)
        return True
