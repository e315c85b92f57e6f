"""The JavaScript semantics the job reproduces (numbers as text, ISO times, Date.parse, trim,
JSON.stringify), checked against Node itself on awkward values, and the audit record reader on
records of both shapes."""

from __future__ import annotations

import json
import random
import subprocess

from nbguard_spark.jscompat import date_parse, iso_string, js_dumps, js_number_to_string, js_trim
from nbguard_spark.records import OTHER, Event, Malformed, parse_audit_time, read_line, read_record

NODE = r"""
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {
  numbers: input.numbers.map((x) => String(x)),
  iso: input.ms.map((x) => new Date(x).toISOString()),
  parse: input.dates.map((s) => { const v = Date.parse(s); return Number.isNaN(v) ? null : v; }),
  trim: input.trim.map((s) => s.trim()),
  json: input.json.map((v) => JSON.stringify(v)),
};
process.stdout.write(JSON.stringify(out));
"""


def test_against_node() -> None:
    r = random.Random(5)
    numbers = [0.1, 1e21, 1e-7, 1.5e300, 5e-324, 2.0**53 + 2, 123456789012345680000.0, 1714550400000.5, -42.0, 1e-6, 100.0]
    numbers += (
        [r.uniform(-1e6, 1e6) for _ in range(200)]
        + [float(r.getrandbits(60)) for _ in range(100)]
        + [r.random() * 10 ** r.randint(-30, 30) for _ in range(200)]
    )
    ms = [0, -1, 1714550400000, 253402300799999, -62198755200000, 8.64e15, -8.64e15] + [r.randint(-(10**14), 10**14) for _ in range(300)]
    dates = [
        "2024-05-01T10:00:00.123456Z",
        "2024-05-01T10:00:00.1Z",
        "2024-05-01T10:00Z",
        "2024-05-01",
        "2024-05",
        "2024",
        "2024-05-01T10:00:00+02:00",
        "2024-05-01T10:00:00.5+0200",
        "2024-05-01T24:00:00Z",
        "2024-02-30T10:00:00Z",
        "+002024-05-01T10:00:00Z",
        "2024-5-1T10:00:00Z",
        "2024-05-01T10:00:60Z",
        "2024-05-01t10:00:00z",
        "2024-05-01T10:00:00.Z",
        "2024-05-01T24:30:00Z",
        "2024-13-01T00:00:00Z",
        "2024-05-00T00:00:00Z",
        "2024-05-01T10:00:00+24:00",
        "-000001-01-01T00:00:00Z",
        "2024-05-01Z",
        "2024-05-01T10:00:00.123-00:00",
        "2023-02-29T00:00:00Z",
        "2024-02-32T00:00:00Z",
        "10000-01-01T00:00:00Z",
    ]
    trim = ["\ufeff{}\u00a0", " \t{x}\r", "\u2028a\u3000", "\x1c{}\x1c", "\x85b\x85"]
    values = [{"a": [1.0, 'x\u2028\x01"\\', None, True, "\ud800", "é\u007f"], "b": 1714550400000.5}, "\ud83d\ude00", [1e21, -0.0]]
    payload = {"numbers": numbers, "ms": ms, "dates": dates, "trim": trim, "json": values}
    run = subprocess.run(["node", "-e", NODE], input=json.dumps(payload), capture_output=True, text=True, check=True)
    node = json.loads(run.stdout)
    assert [js_number_to_string(x) for x in numbers] == node["numbers"]
    valid = [m for m in ms if abs(m) <= 8.64e15]
    assert [iso_string(m) for m in valid] == node["iso"][: len(valid)]
    assert [date_parse(s) for s in dates] == node["parse"]
    assert [js_trim(s) for s in trim] == node["trim"]
    assert [js_dumps(v) for v in values] == node["json"]


def test_audit_times() -> None:
    assert parse_audit_time(1714550400000) == 1714550400000
    assert parse_audit_time(1714550400) == 1714550400000  # seconds
    assert parse_audit_time("1714550400000") == 1714550400000
    assert parse_audit_time("2024-05-01 08:00:00") == 1714550400000  # Spark's text: UTC
    assert parse_audit_time("2024-05-01T08:00:00.250") == 1714550400250
    assert parse_audit_time("yesterday") is None and parse_audit_time("") is None and parse_audit_time(True) is None


def test_records_of_both_shapes() -> None:
    legacy = {
        "serviceName": "notebook",
        "actionName": "runCommand",
        "timestamp": 1714550400000.0,
        "workspaceId": 12.0,
        "userIdentity": {"email": "ana@example.com"},
        "requestParams": {"notebookId": 5.0, "commandText": "print(1)"},
    }
    event = read_record(legacy, 41)
    assert isinstance(event, Event)
    assert (event.notebook_key, event.command_id, event.user, event.time) == ("12/5", "line-42", "ana@example.com", 1714550400000)
    table = {
        "service_name": "notebook",
        "action_name": "attachNotebook",
        "event_time": "2024-05-01T08:00:00.000Z",
        "user_identity": {"subject_name": "svc"},
        "request_params": '{"notebook_id": "7", "notebookPath": "/x"}',
    }
    attach = read_record(table, 0)
    assert isinstance(attach, Event) and (attach.kind, attach.notebook_key, attach.path, attach.user) == ("attach", "7", "/x", "svc")
    assert read_line('{"serviceName": "clusters", "actionName": "create"}', 0) is OTHER
    assert read_line("   ", 0) is OTHER
    assert read_line("[1]", 0) == Malformed("not a JSON object")
    assert isinstance(read_line('{"actionName": "runCommand", "x": }', 0), Malformed)
    assert read_line('{"broken but not a notebook event": }', 0) is OTHER  # as nbguard: not even parsed
    no_text = '{"serviceName": "notebook", "actionName": "runCommand", "timestamp": 1, "requestParams": {"notebookId": "1"}}'
    assert read_line(no_text, 0) == Malformed("runCommand without commandText")
