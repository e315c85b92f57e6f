"""Databricks notebook audit logs for the tests, written without nbguard (a Python counterpart of
the repository's test/auditLog.ts, with more of what real logs hold).

Events are described as :class:`Ev` values with times in seconds after :data:`BASE`; they are
written as JSON lines in either record shape (legacy log delivery or ``system.access.audit``
rows), and the shapes can be mixed within one file. :func:`generate` builds a seeded log of many
notebooks: sessions that leak and sessions that do not, notebooks in two workspaces that reuse ids,
notebooks without a workspace or a path, renamed notebooks, sessions whose attach came before the
log starts, duplicate deliveries, commands without ids, ties, other services' events, malformed
lines and blank lines. :func:`edge_cases` is a small log of the sessionizer's corner cases.
Everything is deterministic.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

#: 2024-05-01T10:00:00Z in epoch milliseconds.
BASE = 1714557600000
BASE_DT = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
DEFAULT_WORKSPACE = "1234567890"

AWS_KEY_ID = "AKIAQ3EGRSTUVWXYZ234"
SNIPPETS: dict[str, list[str]] = {
    "benign": [
        "import os",
        'df = spark.read.table("sales")',
        "display(df.limit(10))",
        "n = df.count()\nprint(n)",
        "rows = [r.id for r in df.collect()]",
    ],
    "source": ['pw = dbutils.secrets.get("db", "password")'],
    "derive": ['url = f"jdbc:postgresql://db:5432/app?password={pw}"'],
    "printPw": ["print(pw)"],
    "printUrl": ["print(url)"],
    "childRun": ['dbutils.notebook.run("child", 60, {"pw": pw})'],
    "hardcoded": [f'key_id = "{AWS_KEY_ID}"'],
    "sql": ["%sql SELECT * FROM sales LIMIT 10"],
    "md": ["%md # Notes\nNothing to see"],
    "pip": ["%pip install requests\nimport requests"],
    "broken": ["def load(:\n    pass"],
}


@dataclass(frozen=True)
class Ev:
    """One event. ``kind``: "attach", "run" or "other"; ``t``: seconds after BASE (may be fractional)."""

    kind: str
    nb: str = ""
    t: float = 0
    path: str | None = None
    user: str | None = "ana@example.com"
    ws: str | None = DEFAULT_WORKSPACE
    id: str | None = None
    text: str = ""
    service: str = "clusters"
    action: str = "resize"


def attach(nb: str, t: float, path: str | None = None, **kw: object) -> Ev:
    return Ev("attach", nb, t, path, **kw)  # type: ignore[arg-type]


def run(nb: str, t: float, id: str | None, text: str, **kw: object) -> Ev:
    return Ev("run", nb, t, id=id, text=text, **kw)  # type: ignore[arg-type]


def other(t: float, service: str = "clusters", action: str = "resize") -> Ev:
    return Ev("other", t=t, service=service, action=action)


def _ms(t: float) -> int:
    return BASE + round(t * 1000)


def _iso(t: float, spark: bool) -> str:
    when = BASE_DT + timedelta(milliseconds=round(t * 1000))
    if spark:
        return when.strftime("%Y-%m-%d %H:%M:%S") + (f".{when.microsecond // 1000:03d}" if when.microsecond else "")
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def record(e: Ev, shape: str = "legacy", *, spark_time: bool = False, params_as_string: bool = False, numeric_ws: bool = False) -> dict:
    """One event as a record of the given shape ("legacy" or "table")."""
    if e.kind == "other":
        service, action, params = e.service, e.action, {"clusterId": "0501-abc", "numWorkers": 4}
    elif e.kind == "attach":
        service, action = "notebook", "attachNotebook"
        params = {"notebookId": e.nb, "clusterId": "0501-abc", **({"path": e.path} if e.path is not None else {})}
    else:
        service, action = "notebook", "runCommand"
        params = {"notebookId": e.nb, "executionTime": 0.25, "status": "finished", **({"commandId": e.id} if e.id is not None else {})}
        params["commandText"] = e.text
        if e.path is not None:
            params["notebookPath"] = e.path
    ws: dict = {}
    if e.ws is not None:
        ws_value: object = int(e.ws) if numeric_ws and e.ws.isdigit() else e.ws
        ws = {"workspaceId" if shape == "legacy" else "workspace_id": ws_value}
    identity = {"email": e.user} if e.user else {}
    if shape == "legacy":
        return {
            "version": "2.0",
            "auditLevel": "WORKSPACE_LEVEL",
            "timestamp": _ms(e.t),
            **ws,
            "serviceName": service,
            "actionName": action,
            "userIdentity": identity,
            "sourceIPAddress": "10.0.0.1",
            "requestParams": params,
            "response": {"statusCode": 200},
        }
    return {
        "account_id": "acc-1",
        **ws,
        "version": "2.0",
        "event_time": _iso(e.t, spark_time),
        "event_date": "2024-05-01",
        "source_ip_address": "10.0.0.1",
        "user_identity": {**identity, "subject_name": None},
        "service_name": service,
        "action_name": action,
        "request_id": f"req-{e.t}",
        "request_params": json.dumps(params) if params_as_string else params,
        "response": {"status_code": 200},
    }


def line(e: Ev, shape: str = "legacy", **kw: bool) -> str:
    return json.dumps(record(e, shape, **kw))


def mixed_lines(events: list[Ev], seed: int) -> list[str]:
    """Each event in a randomly chosen shape and variant (both shapes in one file)."""
    r = random.Random(seed)
    out = []
    for e in events:
        shape = r.choice(["legacy", "table"])
        out.append(
            line(
                e,
                shape,
                spark_time=shape == "table" and r.random() < 0.3,
                params_as_string=shape == "table" and r.random() < 0.2,
                numeric_ws=r.random() < 0.3,
            )
        )
    return out


def by_time(events: list[Ev]) -> list[Ev]:
    return sorted(events, key=lambda e: e.t)  # stable


def jitter(events: list[Ev], window: float, seed: int, keep_notebook_order: bool = False) -> list[Ev]:
    """A log order where no event is logged more than ``window`` seconds after a later event. With
    ``keep_notebook_order`` only the notebooks' interleaving changes, each notebook's events stay in
    time order."""
    r = random.Random(seed)
    keyed = sorted(((e.t + r.random() * window, i, e) for i, e in enumerate(events)), key=lambda k: (k[0], k[1]))
    shuffled = [e for _, _, e in keyed]
    if not keep_notebook_order:
        return shuffled
    per_notebook: dict[tuple[str | None, str], list[Ev]] = {}
    for e in by_time(events):
        per_notebook.setdefault((e.ws, e.nb), []).append(e)
    taken: dict[tuple[str | None, str], int] = {}
    out = []
    for e in shuffled:
        key = (e.ws, e.nb)
        i = taken.get(key, 0)
        taken[key] = i + 1
        out.append(per_notebook[key][i])
    return out


@dataclass
class Generated:
    events: list[Ev]
    #: Sessions with an attach (the others come from the log starting mid-session or idle gaps).
    attaches: int


def generate(seed: int, notebooks: int = 80, *, ids: bool = True, extras: bool = True, pauses: bool = False) -> Generated:
    """A log of many notebooks, each attached several times (a few hundred sessions), in time order.

    ``ids=False`` leaves every command id out; ``extras=False`` leaves out duplicate deliveries and
    ties; ``pauses=True`` puts pauses of 10 to 60 minutes between some commands of a session.
    """
    r = random.Random(seed)
    events: list[Ev] = []
    attaches = 0
    command_no = 0
    for n in range(notebooks):
        ws: str | None = "999" if n % 10 == 9 else DEFAULT_WORKSPACE
        if n % 13 == 5:
            ws = None
        nb = str(1000 + n - 9) if n % 10 == 9 else str(1000 + n)
        path: str | None = None if n % 7 == 3 else f"/Users/user{n % 5}@example.com/project {n}/etl"
        user = f"user{n % 5}@example.com"
        t: float = r.randrange(1800)
        count = 2 + r.randrange(4)
        for s in range(count):
            if n % 11 == 4 and s == 1 and path:
                path = path + " (renamed)"  # later sessions name the notebook by its new path
            mid_session = s == 0 and n % 6 == 2  # the log starts after this session's attach
            if not mid_session:
                events.append(attach(nb, t, path, user=user, ws=ws))
                attaches += 1
                if extras and r.random() < 0.08:
                    events.append(attach(nb, t, path, user=user, ws=ws))  # delivered twice
                t += 5 + r.randrange(20)
            kind = r.random()
            plan: list[str]
            if kind < 0.2:
                plan = ["source", "benign", "printPw"]
            elif kind < 0.35:
                plan = ["source", "derive", "benign", "printUrl"]
            elif kind < 0.45:
                plan = ["source", "childRun"]
            elif kind < 0.55:
                plan = ["hardcoded", "benign"]
            elif kind < 0.62:
                plan = ["source", "sql", "md"]
            elif kind < 0.69:
                plan = ["pip", "printPw"]  # reads nothing: pw is from another session, if any
            elif kind < 0.74:
                plan = ["source", "broken", "printPw"]
            else:
                plan = ["benign", "benign"]
            for _ in range(r.randrange(3)):
                plan.insert(r.randrange(len(plan) + 1), "benign")
            for what in plan:
                command_no += 1
                command_id = f"cmd-{command_no:05d}" if ids and r.random() > 0.05 else None
                ev = run(nb, t, command_id, r.choice(SNIPPETS[what]), user=user, ws=ws)
                events.append(ev)
                if extras and r.random() < 0.05:
                    events.append(ev)  # delivered twice
                if extras and r.random() < 0.05:
                    command_no += 1  # another command in the same millisecond
                    events.append(replace(ev, id=f"cmd-{command_no:05d}" if ids else None, text=r.choice(SNIPPETS["benign"])))
                t += 3 + r.randrange(90)
                if pauses and r.random() < 0.15:
                    t += 600 + r.randrange(3000)
            # The next attach is a while later (sometimes hours: the notebook was idle).
            t += 60 + r.randrange(14_400 if r.random() < 0.25 else 1_200)
    for _ in range(40):
        events.append(other(r.randrange(20_000)))
    return Generated(by_time(events), attaches)


MALFORMED_LINES = [
    '{"serviceName": "notebook", "actionName": "runCommand", "timestamp": 1714557600000, "requestParams": {"notebookId": "1"',
    '{"serviceName": "notebook", "actionName": "runCommand", "timestamp": "yesterday", '
    '"requestParams": {"notebookId": "1", "commandText": "x"}}',
    '{"serviceName": "notebook", "actionName": "runCommand", "timestamp": 1714557600000, "requestParams": {"commandText": "print(1)"}}',
    '{"serviceName": "notebook", "actionName": "runCommand", "timestamp": 1714557600000, "requestParams": {"notebookId": "1"}}',
    '{"service_name": "notebook", "action_name": "attachNotebook", "event_time": "2024-05-01T10:00:00Z"}',
    "not json at all",
    '{"serviceName": "notebook", "actionName": "attachNotebook", "timestamp": NaN, "requestParams": {"notebookId": "1"}}',
]


def with_noise(lines: list[str], seed: int) -> list[str]:
    """The lines with malformed lines and blank lines mixed in."""
    r = random.Random(seed)
    out = list(lines)
    for bad in MALFORMED_LINES:
        out.insert(r.randrange(len(out) + 1), bad)
    for _ in range(5):
        out.insert(r.randrange(len(out) + 1), "")
    return out


def edge_cases() -> list[Ev]:
    """The sessionizer's corner cases, in log order (run with --idle-timeout 30 --lateness 5)."""
    h = 3600
    e: list[Ev] = []
    # A: commands before the first attach (the log starts mid-session), then an attach.
    e += [run("A", 0, "a1", "pw = dbutils.secrets.get('s', 'k')"), run("A", 60, "a2", "print(pw)")]
    e += [attach("A", 120, "/A"), run("A", 120, "a3", "print(pw)"), run("A", 180, "a4", "x = 1")]
    # B: an attach and a command at the same instant, the command logged first (it opens the attach's session).
    e += [attach("B", 0, "/B"), run("B", 10, "b1", "pw = dbutils.secrets.get('s', 'k')")]
    e += [run("B", 300, "b2", "print(pw)"), attach("B", 300, "/B2"), run("B", 300, "b3", "print(pw)")]
    # C: an idle gap, then a command and an attach at the same instant, the command first: nbguard
    # merges the attach into the command's (unattached) session.
    e += [attach("C", 0, None), run("C", 30, "c1", "pw = dbutils.secrets.get('s', 'k')")]
    e += [run("C", 30 + 31 * 60, "c2", "print(pw)"), attach("C", 30 + 31 * 60, "/C-late"), run("C", 30 + 31 * 60 + 5, "c3", "print(pw)")]
    # D: the same attach twice (the second names the path), the same command twice, two commands in one millisecond.
    e += [attach("D", 0, None), attach("D", 0, "/D"), run("D", 10, "d1", "pw = dbutils.secrets.get('s', 'k')")]
    e += [run("D", 10, "d1", "pw = dbutils.secrets.get('s', 'k')"), run("D", 20, "d3", "print(pw)"), run("D", 20, "d2", "x = 2")]
    # E: idle gaps split sessions without an attach; commands without ids; a rename in between.
    e += [attach("E", 0, "/E"), run("E", 10, None, "pw = dbutils.secrets.get('s', 'k')")]
    e += [
        run("E", 10 + 40 * 60, None, "print(pw)"),
        attach("E", 10 + 40 * 60 + 30, "/E-renamed"),
        run("E", 10 + 40 * 60 + 40, "e3", "y = 1"),
    ]
    # F: no path anywhere until a later session names it (the first sessions take the last path seen).
    e += [attach("F", 0, None), run("F", 5, "f1", 'key = "' + AWS_KEY_ID + '"')]
    e += [attach("F", 600, None), run("F", 605, "f2", "print(1)"), attach("F", 1200, "/F"), run("F", 1205, "f3", "print(2)")]
    # G: a notebook forgotten after a long silence (a path before it is not carried over).
    e += [attach("G", 0, "/G-old"), run("G", 5, "g1", "print(1)")]
    # Other notebooks keep the log going meanwhile (they move the watermark).
    for i in range(1, 8):
        e.append(attach("Z", i * h, "/Z"))
        e.append(run("Z", i * h + 5, f"z{i}", "import os"))
    e += [run("G", 7 * h + 100, "g2", 'token = "dapi0123456789abcdef0123456789abcdef"')]
    # H: a command with a path only in its own params (nbguard reads notebookPath / path there too).
    e += [run("H", 2 * h, "h1", "pw = dbutils.secrets.get('s', 'k')", path="/H"), run("H", 2 * h + 5, "h2", "print(pw)")]
    # Same ids in another workspace and without a workspace: other notebooks.
    e += [attach("A", 50, "/other-ws/A", ws="999"), run("A", 55, "a1", "print(1)", ws="999")]
    e += [attach("A", 70, "/no-ws/A", ws=None), run("A", 75, "x1", "print(2)", ws=None)]
    return e


def random_logs(seed: int, count: int, idle: float, lateness: float) -> list[Ev]:
    """``count`` small random logs, ten days apart, in one log order: few notebooks, events on a
    coarse time grid (ties), gaps at and around the idle timeout and the forget time, attaches and
    commands with and without paths, users and ids (duplicates too). Each notebook's events are
    logged in time order, equal times in random order; every other log also interleaves its
    notebooks out of time order (within ``lateness``)."""
    r = random.Random(seed)
    out: list[Ev] = []
    gaps = [0, 0, 5, 60, 600, lateness, idle - 10, idle, idle + 10, 2 * idle + lateness + 20, 3 * idle]
    for k in range(count):
        offset = k * 10 * 86_400
        events = []
        for n in range(r.randint(1, 3)):
            nb = f"L{k}N{n}"
            t: float = r.choice([0, 10, 20])
            for _ in range(r.randint(3, 14)):
                path = r.choice([None, None, f"/p{r.randint(0, 2)}"])
                user = r.choice([None, "u1", "u2"])
                if r.random() < 0.3:
                    events.append(Ev("attach", nb, offset + t, path, user=user))
                else:
                    text = r.choice(["x = 1", "print(1)", "y = 2"])
                    events.append(Ev("run", nb, offset + t, path, user=user, id=r.choice([None, f"c{r.randint(0, 3)}"]), text=text))
                t += r.choice(gaps)
        ordered = [e for _, _, e in sorted(((e.t, r.random(), e) for e in events), key=lambda x: (x[0], x[1]))]
        if k % 2:
            ordered = jitter(ordered, lateness * 0.66, r.randrange(10**6), keep_notebook_order=True)
        out += ordered
    return out
