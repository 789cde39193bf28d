"""Logs to stderr, as text for people or (``LOG_FORMAT=json``) one JSON object a line for a
log pipeline. Either way a line carries what it is about (the request id, tenant, platform and
command, from ``bot.log_context``) and never what a member wrote: anything the member wrote
that a message or an exception happens to quote is struck out."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from bot.config import Settings
from bot.log_context import current, strike

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return strike(super().format(record), current())


class JsonFormatter(logging.Formatter):
    """One object a line: time, level, logger, message, the context's fields, and the
    exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        context = current()
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": strike(record.getMessage(), context),
        }
        if context is not None:
            line |= context.fields()
        if record.exc_info:
            line["exception"] = strike(self.formatException(record.exc_info), context)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(settings: Settings, quiet_by_default: bool = False) -> None:
    """Log to stderr; the console shows only warnings unless LOG_LEVEL says otherwise."""
    explicit = "log_level" in settings.model_fields_set
    level = settings.log_level if explicit or not quiet_by_default else "WARNING"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    logging.basicConfig(level=level.upper(), handlers=[handler])
    if logging.getLogger().level > logging.DEBUG:
        logging.getLogger("alembic").setLevel(logging.WARNING)
