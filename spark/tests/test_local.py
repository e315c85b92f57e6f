"""The job in local mode (local[2]) against single-process ``nbguard audit`` on the same logs:
the same session lines (byte for byte) as ``--format sessions``, the same findings (as multisets
of canonical JSON) as ``--format jsonl``, for the example log, generated logs of both record
shapes (jittered, split over files and input partitions, with malformed lines), the
sessionizer's corner cases, Parquet input, SARIF output and incremental runs with a baseline."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from auditlog import attach, edge_cases, generate, jitter, line, mixed_lines, random_logs, run, with_noise
from conftest import EXAMPLE, canonical, canonical_lines, cli, cli_lines, read_findings_dir, write_lines
from pyspark.sql import types as T

from nbguard_spark.baseline import read_baseline
from nbguard_spark.inputs import read_events
from nbguard_spark.job import JobOptions, JobResult, run_job, session_lines
from nbguard_spark.scan import NbguardError


def spark_session_lines(spark: Any, paths: list[str], **kw: Any) -> list[str]:
    """The job's session lines for the inputs (what --write-sessions writes)."""
    read_kw = {k: kw.pop(k) for k in ("input_format", "min_partitions", "table") if k in kw}
    inp = read_events(spark, paths=paths, **read_kw)
    try:
        return session_lines(inp.events, **kw).map(lambda row: row[0]).collect()
    finally:
        inp.unpersist()


def job(spark: Any, out: Path, nbguard: list[str], inputs: list[str], **kw: Any) -> tuple[JobResult, list[dict]]:
    result = run_job(spark, JobOptions(inputs=inputs, out=str(out), nbguard=nbguard, ship_package=False, **kw))
    return result, read_findings_dir(out / "findings.json")


def cli_summary(nbguard: list[str], *args: str) -> dict:
    return json.loads(cli(nbguard, "--format", "json", *args).stdout)["summary"]


def assert_same_findings(found: list[dict], expected_lines: list[str]) -> None:
    got = Counter(canonical(f) for f in found)
    want = canonical_lines(expected_lines)
    assert got == want, f"only in Spark: {list((got - want).elements())[:3]}\nonly in nbguard: {list((want - got).elements())[:3]}"


# ---------------------------------------------------------------------------------------------
# The example log of the repository.


def test_example_log(spark: Any, nbguard: list[str], tmp_path: Path) -> None:
    assert sorted(spark_session_lines(spark, [str(EXAMPLE)])) == sorted(cli_lines(nbguard, "--format", "sessions", str(EXAMPLE)))
    result, found = job(spark, tmp_path / "out", nbguard, [str(EXAMPLE)], summary=str(tmp_path / "summary.json"))
    expected = cli_lines(nbguard, "--format", "jsonl", str(EXAMPLE))
    assert len(expected) == 5
    assert_same_findings(found, expected)
    summary = cli_summary(nbguard, str(EXAMPLE))
    assert (result.lines, result.malformed_lines, result.other_events) == (
        summary["lines"],
        summary["malformedLines"],
        summary["otherEvents"],
    )
    assert (result.sessions, result.commands) == (summary["sessions"], summary["commands"]) == (3, 10)
    written = json.loads((tmp_path / "summary.json").read_text())
    assert written["findings"] == 5 and written["malformedExamples"] == [{"line": 7, "reason": "not a JSON object"}]
    # The Parquet table holds the same rows.
    parquet = [r.asDict() for r in spark.read.parquet(str(tmp_path / "out" / "findings.parquet")).collect()]
    assert Counter(
        canonical({k: (json.loads(v) if k == "trace" else v) for k, v in r.items() if v is not None}) for r in parquet
    ) == Counter(canonical(f) for f in found)


# ---------------------------------------------------------------------------------------------
# A generated log: both record shapes mixed, jittered within the lateness, noise, three files.


@pytest.fixture(scope="module")
def generated_run(spark: Any, nbguard: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("generated")
    log = generate(20240501, 80)
    assert log.attaches >= 200
    lines = with_noise(mixed_lines(jitter(log.events, 600, 7), 11), 3)
    third = len(lines) // 3
    files = [
        write_lines(base / f"part{i}.jsonl", chunk) for i, chunk in enumerate((lines[:third], lines[third : 2 * third], lines[2 * third :]))
    ]
    paths = [str(f) for f in files]
    result, found = job(
        spark,
        base / "out",
        nbguard,
        paths,
        input_partitions=5,
        bucket_size=64,
        partitions=3,
        sarif=str(base / "findings.sarif"),
        write_baseline=str(base / "baseline.json"),
    )
    return {"paths": paths, "result": result, "found": found, "base": base}


def test_generated_log_session_lines(spark: Any, nbguard: list[str], generated_run: dict[str, Any]) -> None:
    paths = generated_run["paths"]
    mine = spark_session_lines(spark, paths, min_partitions=5, bucket_size=64)
    theirs = cli_lines(nbguard, "--format", "sessions", *paths)
    assert len(theirs) >= 250
    assert Counter(mine) == Counter(theirs)
    assert any('"commandId":"line-' in s for s in theirs)  # commands without ids are named by their line
    assert any("@unattached-" in s for s in theirs)


def test_generated_log_findings(nbguard: list[str], generated_run: dict[str, Any]) -> None:
    paths, result = generated_run["paths"], generated_run["result"]
    expected = cli_lines(nbguard, "--format", "jsonl", *paths)
    assert len(expected) > 50
    assert_same_findings(generated_run["found"], expected)
    summary = cli_summary(nbguard, *paths)
    assert summary["lateEvents"] == 0
    assert summary["malformedLines"] == 7
    assert (result.lines, result.malformed_lines, result.other_events) == (
        summary["lines"],
        summary["malformedLines"],
        summary["otherEvents"],
    )
    assert (result.sessions, result.commands) == (summary["sessions"], summary["commands"])
    assert result.errors == []
    # Jittered within notebooks too: outside what is exact by construction, yet the same here.
    assert result.reordered_events > 0 and not result.exact


def test_sarif(nbguard: list[str], generated_run: dict[str, Any]) -> None:
    paths, base = generated_run["paths"], generated_run["base"]
    log = json.loads((base / "findings.sarif").read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run_ = log["runs"][0]
    results = run_["results"]
    assert len(results) == len(generated_run["found"])
    driver = run_["tool"]["driver"]
    assert driver["name"] == "nbguard"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert sorted(rule_ids) == sorted({r["ruleId"] for r in results})
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    assert all("name" in r and "shortDescription" in r for r in driver["rules"])  # nbguard's own metadata
    # Every result as nbguard's own SARIF has it, but for the fingerprints and the rule index.
    theirs = json.loads(cli(nbguard, "--format", "sarif", *paths).stdout)["runs"][0]["results"]

    def comparable(results: list[dict]) -> Counter[str]:
        return Counter(canonical({k: v for k, v in r.items() if k not in ("partialFingerprints", "ruleIndex")}) for r in results)

    assert comparable(results) == comparable(theirs)
    physical = results[0]["locations"][0]["physicalLocation"]
    assert physical["region"]["startLine"] >= 1 and physical["artifactLocation"]["uri"]


def test_baseline_written_as_nbguard_writes_it(nbguard: list[str], generated_run: dict[str, Any], tmp_path: Path) -> None:
    theirs = tmp_path / "cli-baseline.json"
    cli(nbguard, "--format", "jsonl", "--write-baseline", str(theirs), *generated_run["paths"])
    assert (generated_run["base"] / "baseline.json").read_text() == theirs.read_text()


# ---------------------------------------------------------------------------------------------
# Idle gaps: a short --idle-timeout, notebooks interleaved out of order (each in its own order).


def test_idle_timeout_and_watermark(spark: Any, nbguard: list[str], tmp_path: Path) -> None:
    log = generate(7, 60, pauses=True)
    lines = mixed_lines(jitter(log.events, 240, 5, keep_notebook_order=True), 9)
    path = str(write_lines(tmp_path / "idle.jsonl", lines))
    args = ("--idle-timeout", "30", "--lateness", "5")
    theirs = cli_lines(nbguard, "--format", "sessions", *args, path)
    assert cli_summary(nbguard, *args, path)["lateEvents"] == 0
    mine = spark_session_lines(spark, [path], idle_minutes=30, lateness_minutes=5, bucket_size=16, min_partitions=3)
    assert sum("@unattached-" in s for s in theirs) > 30
    assert Counter(mine) == Counter(theirs)
    result, found = job(spark, tmp_path / "out", nbguard, [path], idle_minutes=30, lateness_minutes=5, bucket_size=16)
    assert_same_findings(found, cli_lines(nbguard, "--format", "jsonl", *args, path))
    assert result.exact


def test_sessionizer_corner_cases(spark: Any, nbguard: list[str], tmp_path: Path) -> None:
    events = edge_cases()
    path = str(write_lines(tmp_path / "edge.jsonl", [line(e, "legacy" if i % 2 else "table") for i, e in enumerate(events)]))
    args = ("--idle-timeout", "30", "--lateness", "5")
    theirs = cli_lines(nbguard, "--format", "sessions", *args, path)
    mine = spark_session_lines(spark, [path], idle_minutes=30, lateness_minutes=5, bucket_size=4)
    assert Counter(mine) == Counter(theirs)
    ids = {json.loads(s)["session"] for s in theirs}
    assert "1234567890/C@unattached-2024-05-01T10:31:30.000Z" in ids  # the attach merged into the command's session
    assert "1234567890/A@unattached-2024-05-01T10:00:00.000Z" in ids  # commands before the first attach
    assert "A@2024-05-01T10:01:10.000Z" in ids and "999/A@2024-05-01T10:00:50.000Z" in ids
    _, found = job(spark, tmp_path / "out", nbguard, [path], idle_minutes=30, lateness_minutes=5)
    assert_same_findings(found, cli_lines(nbguard, "--format", "jsonl", *args, path))


def test_random_logs(spark: Any, nbguard: list[str], tmp_path: Path) -> None:
    """Many small random logs full of ties, duplicates, idle gaps at the threshold, forgotten
    notebooks and paths and users that come and go: the same session lines."""
    events = random_logs(20240501, 60, idle=30 * 60, lateness=5 * 60)
    path = str(write_lines(tmp_path / "random.jsonl", mixed_lines(events, 1)))
    args = ("--idle-timeout", "30", "--lateness", "5")
    theirs = cli_lines(nbguard, "--format", "sessions", *args, path)
    assert cli_summary(nbguard, *args, path)["lateEvents"] == 0
    mine = spark_session_lines(spark, [path], idle_minutes=30, lateness_minutes=5, bucket_size=32)
    assert len(theirs) > 400
    assert Counter(mine) == Counter(theirs)


# ---------------------------------------------------------------------------------------------
# Parquet input: system.access.audit rows (event_time a timestamp, request_params a map).

AUDIT_SCHEMA = T.StructType(
    [
        T.StructField("account_id", T.StringType()),
        T.StructField("workspace_id", T.StringType()),
        T.StructField("version", T.StringType()),
        T.StructField("event_time", T.TimestampType()),
        T.StructField("event_date", T.DateType()),
        T.StructField("source_ip_address", T.StringType()),
        T.StructField(
            "user_identity", T.StructType([T.StructField("email", T.StringType()), T.StructField("subject_name", T.StringType())])
        ),
        T.StructField("service_name", T.StringType()),
        T.StructField("action_name", T.StringType()),
        T.StructField("request_id", T.StringType()),
        T.StructField("request_params", T.MapType(T.StringType(), T.StringType())),
        T.StructField("response", T.StructType([T.StructField("status_code", T.LongType())])),
    ]
)


def test_parquet_input(spark: Any, nbguard: list[str], tmp_path: Path) -> None:
    log = generate(99, 40, extras=False)
    lines = [line(e, "table") for e in jitter(log.events, 300, 2)]
    path = write_lines(tmp_path / "audit.jsonl", lines)
    parquet = tmp_path / "audit.parquet"
    # As system.access.audit holds them; one file, rows in the log's order.
    spark.read.schema(AUDIT_SCHEMA).option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX").json(str(path)).coalesce(1).write.parquet(
        str(parquet)
    )
    assert dict(spark.read.parquet(str(parquet)).dtypes)["request_params"] == "map<string,string>"
    mine = spark_session_lines(spark, [str(parquet)], input_format="parquet")
    assert Counter(mine) == Counter(cli_lines(nbguard, "--format", "sessions", str(path)))
    result, found = job(spark, tmp_path / "out", nbguard, [str(parquet)], input_format="parquet")
    assert_same_findings(found, cli_lines(nbguard, "--format", "jsonl", str(path)))
    assert result.lines == len(lines) and result.malformed_lines == 0
    # The same rows as a table (--table), as system.access.audit is read.
    spark.read.parquet(str(parquet)).write.mode("overwrite").saveAsTable("audit_rows")
    assert Counter(spark_session_lines(spark, [], table="audit_rows")) == Counter(mine)


# ---------------------------------------------------------------------------------------------
# Incremental daily runs with a baseline.


def test_baseline_incremental(spark: Any, nbguard: list[str], tmp_path: Path) -> None:
    day = EXAMPLE.read_text(encoding="utf-8").splitlines()
    baseline = tmp_path / "baseline.json"
    first, found = job(spark, tmp_path / "run1", nbguard, [str(EXAMPLE)], write_baseline=str(baseline))
    assert len(found) == 5 and first.baseline_size == 5
    # The same log again: nothing new, and the baseline stays as it was.
    before = baseline.read_text()
    again, found = job(spark, tmp_path / "run2", nbguard, [str(EXAMPLE)], baseline=str(baseline), write_baseline=str(baseline))
    assert found == [] and again.findings == []
    assert baseline.read_text() == before
    # The next day: the same leaks run again in new sessions, and one new leak.
    leak = [
        attach("3141", 100_000, "/Users/ana@example.com/jdbc_ingest"),
        run(
            "3141",
            100_010,
            "3141-201",
            'db_password = dbutils.secrets.get("db", "password")\ndb_url = f"jdbc:mysql://h/s?password={db_password}"',
        ),
        run("3141", 100_020, "3141-202", "print(db_url)  # potential leak of sensitive data"),
        run("3141", 100_030, "3141-203", 'print(f"connecting with {db_password}")'),
    ]
    shifted = [s.replace("17145", "17146") for s in day]  # the whole day again, 1e8 ms (about a day) later
    next_day = write_lines(tmp_path / "next.jsonl", shifted + [line(e) for e in leak])
    third, found = job(spark, tmp_path / "run3", nbguard, [str(next_day)], baseline=str(baseline), write_baseline=str(baseline))
    cli_baseline = tmp_path / "cli-baseline.json"
    cli_baseline.write_text(before)
    expected = cli_lines(
        nbguard, "--format", "jsonl", "--baseline", str(cli_baseline), "--write-baseline", str(cli_baseline), str(next_day)
    )
    assert len(expected) == 1 and json.loads(expected[0])["commandId"] == "3141-203"
    assert_same_findings(found, expected)
    assert baseline.read_text() == cli_baseline.read_text()
    assert len(read_baseline(str(baseline))) == 6


# ---------------------------------------------------------------------------------------------
# Malformed input and a failing nbguard.


def test_malformed_lines_do_not_stop_the_job(spark: Any, nbguard: list[str], tmp_path: Path) -> None:
    good = EXAMPLE.read_bytes().splitlines()
    bad = [
        b'{"serviceName": "notebook", "actionName": "runCommand", "requestParams": {"notebookId": "3141", "commandText": "\xff\xfe"}}',
        b'{"serviceName": "notebook", "actionName": "runCommand", "timestamp": 1714550700000, '
        b'"requestParams": {"notebookId": "3141", "commandText": "print(\xc3\x28)"}}',
        b"\xef\xbb\xbf{truncated runCommand",
        b"[1, 2, 3]",
        b'{"serviceName": "notebook", "actionName": "attachNotebook", "timestamp": 1714550700000, "requestParams": "{broken"}',
    ]
    data = b"\n".join(good[:5] + bad + good[5:]) + b"\n"
    path = tmp_path / "bad.jsonl"
    path.write_bytes(data)
    result, found = job(spark, tmp_path / "out", nbguard, [str(path)])
    assert_same_findings(found, cli_lines(nbguard, "--format", "jsonl", str(path)))
    summary = cli_summary(nbguard, str(path))
    assert (result.lines, result.malformed_lines, result.other_events) == (
        summary["lines"],
        summary["malformedLines"],
        summary["otherEvents"],
    )
    assert result.malformed_lines == 5
    assert Counter(spark_session_lines(spark, [str(path)])) == Counter(cli_lines(nbguard, "--format", "sessions", str(path)))


def test_nbguard_that_cannot_start_fails_the_job(spark: Any, tmp_path: Path) -> None:
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    with pytest.raises((NbguardError, Py4JJavaError, PySparkException)) as caught:
        run_job(
            spark,
            JobOptions(inputs=[str(EXAMPLE)], out=str(tmp_path / "out"), nbguard="/nonexistent/nbguard", ship_package=False, partitions=1),
        )
    assert "cannot start nbguard" in str(caught.value)
