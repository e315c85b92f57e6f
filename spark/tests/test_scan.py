"""The executor side on its own, with stand-ins for nbguard: large partitions stream through one
process without deadlock, a session nbguard could not analyse (exit status 2 after its summary) is
reported and the run goes on, and a crashing or missing nbguard fails the task."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nbguard_spark.scan import NbguardConfig, NbguardError, scan_sessions

# Echoes every session line back as a "finding" while still reading (as nbguard streams), and
# writes its summary on standard error at the end; the first argument after "audit" picks a mode.
FAKE = r"""
import json, sys
mode = sys.argv[1]
n = 0
for line in sys.stdin:
    n += 1
    sys.stdout.write(json.dumps({"n": n, "size": len(line)}) + "\n")
    sys.stderr.write("nbguard audit: note " + "x" * 200 + "\n")  # a lot of standard error too
if mode == "crash":
    sys.exit(3)
if mode == "error":
    sys.stderr.write("nbguard audit: error: /a: session s1 could not be analysed (Error); the other sessions were\n")
sys.stderr.write(f"nbguard audit: sessions: {n} with 0 commands\n")
sys.exit(2 if mode == "error" else 0)
"""


def fake(tmp_path: Path, mode: str) -> NbguardConfig:
    script = tmp_path / "fake_nbguard.py"
    script.write_text(FAKE)
    # "audit --sessions - ..." follow the command: the mode goes first so the fake sees it as argv[1].
    return NbguardConfig(command=(sys.executable, str(script), mode))


def test_streams_a_large_partition_without_deadlock(tmp_path: Path) -> None:
    lines = (f'{{"notebookId": "{i}", "commands": [], "pad": "{"y" * 2000}"}}' for i in range(20_000))  # 40 MB
    out = list(scan_sessions(lines, fake(tmp_path, "ok")))
    assert len(out) == 20_000 and all(tag == "finding" for tag, _ in out)


def test_a_session_nbguard_could_not_analyse_is_reported(tmp_path: Path) -> None:
    out = list(scan_sessions(['{"notebookId": "1", "commands": []}'] * 3, fake(tmp_path, "error")))
    assert [tag for tag, _ in out] == ["finding"] * 3 + ["error"]
    assert "could not be analysed" in out[-1][1]


def test_a_crash_fails_the_task(tmp_path: Path) -> None:
    with pytest.raises(NbguardError, match="status 3"):
        list(scan_sessions(["{}"], fake(tmp_path, "crash")))


def test_a_missing_nbguard_fails_the_task() -> None:
    with pytest.raises(NbguardError, match="cannot start nbguard"):
        list(scan_sessions(["{}"], NbguardConfig(command=("/nonexistent/nbguard",))))


def test_an_empty_partition_starts_nothing() -> None:
    assert list(scan_sessions([], NbguardConfig(command=("/nonexistent/nbguard",)))) == []


def test_command_words() -> None:
    assert NbguardConfig.parse_command("node '/opt/my nbguard/dist/cli.js'") == ("node", "/opt/my nbguard/dist/cli.js")
    config = NbguardConfig(command=("nbguard",), extra_args=("--rules", "r"))
    assert config.argv("b.json", "w.json") == [
        "nbguard", "audit", "--sessions", "-", "--format", "jsonl", "--fail-on", "never", "--rules", "r",
        "--baseline", "b.json", "--write-baseline", "w.json",
    ]  # fmt: skip
