"""Sessionizing notebook events with Spark SQL window functions, as nbguard's Sessionizer does.

nbguard's ``Sessionizer`` (server/src/analysis/audit/sessionizer.ts) is a streaming state
machine: it reads events in log order, keeps each notebook's open sessions, and hands a session on
once the log's high-water mark (the latest event time seen, the *watermark*) has moved
``--lateness`` past the session's end. This module computes the same sessions in bulk. The rules,
per notebook (``<workspace>/<notebook>``), with the events in time order (equal times in log
order):

1. A session starts at each ``attachNotebook``. An attach at the same instant as the session's
   own start is the same attach logged twice: it only fills in a missing path.
2. An attach sorts before the commands of the same instant, so those commands open its session;
   the exception is nbguard's: when the first event of that instant in the log is a command that
   opens a session of its own after an idle gap (rule 3) while the previous session is still open,
   the attaches of that instant merge into that command's session (which stays "unattached").
3. A command starts a session when it is the notebook's first event, or when it comes at least
   ``--idle-timeout`` after the notebook's previous event. Such a session has no attach: it is
   named ``<notebook>@unattached-<first command time>``.
4. A session's commands are in time order, equal times in log order; the same command logged
   twice in a row (same id, time and text) is kept once.
5. A session's user is its attach's (or first command's) user, else the first command's that has
   one; its path is its attach's, else the notebook's *last path seen*: the path of the last
   event of the notebook (in log order) that names one, among the events read before the session
   was handed on. A session is handed on at the first event (of any notebook) whose time is past
   ``end + lateness``, where ``end`` is the next session's start or ``last event + idle timeout``,
   whichever is first; nbguard forgets a notebook (and its last path) when the watermark passes
   ``end + lateness + idle timeout`` with no session of it open.

Rule 5 needs the watermark before each event, a running maximum over the whole log: it is
computed per block of ``bucket_size`` positions and carried across blocks from a small table of
block maxima, so no window ever sees the whole log at once.

What is not reproduced: nbguard drops events that arrive more than ``--lateness`` after their
session was handed on (counted as "late"); here they are sessionized as if they had arrived in
time. Events reordered within the lateness window are sessionized by time as nbguard does, except
that nbguard measures an idle gap against the events it has read so far, so a reordering across
an idle gap can differ.

:func:`sessionize` gives one row per session (:data:`SESSION_COLUMNS`); :func:`session_line`
writes a row as the session JSON line ``nbguard audit --format sessions`` writes.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from .jscompat import iso_string, js_dumps

DEFAULT_IDLE_MINUTES = 720.0
DEFAULT_LATENESS_MINUTES = 60.0
DEFAULT_BUCKET_SIZE = 1 << 20

#: The columns of :func:`sessionize`'s result.
SESSION_COLUMNS = (
    "notebook_key",
    "notebook_id",
    "workspace_id",
    "attached",
    "start_time",
    "path",
    "user",
    "commands",
)

_NEG_INF = float("-inf")


def with_watermark(events: DataFrame, bucket_size: int = DEFAULT_BUCKET_SIZE) -> DataFrame:
    """Adds ``wm``: the latest event time among the events before this one in the log (-inf for the first)."""
    bucketed = events.withColumn("_bucket", F.floor(F.col("pos") / F.lit(bucket_size)).cast("long"))
    in_bucket = Window.partitionBy("_bucket").orderBy("pos").rowsBetween(Window.unboundedPreceding, -1)
    bucketed = bucketed.withColumn("_wm_in", F.max("time").over(in_bucket))
    maxima = sorted((r["_bucket"], r["_max"]) for r in bucketed.groupBy("_bucket").agg(F.max("time").alias("_max")).collect())
    before: list[tuple[int, float]] = []
    running = _NEG_INF
    for bucket, top in maxima:
        before.append((bucket, running))
        running = max(running, top)
    spark = events.sparkSession
    carried = spark.createDataFrame(before, "_bucket long, _wm_before double") if before else spark.createDataFrame([], "_bucket long, _wm_before double")
    return (
        bucketed.join(F.broadcast(carried), "_bucket")
        .withColumn("wm", F.greatest(F.coalesce(F.col("_wm_in"), F.lit(_NEG_INF)), F.col("_wm_before")))
        .drop("_bucket", "_wm_in", "_wm_before")
    )


def sessionize(
    events: DataFrame,
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    lateness_minutes: float = DEFAULT_LATENESS_MINUTES,
    bucket_size: int = DEFAULT_BUCKET_SIZE,
) -> DataFrame:
    """The sessions of the events (see :data:`inputs.EVENT_SCHEMA`), one row each.

    ``commands`` is an array of ``(time, pos, command_id, command_text)`` structs in session order;
    ``start_time`` is the attach time (or the first command's for an unattached session).
    """
    idle = float(idle_minutes) * 60_000
    lateness = float(lateness_minutes) * 60_000
    time, pos, kind = F.col("time"), F.col("pos"), F.col("kind")
    is_attach = kind == F.lit("attach")
    is_command = kind == F.lit("command")

    ev = with_watermark(events, bucket_size)

    # Rule 2's exception: which instants' attaches merge into a command's session.
    by_time = Window.partitionBy("notebook_key").orderBy("time", "pos")
    instant = Window.partitionBy("notebook_key", "time")
    instant_ordered = instant.orderBy("pos").rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    lag_time = F.lag("time").over(by_time)
    ev = ev.withColumn("_lag_time", lag_time)
    first_of_instant = F.col("_lag_time").isNull() | (F.col("_lag_time") != time)
    ev = (
        ev.withColumn("_prev_last", F.max(F.when(first_of_instant, F.col("_lag_time"))).over(instant))
        .withColumn("_first_kind", F.first("kind").over(instant_ordered))
        .withColumn("_first_wm", F.first("wm").over(instant_ordered))
    )
    prev_last = F.col("_prev_last")
    absorbed = (
        is_attach
        & (F.col("_first_kind") == F.lit("command"))
        & prev_last.isNotNull()
        & (time >= prev_last + F.lit(idle))  # the command opens a session after an idle gap ...
        & (F.col("_first_wm") <= (prev_last + F.lit(idle)) + F.lit(lateness))  # ... while the previous one is open
    )
    ev = ev.withColumn("_k", F.when(is_attach & ~F.coalesce(absorbed, F.lit(False)), F.lit(0)).otherwise(F.lit(1)))

    # Rules 1-3: where sessions start, in (time, attach first, log order).
    ordered = Window.partitionBy("notebook_key").orderBy("time", "_k", "pos")
    lag_t = F.lag("time").over(ordered)
    lag_normal_attach = F.lag((is_attach & (F.col("_k") == 0))).over(ordered)
    starts = (
        F.when(is_attach & (F.col("_k") == 0), ~F.coalesce(lag_normal_attach & (lag_t == time), F.lit(False)))
        .when(is_command, lag_t.isNull() | (time >= lag_t + F.lit(idle)))
        .otherwise(F.lit(False))
    )
    ev = ev.withColumn("_starts", starts)
    ev = ev.withColumn(
        "session_no",
        F.sum(F.col("_starts").cast("long")).over(ordered.rowsBetween(Window.unboundedPreceding, Window.currentRow)),
    )

    def first_where(condition: Column, value: str) -> Column:
        return F.min(F.when(condition & F.col(value).isNotNull(), F.struct("time", "_k", "pos", value)))[value]

    commands = F.sort_array(
        F.collect_list(
            F.when(
                is_command,
                F.struct(time.alias("time"), pos.alias("pos"), F.col("command_id").alias("command_id"), F.col("command_text").alias("command_text")),
            )
        )
    )
    sessions = ev.groupBy("notebook_key", "session_no").agg(
        F.first("notebook_id").alias("notebook_id"),
        F.first("workspace_id", ignorenulls=True).alias("workspace_id"),
        (F.min(F.struct("time", "_k", "pos", "kind"))["kind"] == F.lit("attach")).alias("attached"),
        F.min("time").alias("start_time"),
        F.max("time").alias("last_time"),
        F.min("wm").alias("first_wm"),
        first_where(is_attach, "path").alias("own_path"),
        first_where(is_command | F.col("_starts"), "user").alias("user"),
        commands.alias("commands"),
    )
    # Rule 4: the same command logged twice in a row is one command.
    sessions = sessions.withColumn(
        "commands",
        F.filter(
            "commands",
            lambda c, i: (i == 0)
            | ~(
                (c["command_id"] == F.get(F.col("commands"), i - 1)["command_id"])
                & (c["time"] == F.get(F.col("commands"), i - 1)["time"])
                & (c["command_text"] == F.get(F.col("commands"), i - 1)["command_text"])
            ),
        ),
    )

    # Rule 5: when each session is handed on, and when its notebook is forgotten.
    per_notebook = Window.partitionBy("notebook_key").orderBy("session_no")
    until = F.least(F.lead("start_time").over(per_notebook), F.col("last_time") + F.lit(idle))
    sessions = sessions.withColumn("due", until + F.lit(lateness))
    sessions = sessions.withColumn("_forget_at", F.col("due") + F.lit(idle))
    forgotten = F.coalesce(F.lag("_forget_at").over(per_notebook) < F.col("first_wm"), F.lit(False))
    sessions = sessions.withColumn("_forgotten", forgotten).withColumn(
        "epoch",
        F.sum(F.col("_forgotten").cast("long")).over(per_notebook.rowsBetween(Window.unboundedPreceding, Window.currentRow)),
    )

    # The last path seen before each pathless session was handed on, within its notebook's epoch.
    epochs = sessions.select("notebook_key", "session_no", "epoch")
    path_events = (
        ev.where(F.col("path").isNotNull())
        .select("notebook_key", "session_no", "wm", "pos", "path")
        .join(epochs, ["notebook_key", "session_no"])
        .select("notebook_key", "epoch", F.col("wm").alias("_sk"), F.lit(0).alias("_type"), "pos", "path", F.lit(None).cast("long").alias("session_no"))
    )
    queries = sessions.where(F.col("own_path").isNull()).select(
        "notebook_key", "epoch", F.col("due").alias("_sk"), F.lit(1).alias("_type"), F.lit(None).cast("long").alias("pos"), F.lit(None).cast("string").alias("path"), "session_no"
    )
    seen = Window.partitionBy("notebook_key", "epoch").orderBy("_sk", "_type", "pos").rowsBetween(Window.unboundedPreceding, Window.currentRow)
    last_paths = (
        path_events.unionByName(queries)
        .withColumn("last_path", F.last("path", ignorenulls=True).over(seen))
        .where(F.col("_type") == 1)
        .select("notebook_key", "session_no", "last_path")
    )
    return sessions.join(last_paths, ["notebook_key", "session_no"], "left").select(
        "notebook_key",
        "notebook_id",
        "workspace_id",
        "attached",
        "start_time",
        F.coalesce("own_path", "last_path").alias("path"),
        "user",
        "commands",
    )


def session_id(notebook_id: str, workspace_id: str | None, start: float | None, first_command: float | None) -> str:
    """nbguard's ``sessionId``: ``[<ws>/]<notebook>@<attach time>`` or ``...@unattached-<first command time>``."""
    if start is not None:
        when = iso_string(start)
    else:
        when = f"unattached-{iso_string(first_command) if first_command is not None else 'empty'}"
    return f"{workspace_id + '/' if workspace_id else ''}{notebook_id}@{when}"


def session_object(row: Any) -> dict[str, Any]:
    """A session row as the object of nbguard's ``sessionToLine`` (same keys, same order)."""
    commands = row["commands"] or []
    start = row["start_time"] if row["attached"] else None
    first_command = commands[0]["time"] if commands else None
    obj: dict[str, Any] = {
        "session": session_id(row["notebook_id"], row["workspace_id"], start, first_command),
        "notebookId": row["notebook_id"],
    }
    if row["workspace_id"]:
        obj["workspaceId"] = row["workspace_id"]
    if row["path"]:
        obj["path"] = row["path"]
    if row["user"]:
        obj["user"] = row["user"]
    if start is not None:
        obj["start"] = iso_string(start)
    obj["commands"] = [{"commandId": c["command_id"], "commandText": c["command_text"], "timestamp": c["time"]} for c in commands]
    return obj


def session_line(row: Any) -> str:
    """A session row as the JSON line ``nbguard audit --format sessions`` writes for it."""
    return js_dumps(session_object(row))
