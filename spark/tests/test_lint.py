"""ruff's lint and format checks pass on the whole of spark/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SPARK = Path(__file__).resolve().parents[1]
RUFF = [os.path.join(os.path.dirname(sys.executable), "ruff")]


def test_ruff_check() -> None:
    run = subprocess.run([*RUFF, "check", str(SPARK)], capture_output=True, text=True, cwd=SPARK, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format() -> None:
    run = subprocess.run([*RUFF, "format", "--check", str(SPARK)], capture_output=True, text=True, cwd=SPARK, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
