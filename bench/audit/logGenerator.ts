// Writes a generated Databricks audit log (legacy log-delivery JSON lines) of a given size,
// streaming (a few MB of memory whatever the size), and returns what it holds: lines, notebook
// events, sessions, commands by kind and the findings planted in them. Seeded: the same seed
// gives the same log, and a smaller size gives a prefix of the bigger log.
//
// The log is a simulation of one busy workspace: `concurrentSessions` notebook sessions are open
// at any moment, each an attachNotebook followed by 5 to 60 runCommand events seconds to minutes
// apart (sessionScript.ts: the cells of bench/generator/); when one ends another starts, on a
// notebook seen before (re-attached) or on a new one. All of them are merged in time order with
// the events of other services (otherEvents.ts), and a small share of lines (never an attach)
// is written late, up to `maxDelayLines` lines after its time, as log delivery does.
//
// Along the way it counts what `nbguard audit`'s sessionizer holds in memory at a few points of
// the log (Checkpoint): the sessions it has not handed on yet, with its idle timeout
// (IDLE_TIMEOUT_MINUTES) and, for comparison, without one. And it checks its own sessions
// against the idle rule: a gap of the idle timeout between two events of a session would make
// the CLI split it (longestGapMs, idleSplits).
//
//   node bench/run.mjs audit generate --size-mb 50 [--seed N] --out /tmp/audit.json
//                                     (also writes /tmp/audit.json.truth.json)

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MinHeap } from '../../server/src/analysis/audit/minHeap';
import { DOMAINS } from '../generator/vocabulary';
import { DIGITS, Random } from '../redact/random';
import { AuditWorld, type Cluster, type User } from './auditWorld';
import { DEFAULT_LOG_SEED, IDLE_TIMEOUT_MINUTES, LATENESS_MINUTES, LOG_SHAPE, MIB, REAL_SHARE } from './config';
import { otherEvent } from './otherEvents';
import { SessionScript, type CommandKind } from './sessionScript';
import { loadRealCells, RealCellScript } from './realCells';

/** The log starts at 2024-09-17 00:00 UTC. */
const START = Date.UTC(2024, 8, 17);
const FLUSH_AT = 4 << 20;
const SLACK = 1 << 20;
const IDLE_MS = IDLE_TIMEOUT_MINUTES * 60_000;
const LATENESS_MS = LATENESS_MINUTES * 60_000;

/** A session as written: its attach, its latest event, its commands and their text bytes. */
interface SessionRecord {
  readonly attach: number;
  last: number;
  commands: number;
  bytes: number;
}

interface Notebook {
  readonly id: string;
  readonly path: string;
  readonly owner: User;
  active: boolean;
  sessions: number;
  /** Its two latest sessions written (attached), older first. */
  recent: SessionRecord[];
}

interface OpenSession {
  readonly notebook: Notebook;
  readonly user: User;
  readonly cluster: Cluster;
  readonly script: SessionScript | RealCellScript;
  attached: boolean;
  /** Time of its next event. */
  next: number;
}

export interface Checkpoint {
  /** Asked for: the first line end at or after this many bytes. */
  readonly atBytes: number;
  readonly bytes: number;
  readonly lines: number;
  /** Hours of log up to here (the latest event time written so far). */
  readonly hours: number;
  readonly notebooks: number;
  /** What the sessionizer holds here, with the idle timeout (the CLI's default). */
  readonly held: Held;
  /** What it would hold without an idle timeout (as before 1687ded): the latest session of every notebook. */
  readonly heldWithoutIdle: Held;
  /** Sessions attached within the idle timeout + lateness before this point (the bound of `held`). */
  readonly attachedInWindow: number;
}

/**
 * Sessions a sessionizer has not handed on yet at a point of the log: a session is handed on
 * once the log has moved `--lateness` past its end, and it ends at the next attach of its
 * notebook or (with the idle timeout) `--idle-timeout` after its latest event, whichever is
 * first; without the idle timeout the latest session of every notebook stays until the end of
 * the input.
 */
export interface Held {
  readonly sessions: number;
  readonly commands: number;
  /** Command text, bytes. */
  readonly bytes: number;
}

export interface GeneratedAuditLog {
  file: string;
  seed: number;
  bytes: number;
  lines: number;
  /** attachNotebook + runCommand lines. */
  notebookLines: number;
  otherLines: number;
  attaches: number;
  commands: number;
  commandsByKind: Record<CommandKind, number>;
  /** Bytes of command text (the code nbguard analyses), as written (before JSON escaping). */
  commandTextBytes: number;
  /** Lines written later than lines with later timestamps. */
  lateLines: number;
  notebooks: number;
  /** Notebooks attached more than once. */
  reattachedNotebooks: number;
  /** Attaches of a notebook seen before after it had been idle for the idle timeout or longer (its previous session ended idle). */
  reattachesAfterIdle: number;
  /** Sessions that run real notebooks' cells (--cells-from), not the generator's. */
  realSessions: number;
  /** Longest gap between two consecutive events of one session, ms. */
  longestGapMs: number;
  /** Gaps within a session of the idle timeout or longer: the CLI splits the session there (0 by construction). */
  idleSplits: number;
  planted: Record<string, number>;
  plantedTotal: number;
  firstTime: number;
  lastTime: number;
  checkpoints: Checkpoint[];
  /** The same counts at the end of the log. */
  end: Checkpoint;
  seconds: number;
}

/** Seconds between two commands of a session: mostly seconds, sometimes minutes. */
function commandGapMs(rng: Random): number {
  const u = rng.next();
  if (u < 0.7) return rng.range(2_000, 30_000);
  if (u < 0.95) return rng.range(30_000, 300_000);
  return rng.range(300_000, 1_800_000);
}

class Simulation {
  readonly rng: Random;
  readonly world: AuditWorld;
  private readonly notebooks: Notebook[] = [];
  private readonly heap = new MinHeap<OpenSession>((s) => s.next);
  /** Attach times, in order: how many sessions were attached within a window before a point. */
  private readonly attachTimes: number[] = [];
  reattachesAfterIdle = 0;

  /** Real notebooks' code cells, and the share of sessions that run them (realCells.ts). */
  private readonly real?: { pool: readonly string[][]; share: number };
  realSessions = 0;

  constructor(seed: number, real?: { pool: readonly string[][]; share: number }) {
    this.real = real && real.pool.length > 0 ? real : undefined;
    this.rng = new Random(seed);
    this.world = new AuditWorld(this.rng);
    for (let i = 0; i < LOG_SHAPE.concurrentSessions; i++) this.startSession(START + this.rng.int(30 * 60_000));
  }

  /** Notebooks attached in the log so far (a notebook picked for a session not written yet does not count). */
  get notebookCount(): number {
    return this.notebooks.filter((n) => n.recent.length > 0).length;
  }
  /** The session's attach was written at `time`. */
  attached(s: OpenSession, time: number): void {
    const nb = s.notebook;
    const previous = nb.recent[nb.recent.length - 1];
    if (previous && time - previous.last >= IDLE_MS) this.reattachesAfterIdle++;
    nb.recent.push({ attach: time, last: time, commands: 0, bytes: 0 });
    if (nb.recent.length > 2) nb.recent.shift();
    this.attachTimes.push(time);
  }
  /** A command of the session was written at `time`. */
  ran(s: OpenSession, text: string, time: number): void {
    const r = s.notebook.recent[s.notebook.recent.length - 1];
    r.commands++;
    r.bytes += text.length;
    r.last = Math.max(r.last, time);
  }
  /** What a sessionizer holds when the log has reached `now` (see Held), with an idle timeout or without. */
  held(now: number, idleMs: number): Held {
    let sessions = 0;
    let commands = 0;
    let bytes = 0;
    const add = (r: SessionRecord) => {
      sessions++;
      commands += r.commands;
      bytes += r.bytes;
    };
    for (const nb of this.notebooks) {
      const [previous, latest] = nb.recent.length === 2 ? nb.recent : [undefined, nb.recent[0]];
      if (!latest) continue;
      if (latest.last + idleMs + LATENESS_MS >= now) add(latest);
      if (previous && Math.min(latest.attach, previous.last + idleMs) + LATENESS_MS >= now) add(previous);
    }
    return { sessions, commands, bytes };
  }
  /** Sessions attached at `from` or later (attaches are written in time order). */
  attachedSince(from: number): number {
    let i = this.attachTimes.length;
    while (i > 0 && this.attachTimes[i - 1] >= from) i--;
    return this.attachTimes.length - i;
  }
  get reattached(): number {
    return this.notebooks.filter((n) => n.recent.length > 1).length;
  }
  nextNotebookTime(): number {
    return this.heap.peek()?.next ?? Infinity;
  }
  popSession(): OpenSession {
    return this.heap.pop()!;
  }
  reschedule(s: OpenSession): void {
    this.heap.push(s);
  }

  private newNotebook(): Notebook {
    const r = this.rng;
    const owner = this.world.user();
    const domain = r.pick(DOMAINS);
    const name = `${r.pick(['ingest', 'daily', 'backfill', 'features', 'report', 'explore', 'quality_checks', 'export', 'train', 'score'])}_${domain}${r.chance(0.4) ? `_v${r.range(2, 9)}` : ''}`;
    const folder = r.next();
    const path =
      folder < 0.55
        ? `/Users/${owner.email}/${domain}/${name}`
        : folder < 0.85
          ? `/Repos/${owner.email}/${domain}-pipelines/notebooks/${name}`
          : `/Shared/${domain}/${name}`;
    const nb: Notebook = { id: `${r.range(1, 9)}${r.chars(DIGITS, 15)}`, path, owner, active: false, sessions: 0, recent: [] };
    this.notebooks.push(nb);
    return nb;
  }

  /** A notebook for the next session: one seen before (older ones more often) or a new one. */
  private pickNotebook(): Notebook {
    const r = this.rng;
    if (this.notebooks.length > 0 && !r.chance(LOG_SHAPE.newNotebook)) {
      for (let tries = 0; tries < 5; tries++) {
        const u = r.next();
        const nb = this.notebooks[Math.floor(u * u * this.notebooks.length)];
        if (!nb.active) return nb;
      }
    }
    return this.newNotebook();
  }

  startSession(at: number): void {
    const r = this.rng;
    const notebook = this.pickNotebook();
    notebook.active = true;
    notebook.sessions++;
    const user = r.chance(0.8) ? notebook.owner : this.world.user();
    const length = r.range(LOG_SHAPE.minCommands, LOG_SHAPE.maxCommands);
    const real = this.real && r.chance(this.real.share) ? new RealCellScript(this.real.pool, (n) => r.int(n), length) : undefined;
    if (real) this.realSessions++;
    this.heap.push({ notebook, user, cluster: this.world.cluster(), script: real ?? new SessionScript(r.int(2 ** 31), length), attached: false, next: at });
  }

  endSession(s: OpenSession, at: number): void {
    s.notebook.active = false;
    this.startSession(at + this.rng.range(5_000, 600_000));
  }
}

export function generateAuditLog(
  file: string,
  targetBytes: number,
  seed = DEFAULT_LOG_SEED,
  checkpointsAt: readonly number[] = [],
  real?: { pool: readonly string[][]; share: number },
): GeneratedAuditLog {
  const started = performance.now();
  const sim = new Simulation(seed, real);
  const { rng, world } = sim;
  const fd = openSync(file, 'w');
  const buf = Buffer.allocUnsafe(FLUSH_AT + SLACK);
  let fill = 0;
  const out: GeneratedAuditLog = {
    file,
    seed,
    bytes: 0,
    lines: 0,
    notebookLines: 0,
    otherLines: 0,
    attaches: 0,
    commands: 0,
    commandsByKind: { setup: 0, code: 0, md: 0, sql: 0, pip: 0 },
    commandTextBytes: 0,
    lateLines: 0,
    notebooks: 0,
    reattachedNotebooks: 0,
    reattachesAfterIdle: 0,
    realSessions: 0,
    longestGapMs: 0,
    idleSplits: 0,
    planted: {},
    plantedTotal: 0,
    firstTime: Infinity,
    lastTime: -Infinity,
    checkpoints: [],
    end: undefined as unknown as Checkpoint,
    seconds: 0,
  };
  let clock = START;
  const checkpoint = (atBytes: number): Checkpoint => ({
    atBytes,
    bytes: written(),
    lines: out.lines,
    hours: (clock - START) / 3_600_000,
    notebooks: sim.notebookCount,
    held: sim.held(clock, IDLE_MS),
    heldWithoutIdle: sim.held(clock, Infinity),
    attachedInWindow: sim.attachedSince(clock - IDLE_MS - LATENESS_MS),
  });
  const pendingCheckpoints = [...checkpointsAt].sort((a, b) => a - b);
  const written = () => out.bytes + fill;
  const put = (line: string) => {
    if (fill + line.length * 3 + 1 > buf.length) {
      out.bytes += writeSync(fd, buf, 0, fill);
      fill = 0;
    }
    fill += buf.write(line, fill, 'utf8');
    buf[fill++] = 10;
    out.lines++;
    while (pendingCheckpoints.length > 0 && written() >= pendingCheckpoints[0]) out.checkpoints.push(checkpoint(pendingCheckpoints.shift()!));
    if (fill >= FLUSH_AT) {
      out.bytes += writeSync(fd, buf, 0, fill);
      fill = 0;
    }
  };
  /** Lines held back: written once `at` lines have been written. */
  const late: { at: number; line: string }[] = [];
  const releaseLate = () => {
    for (let i = 0; i < late.length; ) {
      if (late[i].at <= out.lines) {
        put(late[i].line);
        late.splice(i, 1);
      } else i++;
    }
  };
  const emit = (record: Record<string, unknown>, mayBeLate: boolean) => {
    const line = JSON.stringify(record);
    if (mayBeLate && rng.chance(LOG_SHAPE.lateShare)) {
      late.push({ at: out.lines + rng.range(1, LOG_SHAPE.maxDelayLines), line });
      out.lateLines++;
    } else put(line);
    releaseLate();
  };

  try {
    while (written() < targetBytes) {
      if (rng.chance(LOG_SHAPE.otherShare)) {
        // Another service's event, between the notebook events around it.
        clock = Math.min(clock + rng.int(400), Math.max(clock, sim.nextNotebookTime()));
        emit(otherEvent(world, clock), true);
        out.otherLines++;
        continue;
      }
      const s = sim.popSession();
      const time = s.next;
      clock = Math.max(clock, time);
      out.firstTime = Math.min(out.firstTime, time);
      out.lastTime = Math.max(out.lastTime, time);
      out.notebookLines++;
      if (!s.attached) {
        s.attached = true;
        out.attaches++;
        sim.attached(s, time);
        emit(world.record(time, s.user, 'notebook', 'attachNotebook', { notebookId: s.notebook.id, path: s.notebook.path, clusterId: s.cluster.id }), false);
        s.next = time + rng.range(1_000, 20_000);
        sim.reschedule(s);
        continue;
      }
      const command = s.script.next();
      out.commands++;
      out.commandsByKind[command.kind]++;
      out.commandTextBytes += command.text.length;
      // The gap since the session's previous event (its attach or its previous command).
      const gap = time - s.notebook.recent[s.notebook.recent.length - 1].last;
      out.longestGapMs = Math.max(out.longestGapMs, gap);
      if (gap >= IDLE_MS) out.idleSplits++;
      sim.ran(s, command.text, time);
      for (const [rule, n] of Object.entries(command.planted)) {
        out.planted[rule] = (out.planted[rule] ?? 0) + n;
        out.plantedTotal += n;
      }
      const failed = rng.chance(LOG_SHAPE.errorStatus);
      const params = {
        notebookId: s.notebook.id,
        executionTime: (rng.range(20, 90_000) / 1000).toFixed(3),
        status: failed ? 'error' : 'finished',
        commandId: `${time}_${rng.range(10 ** 8, 10 ** 9 - 1)}${rng.chars(DIGITS, 10)}_${rng.hex(32)}`,
        commandText: command.text,
      };
      emit(world.record(time, s.user, 'notebook', 'runCommand', params, failed ? { statusCode: 200, errorMessage: `${rng.pick(['AnalysisException', 'Py4JJavaError', 'KeyError', 'NameError'])}: see the cell output` } : { statusCode: 200 }), true);
      if (s.script.done) sim.endSession(s, time);
      else {
        s.next = time + commandGapMs(rng);
        sim.reschedule(s);
      }
    }
    // What is still held back goes at the end (the log holds every event it was given).
    late.sort((a, b) => a.at - b.at);
    for (const l of late) put(l.line);
    if (fill > 0) out.bytes += writeSync(fd, buf, 0, fill);
    fill = 0;
  } finally {
    closeSync(fd);
  }
  out.notebooks = sim.notebookCount;
  out.end = checkpoint(out.bytes);
  out.reattachedNotebooks = sim.reattached;
  out.reattachesAfterIdle = sim.reattachesAfterIdle;
  out.realSessions = sim.realSessions;
  out.planted = Object.fromEntries(Object.entries(out.planted).sort(([a], [b]) => a.localeCompare(b)));
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

/** `generate --size-mb N [--seed S] --out FILE`: writes a log and what it holds (FILE.truth.json). */
export function generateAuditLogCommand(args: string[]): void {
  const value = (flag: string, d: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : d;
  };
  const out = value('--out', 'audit.json');
  const cellsFrom = args.includes('--cells-from') ? value('--cells-from', '') : undefined;
  const real = cellsFrom ? { pool: loadRealCells(cellsFrom), share: Number(value('--real-share', String(REAL_SHARE))) } : undefined;
  const log = generateAuditLog(out, Number(value('--size-mb', '50')) * MIB, Number(value('--seed', String(DEFAULT_LOG_SEED))), [], real);
  writeFileSync(`${out}.truth.json`, JSON.stringify(log, null, 1));
  console.log(
    `wrote ${out}: ${(log.bytes / MIB).toFixed(1)} MiB, ${log.lines} lines (${log.notebookLines} notebook events: ${log.attaches} attaches, ${log.commands} commands), ${log.notebooks} notebooks, planted ${JSON.stringify(log.planted)} in ${log.seconds.toFixed(1)} s (in ${out}.truth.json)`,
  );
}
