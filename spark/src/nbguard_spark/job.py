"""The whole job: audit logs in, findings (Parquet, JSON lines, SARIF) and a new baseline out.

1. :mod:`nbguard_spark.inputs` reads the records (JSON lines, Parquet or a table) into events.
2. :mod:`nbguard_spark.sessionize` groups them into sessions with Spark SQL window functions,
   as ``nbguard audit`` does, and writes each as a session JSON line.
3. :mod:`nbguard_spark.scan` streams each partition's session lines through one
   ``nbguard audit --sessions - --format jsonl`` process on its executor.
4. The findings become a table (:mod:`nbguard_spark.findings`) written as Parquet and JSON lines;
   the driver writes the SARIF log (:mod:`nbguard_spark.sarif`), the new baseline
   (:mod:`nbguard_spark.baseline`) and a summary.

:func:`run_job` does it all from :class:`JobOptions` and returns a :class:`JobResult`;
:func:`session_lines` and :func:`scan` are the steps, for pipelines of one's own.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pyspark import RDD, StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .baseline import baseline_text, read_baseline, write_baseline
from .findings import FINDING_SCHEMA, finding_object, finding_row
from .inputs import InputEvents, read_events
from .sarif import driver_template, sarif_log, write_sarif
from .scan import NbguardConfig, scan_sessions
from .sessionize import DEFAULT_BUCKET_SIZE, DEFAULT_IDLE_MINUTES, DEFAULT_LATENESS_MINUTES, session_line, sessionize

#: Malformed lines named in the summary and the SARIF log (nbguard keeps as many).
MALFORMED_EXAMPLES = 20


@dataclass
class JobOptions:
    """What :func:`run_job` reads, runs and writes. Paths of Spark outputs may be any Hadoop file
    system; ``sarif``, ``summary``, ``baseline`` and ``write_baseline`` are files on the driver."""

    inputs: list[str] = field(default_factory=list)
    input_format: str = "json"
    table: str | None = None
    #: A folder for the findings table: ``<out>/findings.parquet`` and ``<out>/findings.json``.
    out: str | None = None
    sarif: str | None = None
    summary: str | None = None
    #: A folder for the session lines (text), what ``nbguard audit --format sessions`` writes.
    sessions_out: str | None = None
    nbguard: str | list[str] = "nbguard"
    rules: list[str] = field(default_factory=list)
    nbguard_args: list[str] = field(default_factory=list)
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    lateness_minutes: float = DEFAULT_LATENESS_MINUTES
    #: How many nbguard processes (partitions of sessions); default: the default parallelism.
    partitions: int | None = None
    #: The least number of partitions to read JSON lines in.
    input_partitions: int | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    #: Spark's save mode for the table outputs.
    mode: str = "overwrite"
    bucket_size: int = DEFAULT_BUCKET_SIZE
    #: Ship this package to the executors with addPyFile (not needed when it is installed there).
    ship_package: bool = True


@dataclass
class JobResult:
    lines: int
    other_events: int
    malformed_lines: int
    malformed_examples: list[dict[str, Any]]
    sessions: int
    commands: int
    findings: list[dict[str, Any]]
    findings_by_rule: dict[str, int]
    errors: list[str]
    baseline_size: int | None
    #: Events logged after a later event of their notebook: where nbguard's result may differ.
    reordered_events: int = 0
    #: Events logged more than the lateness behind the log: nbguard may drop some as late.
    behind_events: int = 0

    @property
    def exact(self) -> bool:
        """Whether the log is one whose sessions are nbguard's own by construction (see sessionize)."""
        return self.reordered_events == 0 and self.behind_events == 0

    def summary(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "otherEvents": self.other_events,
            "malformedLines": self.malformed_lines,
            "malformedExamples": self.malformed_examples,
            "sessions": self.sessions,
            "commands": self.commands,
            "findings": len(self.findings),
            "findingsByRule": self.findings_by_rule,
            "errors": self.errors,
            "eventsOutOfNotebookOrder": self.reordered_events,
            "eventsBehindLateness": self.behind_events,
            **({"baselineFingerprints": self.baseline_size} if self.baseline_size is not None else {}),
        }


def ship_package(spark: SparkSession) -> None:
    """Adds a zip of this package to the executors' Python path."""
    here = os.path.dirname(os.path.abspath(__file__))
    folder = tempfile.mkdtemp(prefix="nbguard-spark-")
    atexit.register(shutil.rmtree, folder, True)  # served to the executors until the driver ends
    target = os.path.join(folder, "nbguard_spark.zip")
    with zipfile.ZipFile(target, "w") as z:
        for name in sorted(os.listdir(here)):
            if name.endswith(".py"):
                z.write(os.path.join(here, name), f"nbguard_spark/{name}")
    spark.sparkContext.addPyFile(target)


def session_lines(
    events: DataFrame,
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    lateness_minutes: float = DEFAULT_LATENESS_MINUTES,
    bucket_size: int = DEFAULT_BUCKET_SIZE,
) -> RDD[tuple[str, int, int, int]]:
    """The session lines of the events, each with its counts: commands, events logged after a later
    event of their notebook, events logged more than the lateness behind the log (see sessionize)."""
    sessions = sessionize(events, idle_minutes, lateness_minutes, bucket_size)
    return sessions.rdd.map(lambda row: (session_line(row), len(row["commands"] or []), row["reordered_events"], row["behind_events"]))


def _scan_partition(rows: Iterator[tuple[str, int, int, int]], config: NbguardConfig) -> Iterator[tuple[str, str]]:
    counts = {"sessions": 0, "commands": 0, "reordered": 0, "behind": 0}

    def lines() -> Iterator[str]:
        for line, commands, reordered, behind in rows:
            counts["sessions"] += 1
            counts["commands"] += commands
            counts["reordered"] += reordered
            counts["behind"] += behind
            yield line

    yield from scan_sessions(lines(), config)
    yield ("stats", json.dumps(counts))


def scan(lines: RDD[tuple[str, int, int, int]], config: NbguardConfig, partitions: int) -> RDD[tuple[str, str]]:
    """Runs nbguard over the session lines, ``partitions`` processes; ``(tag, payload)`` pairs."""
    current = lines.getNumPartitions()
    spread = lines.coalesce(partitions) if current > partitions else lines.repartition(partitions) if current < partitions else lines
    return spread.mapPartitions(lambda rows: _scan_partition(rows, config))


def _notes(inp: InputEvents) -> tuple[int, int, int, list[dict[str, Any]]]:
    counts = inp.notes.where(F.col("note") == "count").agg(F.sum("lines").alias("lines"), F.sum("other").alias("other")).collect()[0]
    malformed = inp.notes.where(F.col("note") == "malformed")
    total = malformed.count()
    examples = [{"line": r["pos"] + 1, "reason": r["reason"]} for r in malformed.orderBy("pos").limit(MALFORMED_EXAMPLES).collect()]
    return int(counts["lines"] or 0), int(counts["other"] or 0), total, examples


def run_job(spark: SparkSession, options: JobOptions) -> JobResult:
    """Reads, sessionizes, scans and writes as ``options`` says."""
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    if options.ship_package:
        ship_package(spark)
    known = read_baseline(options.baseline) if options.baseline else None
    command = NbguardConfig.parse_command(options.nbguard)
    rules_args = tuple(arg for d in options.rules for arg in ("--rules", d))
    config = NbguardConfig(
        command=command,
        extra_args=(*rules_args, *options.nbguard_args),
        baseline_text=baseline_text(known) if known is not None else None,
        record_baseline=options.write_baseline is not None,
    )

    inp = read_events(
        spark, paths=options.inputs, input_format=options.input_format, table=options.table, min_partitions=options.input_partitions
    )
    lines = session_lines(inp.events, options.idle_minutes, options.lateness_minutes, options.bucket_size)
    if options.sessions_out:
        lines = lines.persist(StorageLevel.MEMORY_AND_DISK)
        lines.map(lambda row: row[0]).saveAsTextFile(options.sessions_out)
    partitions = options.partitions or spark.sparkContext.defaultParallelism
    tagged = scan(lines, config, partitions).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        findings_df = spark.createDataFrame(tagged.filter(lambda t: t[0] == "finding").map(lambda t: finding_row(t[1])), FINDING_SCHEMA)
        if options.out:
            findings_df.write.mode(options.mode).parquet(f"{options.out.rstrip('/')}/findings.parquet")
            findings_df.write.mode(options.mode).json(f"{options.out.rstrip('/')}/findings.json")
        others = tagged.filter(lambda t: t[0] != "finding").collect()
        findings = sorted(
            (finding_object(r) for r in findings_df.collect()),
            key=lambda f: (f["session"], f["cell"], f["line"], f["column"], f["ruleId"], f["message"]),
        )
    finally:
        tagged.unpersist()
        if options.sessions_out:
            lines.unpersist()
    errors = sorted(payload for tag, payload in others if tag == "error")
    recorded = {payload for tag, payload in others if tag == "fingerprint"}
    stats = [json.loads(payload) for tag, payload in others if tag == "stats"]
    lines_read, other_events, malformed, examples = _notes(inp)
    inp.unpersist()

    baseline_size = None
    if options.write_baseline:
        merged = (known or set()) | recorded
        write_baseline(options.write_baseline, merged)
        baseline_size = len(merged)
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f["ruleId"]] = by_rule.get(f["ruleId"], 0) + 1
    result = JobResult(
        lines=lines_read,
        other_events=other_events,
        malformed_lines=malformed,
        malformed_examples=examples,
        sessions=sum(s["sessions"] for s in stats),
        commands=sum(s["commands"] for s in stats),
        findings=findings,
        findings_by_rule=dict(sorted(by_rule.items())),
        errors=errors,
        baseline_size=baseline_size,
        reordered_events=sum(s["reordered"] for s in stats),
        behind_events=sum(s["behind"] for s in stats),
    )
    if options.sarif:
        warnings = [f"input line {m['line']}: malformed audit line skipped: {m['reason']}" for m in examples]
        if malformed > len(examples):
            warnings.append(f"... and {malformed - len(examples)} more malformed lines")
        write_sarif(options.sarif, sarif_log(findings, template=driver_template(command), errors=errors, warnings=warnings))
    if options.summary:
        with open(options.summary, "w", encoding="utf-8") as f:
            json.dump(result.summary(), f, indent=2)
            f.write("\n")
    return result
