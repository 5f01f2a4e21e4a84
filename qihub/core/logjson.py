"""JSON log lines (QIHUB_LOG_FORMAT=json, OPS-1): one object a line with the time, level, logger,
request id, user id, path and message, for a log collector; the plain format stays the default."""

import datetime as dt
import json
import logging

from qihub.core.middleware import current_request, current_request_id


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        request = getattr(record, "request", None) or current_request.get()
        # Only a user the request already loaded: a log line must not query the database.
        user = getattr(request, "_cached_user", None)
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or current_request_id.get(),
            "user_id": user.pk if getattr(user, "is_authenticated", False) else None,
            "path": getattr(request, "path", None),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
