"""Reading audit logs into a DataFrame of notebook events, each with its position in the input.

Inputs are JSON lines (legacy log delivery records and/or rows exported from
``system.access.audit``, plain or ``.gz``), Parquet files, or a Spark table. Every record is read by
:mod:`nbguard_spark.records`, the Python port of nbguard's own reader, so what counts as an event,
an other event or a malformed line is what the CLI decides.

Each event keeps ``pos``, its position in the input: nbguard keeps the log's order between
events of equal time, and names a command without an id ``line-<pos + 1>``.

- JSON lines: the files in the order given (a folder's or a glob's files in name order), every line
  counted from 0 across all of them, as the CLI counts when given the same files in the same
  order (``sc.textFile`` keeps that order; ``zipWithIndex`` numbers the lines).
- Parquet: files in path order, rows in file order (``_metadata.row_index``), numbered as the lines
  of a JSON export of them would be.
- A table: its files' order where Spark exposes ``_metadata``, otherwise the scan's order
  (``monotonically_increasing_id``), which only matters for equal times and commands without ids.

:func:`read_events` returns an :class:`InputEvents`: the events (attach and command rows, see
:data:`EVENT_SCHEMA`) and a small DataFrame of what else was read (line counts, malformed lines).
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pyspark.sql import Column, DataFrame, Row, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .records import OTHER, Event, Malformed, read_line, read_record

#: The notebook events: one row per attach or command, the fields of nbguard's AuditEvent.
EVENT_SCHEMA = T.StructType(
    [
        T.StructField("kind", T.StringType(), False),  # "attach" or "command"
        T.StructField("notebook_key", T.StringType(), False),
        T.StructField("notebook_id", T.StringType(), False),
        T.StructField("workspace_id", T.StringType(), True),
        T.StructField("time", T.DoubleType(), False),
        T.StructField("pos", T.LongType(), False),
        T.StructField("user", T.StringType(), True),
        T.StructField("path", T.StringType(), True),
        T.StructField("command_id", T.StringType(), True),
        T.StructField("command_text", T.StringType(), True),
    ]
)

#: What else was read: one "count" row per input partition, one "malformed" row per malformed record.
NOTE_SCHEMA = T.StructType(
    [
        T.StructField("note", T.StringType(), False),  # "count" or "malformed"
        T.StructField("lines", T.LongType(), True),
        T.StructField("other", T.LongType(), True),
        T.StructField("pos", T.LongType(), True),
        T.StructField("reason", T.StringType(), True),
    ]
)

# Both shapes' columns; the rest of a record is never looked at.
_RECORD_COLUMNS = (
    "serviceName",
    "actionName",
    "requestParams",
    "timestamp",
    "workspaceId",
    "userIdentity",
    "service_name",
    "action_name",
    "request_params",
    "event_time",
    "workspace_id",
    "user_identity",
)
_ACTIONS = ("runCommand", "attachNotebook")


@dataclass(frozen=True)
class InputEvents:
    """The events read, and the notes (counts, malformed records) made on the way."""

    events: DataFrame
    notes: DataFrame
    #: The persisted parse both are made from: unpersist it when done.
    parsed: Any = None

    def unpersist(self) -> None:
        if self.parsed is not None:
            self.parsed.unpersist()


def _event_row(e: Event) -> tuple[Any, ...]:
    return (e.kind, e.notebook_key, e.notebook_id, e.workspace_id, e.time, e.pos, e.user, e.path, e.command_id, e.command_text)


def expand_inputs(spark: SparkSession, paths: Iterable[str]) -> list[str]:
    """The files the inputs name, in order: a file as given, a folder's files (recursively) and a
    glob's matches in name order, skipping hidden files (``_SUCCESS``, ``.crc``) as Spark does.
    Works for every Hadoop file system (local, HDFS, S3, DBFS...)."""
    jvm = spark.sparkContext._jvm  # type: ignore[attr-defined]
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[attr-defined]
    files: list[str] = []

    def walk(fs: Any, status: Any) -> None:
        name = status.getPath().getName()
        if status.isDirectory():
            for child in sorted(fs.listStatus(status.getPath()), key=lambda s: s.getPath().toString()):
                child_name = child.getPath().getName()
                if not child_name.startswith(("_", ".")):
                    walk(fs, child)
        elif name:
            files.append(status.getPath().toString())

    for raw in paths:
        path = jvm.org.apache.hadoop.fs.Path(raw)
        fs = path.getFileSystem(conf)
        matches = fs.globStatus(path)
        if not matches:
            raise FileNotFoundError(f"{raw}: no such file")
        for status in sorted(matches, key=lambda s: s.getPath().toString()):
            walk(fs, status)
    if not files:
        raise FileNotFoundError(f"no input files in {', '.join(paths)}")
    return files


def _parse_lines(pairs: Iterator[tuple[bytes, int]]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    lines = 0
    other = 0
    for raw, pos in pairs:
        lines += 1
        result = read_line(raw.decode("utf-8", "replace"), pos)
        if isinstance(result, Event):
            yield ("event", _event_row(result))
        elif isinstance(result, Malformed):
            yield ("note", ("malformed", None, None, pos, result.reason))
        else:
            other += 1
    yield ("note", ("count", lines, other, None, None))


def read_json_lines(spark: SparkSession, paths: Iterable[str], min_partitions: int | None = None) -> InputEvents:
    """JSON-lines audit logs (plain or compressed as Hadoop recognises by name, e.g. ``.gz``)."""
    files = expand_inputs(spark, paths)
    sc = spark.sparkContext
    # One textFile over all files keeps their order: the partitions are the files' splits in order.
    lines = sc.textFile(",".join(files), minPartitions=min_partitions, use_unicode=False)  # type: ignore[arg-type]
    parsed = lines.zipWithIndex().mapPartitions(_parse_lines)
    return _split(spark, parsed)


def _split(spark: SparkSession, parsed: Any) -> InputEvents:
    from pyspark import StorageLevel

    parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK)
    events = spark.createDataFrame(parsed.filter(lambda t: t[0] == "event").map(lambda t: t[1]), EVENT_SCHEMA)
    notes = spark.createDataFrame(parsed.filter(lambda t: t[0] == "note").map(lambda t: t[1]), NOTE_SCHEMA)
    return InputEvents(events, notes, parsed)


def _plain(value: Any) -> Any:
    """A Spark value as JSON.parse would have given it: numbers as floats, nulls left out."""
    if isinstance(value, Row):
        value = value.asDict(recursive=False)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | decimal.Decimal):
        return float(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    return str(value)


def _parse_rows(rows: Iterator[Row]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    lines = 0
    other = 0
    for row in rows:
        lines += 1
        pos = row["_pos"]
        if not row["_candidate"]:
            other += 1
            continue
        record = {k: _plain(v) for k, v in row.asDict(recursive=False).items() if not k.startswith("_") and v is not None}
        result = read_record(record, pos)
        if isinstance(result, Event):
            yield ("event", _event_row(result))
        elif isinstance(result, Malformed):
            yield ("note", ("malformed", None, None, pos, result.reason))
        elif result is OTHER:
            other += 1
    yield ("note", ("count", lines, other, None, None))


def _time_as_text(df: DataFrame, name: str) -> Column:
    """A timestamp column as the text a JSON export holds (UTC, microseconds; nbguard reads it as UTC)."""
    dtype = df.schema[name].dataType
    if isinstance(dtype, T.TimestampType | T.TimestampNTZType):
        return F.date_format(F.col(name), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS").alias(name)
    return F.col(name)


def _rows_to_events(spark: SparkSession, df: DataFrame, pos: Column) -> InputEvents:
    present = [c for c in _RECORD_COLUMNS if c in df.columns]
    actions = [F.col(c).isin(*_ACTIONS) for c in ("actionName", "action_name") if c in df.columns]
    candidate = F.lit(False)
    for a in actions:
        candidate = candidate | F.coalesce(a, F.lit(False))
    # Rows that name neither action are other events in either shape: only counted, not converted.
    selected = df.select(
        *[
            F.when(candidate, _time_as_text(df, c)).alias(c) if c in ("timestamp", "event_time") else F.when(candidate, F.col(c)).alias(c)
            for c in present
        ],
        pos.alias("_pos"),
        candidate.alias("_candidate"),
    )
    return _split(spark, selected.rdd.mapPartitions(_parse_rows))


def _with_file_positions(df: DataFrame) -> tuple[DataFrame, Column]:
    """Row positions as in a JSON export of the files in path order: preceding files' rows + row index."""
    meta = df.select("*", F.col("_metadata.file_path").alias("_file"), F.col("_metadata.row_index").alias("_row"))
    counts = meta.groupBy("_file").agg(F.count(F.lit(1)).alias("_rows")).collect()
    offsets: list[tuple[str, int]] = []
    total = 0
    for row in sorted(counts, key=lambda r: r["_file"]):
        offsets.append((row["_file"], total))
        total += row["_rows"]
    spark = df.sparkSession
    offset_df = spark.createDataFrame(offsets, "_file string, _offset long")
    joined = meta.join(F.broadcast(offset_df), "_file")
    return joined, F.col("_offset") + F.col("_row")


def read_parquet(spark: SparkSession, paths: Iterable[str]) -> InputEvents:
    """Parquet files of audit records (either shape; ``request_params`` may be a map, a struct or JSON text)."""
    files = expand_inputs(spark, paths)
    df = spark.read.parquet(*files)
    df, pos = _with_file_positions(df)
    return _rows_to_events(spark, df, pos)


def read_table(spark: SparkSession, name: str) -> InputEvents:
    """A Spark table such as ``system.access.audit``."""
    df = spark.table(name)
    try:
        df, pos = _with_file_positions(df)
    except Exception:  # no _metadata (not a file-based table): the scan's order
        pos = F.monotonically_increasing_id()
    return _rows_to_events(spark, df, pos)


def read_dataframe(spark: SparkSession, df: DataFrame) -> InputEvents:
    """Audit records already in a DataFrame (either shape), positioned in the DataFrame's order."""
    return _rows_to_events(spark, df, F.monotonically_increasing_id())


def read_events(
    spark: SparkSession,
    *,
    paths: Iterable[str] = (),
    input_format: str = "json",
    table: str | None = None,
    min_partitions: int | None = None,
) -> InputEvents:
    """The events of the inputs: ``paths`` in ``input_format`` ("json" or "parquet"), or ``table``."""
    if table is not None:
        return read_table(spark, table)
    paths = list(paths)
    if not paths:
        raise ValueError("give input paths or a table")
    if input_format == "json":
        return read_json_lines(spark, paths, min_partitions)
    if input_format == "parquet":
        return read_parquet(spark, paths)
    raise ValueError(f"unknown input format {input_format!r} (json or parquet)")
