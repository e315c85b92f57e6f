"""Sessionizing notebook events with Spark SQL window functions, as nbguard's Sessionizer does.

nbguard's ``Sessionizer`` (server/src/analysis/audit/sessionizer.ts) is a streaming state
machine: it reads events in log order, keeps each notebook's open sessions, and hands a session on
once the log's high-water mark (the latest event time read, the *watermark*) has been raised past
the session's end plus ``--lateness``. This module computes the same sessions in bulk. The rules,
per notebook (``<workspace>/<notebook>``), with its events in time order (equal times in log order):

1. A session starts at each ``attachNotebook``. An attach at the same instant as the session's
   own start is the same attach logged twice: it only fills in a missing path.
2. An attach sorts before the commands of its instant, so they open its session -- except when
   the instant's first event in the log is a command that opens a session of its own after an idle
   gap (rule 3) while the previous session is still open: then the attaches merge into that
   command's session, which stays "unattached" (nbguard's own behaviour).
3. A command starts a session when it is the notebook's first event, or when it comes at least
   ``--idle-timeout`` after the notebook's previous event. Such a session has no attach: it is
   named ``<notebook>@unattached-<first command time>``.
4. A session's commands are in time order, equal times in log order; the same command logged
   twice in a row (same id, time and text) is kept once.
5. A session's user is its attach's, else the first its commands name. Commands of an attach's
   instant logged before the attach were first put in the session open then: their users count
   for that session (if it was open and had none), not for the attach's.
6. A session's path is its attach's (the first of a duplicated attach that names one), else the
   notebook's *last path seen*: that of the last event of the notebook, in log order, that names
   one, among those read before the session was handed on. nbguard hands a session on at the first
   event, from the session's first event on, that raises the watermark past ``end + lateness``
   (``end``: the next session's start or ``last event + idle timeout``, whichever comes first),
   so event ``e`` counts iff ``wm(e) <= max(end + lateness, wm(first event))``, where ``wm(e)``
   is the watermark when ``e`` was read. Past ``end + lateness + idle timeout`` with nothing of
   the notebook open, nbguard forgets the notebook and its last path likewise.

``wm`` is a running maximum over the whole log: it is computed per block of ``bucket_size``
positions and carried across blocks from a small table of block maxima, so no window ever holds
the whole log.

These rules give nbguard's sessions exactly for every log in which each notebook's events are
logged in time order (equal times in any order, notebooks interleaved in any way) and no event is
more than ``--lateness`` behind the watermark. Elsewhere nbguard's result depends on the order it
read things in, in ways not reproduced here: it drops events that come after their session was
handed on (its "late events"); it measures an idle gap against the events read so far (a command
logged before the attach it follows, after a notebook was idle, makes an empty attached session
and an unattached one); and a command logged before an earlier attach gives its user to the
session open when it came. Each session row counts the events that leave those bounds
(``reordered_events``: logged after a later event of its notebook; ``behind_events``: logged more
than the lateness behind the watermark); when both sums are 0, the sessions are nbguard's.

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
    "reordered_events",
    "behind_events",
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
    carried = (
        spark.createDataFrame(before, "_bucket long, _wm_before double")
        if before
        else spark.createDataFrame([], "_bucket long, _wm_before double")
    )
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
    # Where the log leaves what is reproduced exactly (see the module doc): an event logged after a
    # later event of its notebook, and an event logged more than the lateness behind the watermark.
    logged_before = Window.partitionBy("notebook_key").orderBy("pos").rowsBetween(Window.unboundedPreceding, -1)
    ev = ev.withColumn("_reordered", F.coalesce(F.max("time").over(logged_before) > time, F.lit(False)))
    ev = ev.withColumn("_behind", (time + F.lit(lateness)) < F.col("wm"))

    # Rules 1 and 3: where sessions start, in (time, attaches first, log order).
    ev = ev.withColumn("_k", F.when(is_attach, F.lit(0)).otherwise(F.lit(1)))
    ordered = Window.partitionBy("notebook_key").orderBy("time", "_k", "pos")
    lag_t = F.lag("time").over(ordered)
    lag_attach = F.lag(is_attach).over(ordered)
    starts = F.when(is_attach, ~F.coalesce(lag_attach & (lag_t == time), F.lit(False))).otherwise(
        lag_t.isNull() | (time >= lag_t + F.lit(idle))
    )
    ev = ev.withColumn("_starts", starts)
    ev = ev.withColumn(
        "session_no",
        F.sum(F.col("_starts").cast("long")).over(ordered.rowsBetween(Window.unboundedPreceding, Window.currentRow)),
    )

    # Commands of an attach's instant logged before the attach were first put in the session open
    # then (nbguard moves them into the attach's session later): their users count there, not here.
    running = ordered.rowsBetween(Window.unboundedPreceding, Window.currentRow)
    ev = ev.withColumn("_start", F.last(F.when(F.col("_starts"), F.struct("kind", "time", "pos")), ignorenulls=True).over(running))
    start = F.col("_start")
    early = is_command & (start["kind"] == F.lit("attach")) & (time == start["time"]) & (pos < start["pos"])
    ev = ev.withColumn("_early", early)

    def first_where(condition: Column, value: str) -> Column:
        return F.min(F.when(condition & F.col(value).isNotNull(), F.struct("time", "_k", "pos", value)))[value]

    commands = F.sort_array(
        F.collect_list(
            F.when(
                is_command,
                F.struct(
                    time.alias("time"),
                    pos.alias("pos"),
                    F.col("command_id").alias("command_id"),
                    F.col("command_text").alias("command_text"),
                ),
            )
        )
    )
    sessions = ev.groupBy("notebook_key", "session_no").agg(
        F.first("notebook_id").alias("notebook_id"),
        F.first("workspace_id", ignorenulls=True).alias("workspace_id"),
        (F.min(F.struct("time", "_k", "pos", "kind"))["kind"] == F.lit("attach")).alias("_starts_attached"),
        # The first event of the session's first instant in log order, and the watermark it met.
        F.min(F.struct("time", "pos", "kind", "wm")).alias("_first_logged"),
        F.min("time").alias("start_time"),
        F.max("time").alias("last_time"),
        F.min("wm").alias("first_wm"),
        first_where(is_attach, "path").alias("own_path"),
        first_where(is_attach & F.col("_starts"), "user").alias("_attach_user"),
        first_where(is_command, "user").alias("_command_user"),
        first_where(is_command & ~F.col("_early"), "user").alias("_later_user"),
        first_where(F.col("_early"), "user").alias("_early_user"),
        commands.alias("commands"),
        F.sum(F.col("_reordered").cast("long")).alias("reordered_events"),
        F.sum(F.col("_behind").cast("long")).alias("behind_events"),
    )
    # Rule 4: the same command logged twice in a row is one command.
    sessions = sessions.withColumn(
        "commands",
        F.filter(
            "commands",
            lambda c, i: (
                (i == 0)
                | ~(
                    (c["command_id"] == F.get(F.col("commands"), i - 1)["command_id"])
                    & (c["time"] == F.get(F.col("commands"), i - 1)["time"])
                    & (c["command_text"] == F.get(F.col("commands"), i - 1)["command_text"])
                )
            ),
        ),
    )

    # A session is handed on at the first event, from its own first one on, that raises the
    # watermark past its end + lateness: an event e was read before then iff
    # wm(e) <= max(due, wm(first event)). Its notebook is forgotten likewise past due + idle.
    per_notebook = Window.partitionBy("notebook_key").orderBy("session_no")
    until = F.least(F.lead("start_time").over(per_notebook), F.col("last_time") + F.lit(idle))
    sessions = sessions.withColumn("due", until + F.lit(lateness))
    sessions = sessions.withColumn("_forget_at", F.col("due") + F.lit(idle))
    prev_last = F.lag("last_time").over(per_notebook)
    prev_first_wm = F.lag("first_wm").over(per_notebook)
    forgotten = F.coalesce(F.col("first_wm") > F.greatest(F.lag("_forget_at").over(per_notebook), prev_first_wm), F.lit(False))

    # An attach's instant whose first event in the log is a command (c1): when c1 came, the
    # previous session was open (nbguard hands it on at the first event that raises the watermark
    # past its end + lateness) or not. Open and c1 after an idle gap: rule 2's exception, the
    # attaches merge into c1's session. Open and no gap: c1 (and the commands before the attach)
    # went into the previous session first, their users count there. Not open: they count nowhere.
    first_logged = F.col("_first_logged")
    c1_first = F.col("_starts_attached") & (first_logged["kind"] == F.lit("command"))
    previous_open = prev_last.isNotNull() & ~(first_logged["wm"] > F.greatest((prev_last + F.lit(idle)) + F.lit(lateness), prev_first_wm))
    after_gap = F.col("start_time") >= prev_last + F.lit(idle)
    sessions = sessions.withColumn("_absorbed", F.coalesce(c1_first & previous_open & after_gap, F.lit(False))).withColumn(
        "_gives_back", F.coalesce(c1_first & previous_open & ~after_gap, F.lit(False))
    )
    sessions = sessions.withColumn("attached", F.col("_starts_attached") & ~F.col("_absorbed"))
    own_user = F.when(F.col("attached"), F.coalesce("_attach_user", "_later_user")).otherwise(F.col("_command_user"))
    next_gives = F.lead(F.when(F.col("_gives_back"), F.col("_early_user"))).over(per_notebook)
    sessions = sessions.withColumn("user", F.coalesce(own_user, next_gives))
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
        .select(
            "notebook_key",
            "epoch",
            F.col("wm").alias("_sk"),
            F.lit(0).alias("_type"),
            "pos",
            "path",
            F.lit(None).cast("long").alias("session_no"),
        )
    )
    queries = sessions.where(F.col("own_path").isNull()).select(
        "notebook_key",
        "epoch",
        F.greatest("due", "first_wm").alias("_sk"),
        F.lit(1).alias("_type"),
        F.lit(None).cast("long").alias("pos"),
        F.lit(None).cast("string").alias("path"),
        "session_no",
    )
    seen = (
        Window.partitionBy("notebook_key", "epoch").orderBy("_sk", "_type", "pos").rowsBetween(Window.unboundedPreceding, Window.currentRow)
    )
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
        "reordered_events",
        "behind_events",
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
