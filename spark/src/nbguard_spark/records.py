"""One audit record read as the notebook event it holds: a port of nbguard's ``auditEvent.ts``.

Two record shapes exist: legacy log delivery (``serviceName``, ``actionName``, ``requestParams``,
``timestamp`` in epoch ms, ``userIdentity.email``, ``workspaceId``) and rows of the
``system.access.audit`` table (``service_name``, ``action_name``, ``request_params``,
``event_time``, ``user_identity.email``, ``workspace_id``). Only ``attachNotebook`` and
``runCommand`` events of the ``notebook`` service matter; every other record is counted as
"other", and a record that cannot be read is "malformed" (with a reason), never fatal.

The rules are the CLI's, line for line: the same field fallbacks (``notebook_id``,
``notebookPath``, ``command_text``, ``subjectName``...), ids written as JavaScript writes numbers,
the same time formats, the same fallback command id ``line-<n>`` (n counts every input line from
1 across all inputs), and the same cheap test that skips lines mentioning neither action without
parsing them.

:func:`read_line` reads one JSON text line; :func:`read_record` reads an already parsed record
(a Parquet or table row turned into a dict). Both return an :class:`Event`, :data:`OTHER` or a
:class:`Malformed`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .jscompat import date_parse, js_loads, js_number_to_string, js_trim

ATTACH = "attach"
COMMAND = "command"


@dataclass(frozen=True, slots=True)
class Event:
    """A notebook attach or command, as nbguard's ``AuditEvent``."""

    kind: str  # ATTACH or COMMAND
    #: Workspace and notebook id joined (``<ws>/<nb>``), or the notebook id alone.
    notebook_key: str
    notebook_id: str
    workspace_id: str | None
    #: Milliseconds since the epoch (a double, as in JavaScript).
    time: float
    #: The record's position in the input (0-based, counting every line of every input).
    pos: int
    user: str | None
    path: str | None
    command_id: str | None = None
    command_text: str | None = None


@dataclass(frozen=True, slots=True)
class Malformed:
    reason: str


class _Other:
    __slots__ = ()

    def __repr__(self) -> str:
        return "OTHER"


#: A valid record that is not a notebook attach or command.
OTHER = _Other()

ReadResult = Event | Malformed | _Other

_NUMERIC = re.compile(r"[0-9]+(\.[0-9]+)?")
_TIME_WITHOUT_ZONE = re.compile(r"T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\Z")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_audit_time(value: Any) -> float | None:
    """nbguard's ``parseAuditTime``: epoch ms (or seconds) as a number or numeric string, or ISO text."""
    if _is_number(value):
        number = float(value)
        if not math.isfinite(number):
            return None
        return number * 1000 if number < 1e11 else number
    if not isinstance(value, str) or len(value) == 0:
        return None
    if _NUMERIC.fullmatch(value):
        return parse_audit_time(float(value))
    iso = js_trim(value).replace(" ", "T", 1)
    if _TIME_WITHOUT_ZONE.search(iso):
        iso += "Z"
    return date_parse(iso)


def text(value: Any) -> str | None:
    """nbguard's ``text()``: a non-empty string, or a number written as JavaScript writes it."""
    if isinstance(value, str):
        return value if value else None
    if _is_number(value):
        return js_number_to_string(float(value))
    return None


def _params_of(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        try:
            value = js_loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _user_of(identity: Any) -> str | None:
    if not isinstance(identity, dict):
        return None
    return _first(text(identity.get("email")), text(identity.get("subjectName")), text(identity.get("subject_name")))


def _first(*values: str | None) -> str | None:
    for v in values:
        if v is not None:
            return v
    return None


_LEGACY = {
    "service": "serviceName",
    "action": "actionName",
    "params": "requestParams",
    "time": "timestamp",
    "workspace": "workspaceId",
    "user": "userIdentity",
}
_TABLE = {
    "service": "service_name",
    "action": "action_name",
    "params": "request_params",
    "time": "event_time",
    "workspace": "workspace_id",
    "user": "user_identity",
}


def read_record(record: Any, pos: int) -> ReadResult:
    """Reads one parsed record (JSON semantics: numbers as floats, absent keys absent)."""
    if not isinstance(record, dict):
        return Malformed("not a JSON object")
    f = _TABLE if ("service_name" in record or "action_name" in record) else _LEGACY
    action = record.get(f["action"])
    if record.get(f["service"]) != "notebook" or action not in ("runCommand", "attachNotebook"):
        return OTHER
    params = _params_of(record.get(f["params"]))
    if params is None:
        return Malformed(f"{action} without {f['params']}")
    time = parse_audit_time(record.get(f["time"]))
    if time is None:
        return Malformed(f"{action} without a readable {f['time']}")
    notebook_id = _first(text(params.get("notebookId")), text(params.get("notebook_id")))
    if notebook_id is None:
        return Malformed(f"{action} without notebookId")
    workspace_id = text(record.get(f["workspace"]))
    user = _user_of(record.get(f["user"]))
    key = f"{workspace_id}/{notebook_id}" if workspace_id else notebook_id
    path = _first(text(params.get("path")), text(params.get("notebookPath")))
    if action == "attachNotebook":
        return Event(ATTACH, key, notebook_id, workspace_id, time, pos, user, path)
    command_text = params.get("commandText")
    if command_text is None:
        command_text = params.get("command_text")
    if not isinstance(command_text, str):
        return Malformed("runCommand without commandText")
    command_id = _first(text(params.get("commandId")), text(params.get("command_id"))) or f"line-{pos + 1}"
    return Event(COMMAND, key, notebook_id, workspace_id, time, pos, user, path, command_id, command_text)


def read_line(line: str, pos: int) -> ReadResult:
    """Reads one line of a JSON-lines audit log, as nbguard's ``readAuditLine``."""
    trimmed = js_trim(line)
    if not trimmed:
        return OTHER
    if trimmed[0] != "{" or trimmed[-1] != "}":
        return Malformed("not a JSON object")
    if "runCommand" not in trimmed and "attachNotebook" not in trimmed:
        return OTHER
    try:
        record = js_loads(trimmed)
    except (ValueError, RecursionError):
        return Malformed("not valid JSON")
    return read_record(record, pos)
