"""nbguard_spark: nbguard's notebook-audit analysis at scale on Spark.

Databricks audit logs are sessionized with Spark SQL window functions exactly as ``nbguard audit``
sessionizes them, and every partition of sessions is analysed by one ``nbguard audit --sessions -``
process on its executor. See README.md for the modules and ``python -m nbguard_spark --help``.
"""

from __future__ import annotations

from .job import JobOptions, JobResult, run_job, scan, session_lines
from .scan import NbguardConfig, scan_sessions
from .sessionize import session_line, sessionize

__all__ = ["JobOptions", "JobResult", "NbguardConfig", "run_job", "scan", "scan_sessions", "session_line", "session_lines", "sessionize"]
__version__ = "0.1.0"
