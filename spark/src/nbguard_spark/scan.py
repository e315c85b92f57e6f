"""Running nbguard on the executors: one long-lived ``nbguard audit --sessions -`` per partition.

Each partition's session lines are streamed into one nbguard process (``nbguard audit --sessions -
--format jsonl --fail-on never``) and its finding lines are read back as they come. Standard input
is written from a thread and standard error drained by another, so neither pipe can fill up while
the other is waited on (the deadlock a naive ``communicate`` loop or sequential write/read has), and
memory stays bounded by the largest session, never the partition.

With a baseline, the baseline's text is written beside each process and passed as ``--baseline``;
to record a new baseline each process also gets ``--write-baseline`` to a file of its own, whose
fingerprints are handed back. A session's fingerprints do not depend on the other sessions
(nbguard restarts the occurrence count in each session), so the union over partitions is exactly
what one process would record for the whole log.

The partition function yields ``(tag, payload)`` pairs:

- ``("finding", <the JSON line nbguard wrote>)``
- ``("fingerprint", <fingerprint>)`` -- only when recording a baseline
- ``("error", <message>)`` -- a session nbguard could not analyse (its exit status 2); the run goes on

Any other failure (nbguard not found, a crash, an unknown option) fails the task with nbguard's
standard error, so Spark retries it and then fails the job.
"""

from __future__ import annotations

import collections
import json
import os
import shlex
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

#: The lines nbguard writes on standard error that name a session it could not analyse.
_ERROR_PREFIX = "nbguard audit: error: "
#: The summary nbguard writes on standard error at the end of a run (in --sessions mode).
_SUMMARY_MARK = "nbguard audit: sessions:"


@dataclass(frozen=True)
class NbguardConfig:
    """How to run nbguard on an executor. Picklable: it travels with the task."""

    #: The command that starts nbguard, e.g. ``("nbguard",)`` or ``("node", "/opt/nbguard/dist/cli.js")``.
    command: tuple[str, ...] = ("nbguard",)
    #: More arguments for ``nbguard audit`` (``--rules DIR``, ``--max-cell-size 2``...).
    extra_args: tuple[str, ...] = ()
    #: The text of a baseline file to pass as ``--baseline``.
    baseline_text: str | None = None
    #: Record the fingerprints of the findings (for ``--write-baseline``).
    record_baseline: bool = False
    #: Extra environment variables for the process.
    env: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @staticmethod
    def parse_command(command: str | Sequence[str]) -> tuple[str, ...]:
        """``"node /path/dist/cli.js"`` (shell words) or a list of words."""
        words = tuple(shlex.split(command)) if isinstance(command, str) else tuple(command)
        if not words:
            raise ValueError("empty nbguard command")
        return words

    def argv(self, baseline: str | None, record: str | None) -> list[str]:
        args = [*self.command, "audit", "--sessions", "-", "--format", "jsonl", "--fail-on", "never", *self.extra_args]
        if baseline:
            args += ["--baseline", baseline]
        if record:
            args += ["--write-baseline", record]
        return args


class NbguardError(RuntimeError):
    """nbguard failed on a partition (not a session it could not analyse: the process itself)."""


def _write_all(lines: Iterable[str], stream: IO[bytes], failure: list[BaseException]) -> None:
    try:
        for line in lines:
            stream.write(line.encode("utf-8", "surrogatepass"))
            stream.write(b"\n")
    except BrokenPipeError:
        pass  # nbguard went away: its exit status says why
    except BaseException as error:  # the upstream iterator failed: fail the task with it
        failure.append(error)
    finally:
        try:
            stream.close()
        except BrokenPipeError:
            pass


def _drain(stream: IO[bytes], tail: collections.deque[str], errors: list[str], summary: list[bool]) -> None:
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith(_ERROR_PREFIX):
            errors.append(line[len(_ERROR_PREFIX) :])
        if line.startswith(_SUMMARY_MARK):
            summary.append(True)
        tail.append(line)


def scan_sessions(lines: Iterable[str], config: NbguardConfig) -> Iterator[tuple[str, str]]:
    """Analyses session lines with one nbguard process; yields ``(tag, payload)`` (see the module doc)."""
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None:
        return  # an empty partition starts no process
    with tempfile.TemporaryDirectory(prefix="nbguard-spark-") as tmp:
        baseline = None
        if config.baseline_text is not None:
            baseline = os.path.join(tmp, "baseline.json")
            with open(baseline, "w", encoding="utf-8") as f:
                f.write(config.baseline_text)
        record = os.path.join(tmp, "recorded.json") if config.record_baseline else None
        argv = config.argv(baseline, record)
        env = {**os.environ, **dict(config.env)}
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except OSError as error:
            raise NbguardError(f"cannot start nbguard ({shlex.join(argv)}): {error}") from error
        assert proc.stdin and proc.stdout and proc.stderr
        failure: list[BaseException] = []
        tail: collections.deque[str] = collections.deque(maxlen=50)
        errors: list[str] = []
        summary: list[bool] = []

        def all_lines() -> Iterator[str]:
            yield first
            yield from iterator

        writer = threading.Thread(target=_write_all, args=(all_lines(), proc.stdin, failure), daemon=True)
        reader = threading.Thread(target=_drain, args=(proc.stderr, tail, errors, summary), daemon=True)
        writer.start()
        reader.start()
        read_all = False
        try:
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                if line:
                    yield ("finding", line)
            read_all = True
        finally:
            if not read_all and proc.poll() is None:
                # The task was stopped (or the consumer went away): do not leave nbguard behind.
                proc.kill()
            code = proc.wait()
            writer.join()
            reader.join()
        if failure:
            raise failure[0]
        completed = code == 0 or (code == 2 and bool(summary))
        if not completed:
            raise NbguardError(f"nbguard exited with status {code} ({shlex.join(argv)}):\n" + "\n".join(tail))
        for message in errors:
            yield ("error", message)
        if record:
            with open(record, encoding="utf-8") as f:
                for fingerprint in json.load(f)["fingerprints"]:
                    yield ("fingerprint", fingerprint)
