"""Baseline files, as nbguard reads and writes them (server/src/cli/baseline.ts).

A baseline is ``{"version": 1, "fingerprints": [...]}``: the fingerprints of the findings a team
has accepted. ``nbguard audit --baseline FILE`` reports only findings whose fingerprint is not in
it; ``--write-baseline FILE`` records the run's fingerprints, together with the old baseline's
when both are given, so a nightly job reads and writes one file. A fingerprint is the rule, the
notebook path, the reported line's text and its occurrence count within the session: the same
leak run again in a later session has the same fingerprint.

The Spark job reads the old baseline on the driver, passes its text to every nbguard process, and
writes the union of the old fingerprints and those every process recorded -- what one nbguard
process writes for the whole log, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterable


class BaselineError(ValueError):
    """The file is not an nbguard baseline."""


def parse_baseline(text: str, name: str = "baseline") -> set[str]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BaselineError(f"{name}: cannot be read as an nbguard baseline: {error}") from error
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("fingerprints"), list):
        raise BaselineError(f"{name}: not an nbguard baseline (version 1 with fingerprints)")
    return {str(f) for f in data["fingerprints"]}


def read_baseline(path: str) -> set[str]:
    """The fingerprints of a baseline file on the driver."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as error:
        raise BaselineError(f"{path}: cannot be read: {error.strerror}") from error
    return parse_baseline(text, path)


def baseline_text(fingerprints: Iterable[str]) -> str:
    """A baseline file's text, as nbguard's ``JSON.stringify(..., null, 2)`` writes it (sorted, unique)."""
    return json.dumps({"version": 1, "fingerprints": sorted(set(fingerprints))}, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str, fingerprints: Iterable[str]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(baseline_text(fingerprints))
