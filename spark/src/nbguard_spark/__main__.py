"""``python -m nbguard_spark``: the command line of the Spark job (see job.py for what it does).

Example, on one machine::

    python -m nbguard_spark --master 'local[*]' --input logs/2024-05-01/ --out /tmp/nbguard \\
        --sarif /tmp/nbguard/findings.sarif --nbguard "node /opt/nbguard/dist/cli.js" \\
        --baseline baseline.json --write-baseline baseline.json

Arguments after ``--`` go to every ``nbguard audit`` process as they are (``-- --max-cell-size 2``).
The exit status is 0 when the job ran, 1 with ``--fail-on-findings`` when there were findings,
2 when nbguard could not analyse some session (the others were) or the job failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from .baseline import BaselineError
from .job import JobOptions, run_job
from .sessionize import DEFAULT_IDLE_MINUTES, DEFAULT_LATENESS_MINUTES


def _minutes(value: str) -> float:
    number = float(value)
    if not (number >= 0 and number != float("inf")):
        raise argparse.ArgumentTypeError("a number of minutes, 0 or more")
    return number


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("a whole number, 1 or more")
    return number


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m nbguard_spark",
        description="Sessionize Databricks notebook audit logs with Spark SQL and analyse every session with nbguard on the executors.",
        epilog="Arguments after -- are passed to every `nbguard audit` process.",
    )
    src = p.add_argument_group("input")
    src.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="PATH",
        help="audit log files, folders or globs (repeatable; read in the order given)",
    )
    src.add_argument("--input-format", choices=["json", "parquet"], default="json", help="JSON lines (default; .gz too) or Parquet")
    src.add_argument("--table", metavar="NAME", help="read a Spark table instead, e.g. system.access.audit")
    src.add_argument("--input-partitions", type=_positive, metavar="N", help="the least number of partitions to read JSON lines in")
    out = p.add_argument_group("output")
    out.add_argument("--out", metavar="DIR", help="write the findings table to DIR/findings.parquet and DIR/findings.json")
    out.add_argument("--sarif", metavar="FILE", help="write a SARIF 2.1.0 log (a file on the driver)")
    out.add_argument("--summary", metavar="FILE", help="write the run's counts as JSON (a file on the driver)")
    out.add_argument("--write-sessions", metavar="DIR", help="also write the session lines (as `nbguard audit --format sessions`)")
    out.add_argument(
        "--mode", choices=["overwrite", "append", "error", "ignore"], default="overwrite", help="save mode of the table outputs"
    )
    nb = p.add_argument_group("nbguard")
    nb.add_argument(
        "--nbguard",
        default="nbguard",
        metavar="CMD",
        help='how to start nbguard on the executors (default: nbguard on PATH; e.g. "node /opt/nbguard/dist/cli.js")',
    )
    nb.add_argument(
        "--rules", action="append", default=[], metavar="DIR", help="extra rules folder, passed on (repeatable; must exist on the workers)"
    )
    nb.add_argument("--idle-timeout", type=_minutes, default=DEFAULT_IDLE_MINUTES, metavar="MIN", help="as nbguard audit's (default 720)")
    nb.add_argument("--lateness", type=_minutes, default=DEFAULT_LATENESS_MINUTES, metavar="MIN", help="as nbguard audit's (default 60)")
    nb.add_argument("--partitions", type=_positive, metavar="N", help="how many nbguard processes (default: Spark's default parallelism)")
    nb.add_argument("--baseline", metavar="FILE", help="report only findings not in this baseline (a file on the driver)")
    nb.add_argument("--write-baseline", metavar="FILE", help="record the findings, with the old baseline's, in this file")
    nb.add_argument("--fail-on-findings", action="store_true", help="exit with status 1 when there are findings")
    sp = p.add_argument_group("spark")
    sp.add_argument("--master", metavar="URL", help="Spark master (default: as spark-submit sets it)")
    sp.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting (repeatable)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    passthrough: list[str] = []
    if "--" in args_list:
        cut = args_list.index("--")
        args_list, passthrough = args_list[:cut], args_list[cut + 1 :]
    parser = build_parser()
    args = parser.parse_args(args_list)
    if bool(args.input) == bool(args.table):
        parser.error("give --input paths or --table, not both")
    if not (args.out or args.sarif or args.summary or args.write_sessions or args.write_baseline):
        parser.error("nothing to write: give --out, --sarif, --summary, --write-sessions or --write-baseline")

    from pyspark.sql import SparkSession

    if args.master and args.master.startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable  # local executors run this interpreter
    builder = SparkSession.builder.appName("nbguard-spark")
    if args.master:
        builder = builder.master(args.master)
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    options = JobOptions(
        inputs=args.input,
        input_format=args.input_format,
        table=args.table,
        out=args.out,
        sarif=args.sarif,
        summary=args.summary,
        sessions_out=args.write_sessions,
        nbguard=args.nbguard,
        rules=args.rules,
        nbguard_args=passthrough,
        idle_minutes=args.idle_timeout,
        lateness_minutes=args.lateness,
        partitions=args.partitions,
        input_partitions=args.input_partitions,
        baseline=args.baseline,
        write_baseline=args.write_baseline,
        mode=args.mode,
    )
    try:
        result = run_job(spark, options)
    except (BaselineError, FileNotFoundError) as error:
        print(f"nbguard-spark: {error}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    print(f"nbguard-spark: {json.dumps(result.summary())}", file=sys.stderr)
    if not result.exact:
        print(
            f"nbguard-spark: note: {result.reordered_events} events were logged after a later event of their notebook and "
            f"{result.behind_events} more than --lateness behind the log; there nbguard's own sessions can differ (see sessionize.py)",
            file=sys.stderr,
        )
    if result.errors:
        return 2
    if args.fail_on_findings and result.findings:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
