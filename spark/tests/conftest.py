"""Fixtures: a snapshot of the built nbguard CLI, a local Spark session, a standalone Spark cluster
on loopback (one master, two one-core workers, stopped even when a test fails), and helpers to
run the CLI and read the job's outputs."""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "notebook-audit.jsonl"

os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def _snapshot(target: Path) -> list[str]:
    """Copies the built CLI (dist/cli.js, its wasm files and built-in rules, rules/ beside it) so
    that a rebuild of the checkout while the tests run cannot change what is tested."""
    if target.exists():
        shutil.rmtree(target)
    (target / "dist").mkdir(parents=True)
    for name in os.listdir(REPO / "dist"):
        if name in ("cli.js", "builtin-rules.json") or name.endswith(".wasm"):
            shutil.copy2(REPO / "dist" / name, target / "dist" / name)
    shutil.copytree(REPO / "rules", target / "rules")
    shutil.copy2(REPO / "package.json", target / "package.json")
    return ["node", str(target / "dist" / "cli.js")]


@pytest.fixture(scope="session")
def nbguard(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The nbguard command (``node <snapshot>/dist/cli.js``), checked on the example log. A build in
    progress can leave a half-written cli.js: then wait 20 s and take the snapshot again."""
    if os.environ.get("NBGUARD_SPARK_CLI"):
        return ["node", os.environ["NBGUARD_SPARK_CLI"]]
    base = tmp_path_factory.mktemp("nbguard-cli")
    problem = ""
    for attempt in range(6):
        command = _snapshot(base / f"try{attempt}")
        run = subprocess.run([*command, "audit", "--format", "jsonl", str(EXAMPLE)], capture_output=True, text=True, check=False)
        if run.returncode in (0, 1) and run.stdout.strip() and "findings:" in run.stderr:
            return command
        problem = run.stderr[-2000:]
        time.sleep(20)
    pytest.fail(f"the built CLI does not run: {problem}")


def cli(nbguard: Sequence[str], *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """``nbguard audit ARGS``; fails the test on exit status 2."""
    run = subprocess.run([*nbguard, "audit", *args], input=input, capture_output=True, text=True, check=False)
    assert run.returncode in (0, 1), run.stderr
    return run


def cli_lines(nbguard: Sequence[str], *args: str) -> list[str]:
    return [line for line in cli(nbguard, *args).stdout.split("\n") if line]


def canonical(obj: dict) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_lines(lines: Sequence[str]) -> Counter[str]:
    return Counter(canonical(json.loads(line)) for line in lines)


def read_findings_dir(path: str | Path) -> list[dict]:
    """The job's JSON-lines findings table, each row back in nbguard's shape (trace parsed)."""
    rows = []
    for part in sorted(glob.glob(os.path.join(str(path), "part-*"))):
        with open(part, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    if "trace" in row:
                        row["trace"] = json.loads(row["trace"])
                    rows.append(row)
    return rows


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("warehouse")))
        .appName("nbguard-spark-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_class() -> str:
    import pyspark

    return os.path.join(os.path.dirname(pyspark.__file__), "bin", "spark-class")


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for proc in processes:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.time() + 20
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the JVM and anything it started
        except ProcessLookupError:
            pass
        proc.wait()


@dataclass(frozen=True)
class Cluster:
    url: str
    #: The workers' work folders (one folder per application they ran an executor for).
    work_dirs: tuple[Path, ...]


@pytest.fixture(scope="session")
def standalone_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A standalone Spark cluster on 127.0.0.1: a master and two workers (1 core, 1 GiB each).
    Every process group is killed at the end, whatever happened."""
    base = tmp_path_factory.mktemp("cluster")
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_NO_DAEMONIZE": "1", "PYSPARK_PYTHON": sys.executable}
    port, ui = free_port(), free_port()
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, *args: str) -> None:
        log = open(base / f"{name}.log", "wb")  # noqa: SIM115 - kept open for the process's life
        processes.append(subprocess.Popen([spark_class(), *args], stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True))

    try:
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui))
        url = f"spark://127.0.0.1:{port}"
        for i in (1, 2):
            work = base / f"worker{i}"
            work.mkdir()
            start(
                f"worker{i}",
                "org.apache.spark.deploy.worker.Worker",
                url,
                "--host",
                "127.0.0.1",
                "--cores",
                "1",
                "--memory",
                "1g",
                "--webui-port",
                str(free_port()),
                "--work-dir",
                str(work),
            )
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=2) as response:
                    state = json.load(response)
                if state.get("aliveworkers") == 2:
                    break
            except OSError:
                pass
            if time.time() > deadline or any(p.poll() is not None for p in processes):
                logs = "\n".join((base / f"{n}.log").read_text(errors="replace")[-3000:] for n in ("master", "worker1", "worker2"))
                pytest.fail(f"the standalone cluster did not start:\n{logs}")
            time.sleep(0.5)
        yield Cluster(url, (base / "worker1", base / "worker2"))
    finally:
        _stop(processes)
