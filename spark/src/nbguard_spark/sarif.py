"""SARIF 2.1.0 for the findings of a Spark run, written on the driver.

The log mirrors what ``nbguard audit --format sarif`` writes (server/src/cli/formatSarif.ts and
audit/auditReporters.ts): one run whose driver is ``nbguard``; one result per finding with its
level, its message (plus where the secret came from, "from Cell 1 via Cell 2"), the notebook as
the artifact (a workspace path ``/Users/...`` relative to the ``DATABRICKS_WORKSPACE`` base), the
region (line and column in the command), the cell, session, commandId, notebookId, workspaceId and
user in the properties, and the trace as a code flow. Sessions nbguard could not analyse and
malformed lines are tool execution notifications.

Two differences from the CLI's log: ``tool.driver.rules`` lists only the rules that have findings
(``ruleIndex`` points into that list), and results carry no ``partialFingerprints`` (the JSON-lines
findings the executors hand back do not include them; code scanning computes its own).

The rules' names and descriptions come from nbguard itself when it can be run on the driver
(:func:`driver_template` asks it for an empty SARIF log); otherwise the rules carry their ids only.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_WORKSPACE_BASE = "DATABRICKS_WORKSPACE"
_LONE_SURROGATE = re.compile(r"[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")


def driver_template(command: Sequence[str], timeout: float = 60) -> dict[str, Any] | None:
    """nbguard's own SARIF driver object (name, version, every rule's metadata), or None if nbguard
    cannot be run here."""
    try:
        run = subprocess.run(
            [*command, "audit", "--sessions", "-", "--format", "sarif", "--fail-on", "never"],
            input=b"",
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if run.returncode != 0:
            return None
        return json.loads(run.stdout)["runs"][0]["tool"]["driver"]
    except (OSError, ValueError, KeyError, IndexError, subprocess.TimeoutExpired):
        return None


def _well_formed(text: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", text)


def _encode_path(path: str) -> str:
    """encodePath: each segment as encodeURIComponent writes it."""
    return "/".join(quote(segment, safe="!*'()") for segment in _well_formed(path).replace("\\", "/").split("/"))


def artifact_location(file: str) -> dict[str, str]:
    """Workspace paths (``/Users/...``) relative to DATABRICKS_WORKSPACE, others as relative references."""
    if file.startswith("/"):
        return {"uri": _encode_path(file[1:]), "uriBaseId": _WORKSPACE_BASE}
    return {"uri": _encode_path(file)}


def _cell_name(index: int) -> str:
    return f"Cell {index + 1}"


def trace_summary(finding: dict[str, Any]) -> str | None:
    """Where the secret came from when its trace crosses cells: "from Cell 1 via Cell 2"."""
    cells: list[int] = []
    for step in finding.get("trace") or []:
        if not cells or cells[-1] != step["cell"]:
            cells.append(step["cell"])
    if not cells or all(c == finding["cell"] for c in cells):
        return None
    source = cells[0]
    via: list[int] = []
    for c in cells[1:]:
        if c != source and c != finding["cell"] and c not in via:
            via.append(c)
    return f"from {_cell_name(source)}" + (f" via {', '.join(_cell_name(c) for c in via)}" if via else "")


def _region(line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> dict[str, int]:
    region = {"startLine": line, "startColumn": column}
    if end_line is not None:
        region["endLine"] = end_line
        if end_column is not None:
            region["endColumn"] = end_column
    return region


def _location(file: str, line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": artifact_location(file), "region": _region(line, column, end_line, end_column)}}


def sarif_result(finding: dict[str, Any], rule_index: int) -> dict[str, Any]:
    """One finding (the object nbguard's JSON line holds) as a SARIF result."""
    summary = trace_summary(finding)
    properties: dict[str, Any] = {
        "cell": finding["cell"],
        "session": finding["session"],
        "commandId": finding["commandId"],
        "notebookId": finding["notebookId"],
    }
    for key in ("workspaceId", "user"):
        if finding.get(key):
            properties[key] = finding[key]
    result: dict[str, Any] = {
        "ruleId": finding["ruleId"],
        "ruleIndex": rule_index,
        "level": _LEVEL.get(finding["severity"], "warning"),
        "message": {"text": f"{finding['message']} ({summary})" if summary else finding["message"]},
        "locations": [_location(finding["file"], finding["line"], finding["column"], finding.get("endLine"), finding.get("endColumn"))],
        "properties": properties,
    }
    trace = finding.get("trace") or []
    if trace:
        steps = []
        for step in trace:
            location = _location(step["file"], step["line"], step["column"])
            where = f"command {step.get('commandId', '?')} (cell {step['cell']})"
            steps.append({"location": {**location, "message": {"text": f"{where}: {step['message']}"}}})
        result["codeFlows"] = [{"message": {"text": "How the secret got here"}, "threadFlows": [{"locations": steps}]}]
    return result


def sarif_log(
    findings: Iterable[dict[str, Any]],
    *,
    template: dict[str, Any] | None = None,
    errors: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> dict[str, Any]:
    """The SARIF log of the findings: one run, rules = the rules found (in nbguard's order)."""
    findings = list(findings)
    found = {f["ruleId"] for f in findings}
    known = [r for r in (template or {}).get("rules", []) if isinstance(r, dict) and "id" in r]
    order = [r["id"] for r in known if r["id"] in found] + sorted(found - {r["id"] for r in known})
    by_id = {r["id"]: r for r in known}
    rules = [by_id.get(rule_id, {"id": rule_id}) for rule_id in order]
    index = {rule_id: i for i, rule_id in enumerate(order)}
    driver: dict[str, Any] = {"name": "nbguard"}
    for key in ("semanticVersion", "version", "informationUri"):
        if template and key in template:
            driver[key] = template[key]
    driver["rules"] = rules
    notifications = [{"level": "error", "message": {"text": e}} for e in errors]
    notifications += [{"level": "warning", "message": {"text": w}} for w in warnings]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {
                    _WORKSPACE_BASE: {"description": {"text": "The root of the Databricks workspace the audit log came from"}}
                },
                "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": notifications}],
                "results": [sarif_result(f, index[f["ruleId"]]) for f in findings],
            }
        ],
    }


def write_sarif(path: str, log: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(log, f, indent=2, ensure_ascii=False)
        f.write("\n")
