"""The job on a standalone Spark cluster on loopback (a master and two one-core workers started
by the fixture), through its command line: the same session lines and findings as single-process
``nbguard audit`` on the same generated log, with executors on both workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from auditlog import generate, jitter, mixed_lines, with_noise
from conftest import Cluster, canonical, canonical_lines, cli, cli_lines, read_findings_dir, write_lines


def test_standalone_cluster(standalone_cluster: Cluster, nbguard: list[str], tmp_path: Path) -> None:
    log = generate(42, 60)
    lines = with_noise(mixed_lines(jitter(log.events, 300, 1), 2), 4)
    half = len(lines) // 2
    files = [str(write_lines(tmp_path / "a.jsonl", lines[:half])), str(write_lines(tmp_path / "b.jsonl", lines[half:]))]
    out = tmp_path / "out"
    command = [
        sys.executable, "-m", "nbguard_spark",
        "--master", standalone_cluster.url,
        "--conf", "spark.executor.memory=512m",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.sql.shuffle.partitions=4",
        "--input", files[0], "--input", files[1],
        "--input-partitions", "4",
        "--partitions", "4",
        "--out", str(out),
        "--write-sessions", str(out / "sessions"),
        "--sarif", str(tmp_path / "findings.sarif"),
        "--summary", str(tmp_path / "summary.json"),
        "--nbguard", " ".join(nbguard),
    ]  # fmt: skip
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=240, check=False)
    assert run.returncode == 0, run.stderr[-5000:]

    sessions = [line for part in sorted((out / "sessions").glob("part-*")) for line in part.read_text(encoding="utf-8").splitlines()]
    assert Counter(sessions) == Counter(cli_lines(nbguard, "--format", "sessions", *files))
    expected = cli_lines(nbguard, "--format", "jsonl", *files)
    assert Counter(canonical(f) for f in read_findings_dir(out / "findings.json")) == canonical_lines(expected)
    summary = json.loads((tmp_path / "summary.json").read_text())
    theirs = json.loads(cli(nbguard, "--format", "json", *files).stdout)["summary"]
    assert (summary["sessions"], summary["commands"], summary["findings"]) == (theirs["sessions"], theirs["commands"], theirs["findings"])
    assert (summary["lines"], summary["malformedLines"], summary["otherEvents"]) == (
        theirs["lines"],
        theirs["malformedLines"],
        theirs["otherEvents"],
    )
    sarif = json.loads((tmp_path / "findings.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == len(expected)
    # Both workers ran executors (each keeps a folder per application it ran one for).
    assert all(any(d.glob("app-*")) for d in standalone_cluster.work_dirs)
