"""The findings table: one row per finding, the fields of ``nbguard audit --format jsonl``.

nbguard writes each finding as a JSON object: ``ruleId, severity, message, file, cell, line,
column, endLine, endColumn`` (as ``nbguard scan --format json``), ``trace`` when the secret
travelled, then ``session, commandId, notebookId, workspaceId, user``. The table keeps those
columns under the same names, with ``trace`` as its JSON text (one string column instead of a
nested type, so the table's schema stays the same whatever a trace holds). ``file`` is the
notebook path (``notebook:<id>`` when the log never named it) and ``cell`` the command's position
in the session.

:func:`finding_row` turns one line into a row of :data:`FINDING_SCHEMA`; :func:`finding_object`
turns a row back into the object nbguard wrote (for SARIF and for comparisons).
"""

from __future__ import annotations

import json
from typing import Any

from pyspark.sql import types as T

from .jscompat import js_dumps

FINDING_SCHEMA = T.StructType(
    [
        T.StructField("ruleId", T.StringType(), False),
        T.StructField("severity", T.StringType(), False),
        T.StructField("message", T.StringType(), False),
        T.StructField("file", T.StringType(), False),
        T.StructField("cell", T.IntegerType(), False),
        T.StructField("line", T.IntegerType(), False),
        T.StructField("column", T.IntegerType(), False),
        T.StructField("endLine", T.IntegerType(), True),
        T.StructField("endColumn", T.IntegerType(), True),
        T.StructField("session", T.StringType(), False),
        T.StructField("commandId", T.StringType(), False),
        T.StructField("notebookId", T.StringType(), False),
        T.StructField("workspaceId", T.StringType(), True),
        T.StructField("user", T.StringType(), True),
        T.StructField("trace", T.StringType(), True),
    ]
)
FINDING_FIELDS = tuple(f.name for f in FINDING_SCHEMA.fields)
_INT_FIELDS = {"cell", "line", "column", "endLine", "endColumn"}


def finding_row(line: str) -> tuple[Any, ...]:
    """One nbguard JSON line as a row of FINDING_SCHEMA (trace as compact JSON text)."""
    data = json.loads(line)
    values: list[Any] = []
    for name in FINDING_FIELDS:
        value = data.get(name)
        if name == "trace":
            value = js_dumps(value) if value is not None else None
        elif name in _INT_FIELDS and value is not None:
            value = int(value)
        values.append(value)
    return tuple(values)


def finding_object(row: Any) -> dict[str, Any]:
    """A row of the table as the object nbguard wrote (absent fields left out, trace parsed)."""
    get = row.asDict() if hasattr(row, "asDict") else dict(row)
    obj: dict[str, Any] = {}
    for name in FINDING_FIELDS:
        value = get.get(name)
        if value is None:
            continue
        obj[name] = json.loads(value) if name == "trace" else value
    return obj


def canonical(obj: dict[str, Any]) -> str:
    """A finding (or any JSON object) as one comparable string: keys sorted, compact."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
