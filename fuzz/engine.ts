// The fuzz loop: makes input N of a run (a function of the seed and N), runs it through
// nbguard in-process (the scan/redact/audit functions of server/src/cli, fast) and, for some
// inputs, as a child process (`node dist/cli.js`, for crashes, signals, exit codes and standard
// error), applies the checks and keeps a de-duplicated record of the failures, saving a
// reproducer for the first of each kind.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runScan } from '../server/src/cli/scanCommand';
import { runAudit } from '../server/src/cli/audit/auditCommand';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import { RedactStream } from '../server/src/node/redactStream';
import type { DetectorSet } from '../server/src/analysis/detectors/detectorSet';
import { internalErrorChecks, leakChecks, processChecks, redactLeakChecks, redactLineChecks, skipChecks, type Failure, type RunOutput } from './checks';
import { auditInput, ipynbInput, logInput, pyInput, type Command, type FuzzInput, type InputKind, type Limits } from './inputs';
import { giantInput, scaleGenerators } from './scaleInputs';
import { intactSecrets, maskAll, type PlantedInInput as Planted } from './plant';
import { Rng } from './prng';

export interface FuzzConfig {
  readonly seed: number;
  readonly limits: Limits;
  /** The share of inputs also run as a child process. */
  readonly childRate: number;
  /** The share of iterations that are a linearity pair (size n and 2n). */
  readonly scaleRate: number;
  /** Size range of the smaller input of a linearity pair, in bytes. */
  readonly scaleBytes: readonly [number, number];
  /** Every Nth iteration is a giant file (child process only); 0: never. */
  readonly giantEvery: number;
  readonly giantBytes: number;
  /** dist/cli.js */
  readonly cli: string;
  /** Where the inputs are written for the runs. */
  readonly workDir: string;
  /** Where reproducers go; none saved when undefined. */
  readonly failuresDir?: string;
  readonly childTimeoutMs: number;
  /** Inputs above this size run as a child process only. */
  readonly inProcessMaxBytes: number;
  readonly log?: (line: string) => void;
}

export interface FailureEntry {
  /** command/check/key */
  readonly signature: string;
  /** command/check */
  readonly cls: string;
  count: number;
  readonly first: { iteration: number; kind: string; detail: string; excerpt?: string; argv: string; reproducer?: string };
}

export interface Stats {
  readonly inputs: Record<string, number>;
  /** Wall time spent per input kind, in ms. */
  readonly msByKind: Record<string, number>;
  inProcessRuns: number;
  childRuns: number;
  bytes: number;
  scalePairs: number;
  iterations: number;
  worst: { msPerMb: number; what: string };
  worstRatio: { ratio: number; what: string };
  readonly failures: Map<string, FailureEntry>;
  /** Errors of the harness itself (making an input), each skipping one iteration: should stay 0. */
  harnessErrors: number;
}

const SCAN_FORMATS = ['text', 'json', 'sarif'] as const;
const AUDIT_FORMATS = ['text', 'json', 'jsonl', 'sarif'] as const;

class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }
  get buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9@.-]+/g, '_').slice(0, 80);
}

export class Fuzzer {
  readonly stats: Stats = { inputs: {}, msByKind: {}, inProcessRuns: 0, childRuns: 0, bytes: 0, scalePairs: 0, iterations: 0, worst: { msPerMb: 0, what: '' }, worstRatio: { ratio: 0, what: '' }, failures: new Map(), harnessErrors: 0 };
  /** After a wasm abort in-process the module may be dead: everything runs as a child process from then on. */
  private inProcessBroken = false;
  private detectors: DetectorSet | undefined;
  private saved = 0;

  constructor(readonly config: FuzzConfig) {
    mkdirSync(config.workDir, { recursive: true });
  }

  /** Input N of this run, as the run makes it (for --replay). */
  makeInput(iteration: number): FuzzInput | { scale: string; n: number; small: Buffer; large: Buffer; command: Command; ext: string } {
    const rng = Rng.of(this.config.seed, iteration);
    const { giantEvery } = this.config;
    if (giantEvery > 0 && iteration % giantEvery === giantEvery - 1) return giantInput(rng, this.config.giantBytes);
    if (rng.chance(this.config.scaleRate)) {
      const gens = scaleGenerators(this.config.seed ^ iteration);
      const g = rng.pick(gens);
      const n = g.unitsFor(rng.size(this.config.scaleBytes[0], this.config.scaleBytes[1]));
      return { scale: g.name, n, small: g.make(n), large: g.make(2 * n), command: g.command, ext: g.ext };
    }
    const kind = rng.weighted<InputKind>([
      [4, 'scan-ipynb'],
      [2, 'scan-py'],
      [2, 'redact-log'],
      [2, 'audit-jsonl'],
    ]);
    const make = { 'scan-ipynb': ipynbInput, 'scan-py': pyInput, 'redact-log': logInput, 'audit-jsonl': auditInput }[kind];
    return make(rng, this.config.limits);
  }

  async iteration(i: number): Promise<void> {
    this.stats.iterations++;
    this.current = i;
    const t0 = performance.now();
    let made: ReturnType<Fuzzer['makeInput']>;
    try {
      made = this.makeInput(i);
    } catch (error) {
      // A defect of the harness, not of nbguard: counted and logged, and the run goes on.
      this.stats.harnessErrors++;
      this.config.log?.(`harness error making input ${i}: ${(error as Error).message}`);
      return;
    }
    const kind = 'scale' in made ? `scale-${made.command}` : made.kind;
    try {
      await ('scale' in made ? this.scalePair(i, made) : this.single(i, made));
    } finally {
      this.stats.msByKind[kind] = (this.stats.msByKind[kind] ?? 0) + performance.now() - t0;
    }
  }

  /**
   * Runs a saved input (a reproducer) the way the fuzzer ran it, and as a child process in every
   * format: the failures it still has.
   */
  async recheck(input: FuzzInput): Promise<FailureEntry[]> {
    const before = new Set(this.stats.failures.keys());
    const secrets = intactSecrets(input.data.toString('latin1'));
    const file = join(this.config.workDir, `input${input.ext}`);
    writeFileSync(file, input.data);
    if (input.data.length <= this.config.inProcessMaxBytes) await this.inProcess(-1, input, file, secrets, undefined);
    const formats = input.command === 'scan' ? SCAN_FORMATS : input.command === 'audit' ? AUDIT_FORMATS : ['text'];
    for (const format of formats) this.child(-1, input, file, secrets, format);
    return [...this.stats.failures.values()].filter((f) => !before.has(f.signature));
  }

  private async single(i: number, input: FuzzInput): Promise<void> {
    const count = (k: string) => (this.stats.inputs[k] = (this.stats.inputs[k] ?? 0) + 1);
    count(input.kind);
    this.stats.bytes += input.data.length;
    const rng = Rng.of(this.config.seed ^ 0x5bd1e995, i);
    const secrets = intactSecrets(input.data.toString('latin1'));
    const big = input.data.length > this.config.inProcessMaxBytes;
    const child = big || this.inProcessBroken || rng.chance(this.config.childRate);
    const file = join(this.config.workDir, `input${input.ext}`);
    writeFileSync(file, input.data);
    if (!big && !this.inProcessBroken) {
      const formats = input.data.length < 300_000 ? undefined : rng.int(4);
      await this.inProcess(i, input, file, secrets, formats);
    }
    if (child) {
      const format = input.command === 'scan' ? rng.pick(SCAN_FORMATS) : input.command === 'audit' ? rng.pick(AUDIT_FORMATS) : 'text';
      this.child(i, input, file, secrets, format);
    }
  }

  private current = -1;

  private timing(what: string, bytes: number, ms: number): void {
    if (bytes < 100_000) return;
    const perMb = ms / (bytes / 1_048_576);
    if (perMb > this.stats.worst.msPerMb) this.stats.worst = { msPerMb: perMb, what: `${what}, ${(bytes / 1_048_576).toFixed(2)} MB in ${ms.toFixed(0)} ms, iteration ${this.current}` };
  }

  private async inProcess(i: number, input: FuzzInput, file: string, secrets: Planted[], formatPick: number | undefined): Promise<void> {
    if (input.command === 'redact') {
      const t = performance.now();
      const run = await this.redactInProcess(input.data, input.chunk ?? 4 << 20);
      this.timing(`redact ${input.kind}`, input.data.length, performance.now() - t);
      const fails = [...processChecks(run), ...redactLeakChecks('redact output', input.data, run.stdout, secrets)];
      if (!run.thrown) fails.push(...redactLineChecks(input.data, run.stdout));
      this.report(i, input, `in-process redact (chunks of ${input.chunk} bytes)`, fails);
      return;
    }
    const formats: readonly string[] = input.command === 'scan' ? SCAN_FORMATS : AUDIT_FORMATS;
    const chosen = formatPick === undefined ? formats : [formats[formatPick % formats.length]];
    const outputs: Record<string, string> = {};
    for (const format of chosen) {
      const t = performance.now();
      const run = input.command === 'scan' ? await this.scanInProcess(file, format) : await this.auditInProcess(file, format);
      this.timing(`${input.command} --format ${format} ${input.kind}`, input.data.length, performance.now() - t);
      const stdout = run.stdout.toString('latin1');
      outputs[format] = stdout;
      const fails = [
        ...processChecks(run),
        ...leakChecks(`${input.command} --format ${format} stdout`, stdout, secrets),
        ...leakChecks(`${input.command} --format ${format} stderr`, run.stderr.toString('latin1'), secrets),
        ...internalErrorChecks(stdout + run.stderr.toString('latin1')),
      ];
      this.report(i, input, `in-process ${input.command} --format ${format}`, fails);
      if (run.thrown && /RuntimeError|Aborted|memory access|unreachable|wasm/i.test(String(run.thrown))) this.inProcessBroken = true;
      if (run.thrown) break;
    }
    if (input.command === 'scan' && outputs.text !== undefined) {
      const { text, ...others } = outputs;
      this.report(i, input, 'in-process scan, text against json and sarif', skipChecks(text, others));
    }
  }

  private async scanInProcess(file: string, format: string): Promise<RunOutput> {
    this.stats.inProcessRuns++;
    try {
      const r = await runScan([file], { format: format as 'text', order: 'execution', rules: [], failOn: 'warning', colour: false, version: '0.0.0-fuzz' });
      return { stdout: Buffer.from(r.output, 'utf8'), stderr: Buffer.alloc(0), exitCode: r.exitCode };
    } catch (error) {
      return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: null, thrown: error as Error };
    }
  }

  private async auditInProcess(file: string, format: string): Promise<RunOutput> {
    this.stats.inProcessRuns++;
    const out = new Collector();
    const err = new Collector();
    try {
      const code = await runAudit([file], { format: format as 'text', sessions: false, rules: [], failOn: 'warning', colour: false, version: '0.0.0-fuzz', latenessMinutes: 60, idleMinutes: 720, top: 10 }, out, err);
      return { stdout: out.buffer, stderr: err.buffer, exitCode: code };
    } catch (error) {
      return { stdout: out.buffer, stderr: err.buffer, exitCode: null, thrown: error as Error };
    }
  }

  /**
   * RedactStream driven by hand, chunk by chunk as a pipeline would drive it: an exception in
   * _transform would otherwise be thrown from a stream event and take the whole fuzzer down.
   */
  private async redactInProcess(data: Buffer, chunk: number): Promise<RunOutput> {
    this.stats.inProcessRuns++;
    this.detectors ??= new CompiledRules(loadRuleSet()).detectors;
    const out: Buffer[] = [];
    const stream = new RedactStream(this.detectors);
    stream.push = (piece: unknown) => {
      if (piece) out.push(piece as Buffer);
      return true;
    };
    const step = (fn: (done: (error?: Error | null) => void) => void) =>
      fn((error) => {
        if (error) throw error;
      });
    try {
      for (let p = 0; p < data.length; p += chunk) step((done) => stream._transform(data.subarray(p, p + chunk), 'buffer' as BufferEncoding, done));
      step((done) => stream._flush(done));
      return { stdout: Buffer.concat(out), stderr: Buffer.alloc(0), exitCode: 0 };
    } catch (error) {
      return { stdout: Buffer.concat(out), stderr: Buffer.alloc(0), exitCode: null, thrown: error as Error };
    }
  }

  private child(i: number, input: FuzzInput, file: string, secrets: Planted[], format: string): void {
    this.stats.childRuns++;
    const args = input.command === 'redact' ? ['redact', file] : [input.command, '--format', format, '--no-color', file];
    const t = performance.now();
    const r = spawnSync(process.execPath, [this.config.cli, ...args], { timeout: this.config.childTimeoutMs, maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
    const ms = performance.now() - t;
    const run: RunOutput = {
      stdout: r.stdout ?? Buffer.alloc(0),
      stderr: r.stderr ?? Buffer.alloc(0),
      exitCode: r.status,
      signal: r.signal,
      timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT',
    };
    if (input.data.length > 4_000_000) this.timing(`child ${args.slice(0, -1).join(' ')} ${input.kind}`, input.data.length, ms);
    const stdout = run.stdout.toString('latin1');
    const fails = [...processChecks(run), ...leakChecks(`child ${input.command} stderr`, run.stderr.toString('latin1'), secrets)];
    if (input.command === 'redact') {
      fails.push(...redactLeakChecks('child redact output', input.data, run.stdout, secrets));
      if (!run.signal && !run.timedOut && run.exitCode === 0) fails.push(...redactLineChecks(input.data, run.stdout));
    } else {
      fails.push(...leakChecks(`child ${input.command} --format ${format} stdout`, stdout, secrets), ...internalErrorChecks(stdout));
    }
    this.report(i, input, `node dist/cli.js ${args.join(' ')}`, fails);
  }

  private async scalePair(i: number, pair: { scale: string; n: number; small: Buffer; large: Buffer; command: Command; ext: string }): Promise<void> {
    const count = (k: string) => (this.stats.inputs[k] = (this.stats.inputs[k] ?? 0) + 1);
    count(`scale-${pair.command}`);
    this.stats.scalePairs++;
    this.stats.bytes += pair.small.length + pair.large.length;
    if (this.inProcessBroken) return;
    const input = (data: Buffer): FuzzInput => ({ kind: `scale:${pair.scale}` as InputKind, command: pair.command, ext: pair.ext, data, mutations: [`scale:${pair.scale}(${data === pair.small ? pair.n : 2 * pair.n})`] });
    const timeOnce = async (data: Buffer): Promise<{ ms: number; run: RunOutput }> => {
      const file = join(this.config.workDir, `scale${pair.ext}`);
      writeFileSync(file, data);
      const t = performance.now();
      const run = pair.command === 'redact' ? await this.redactInProcess(data, 4 << 20) : pair.command === 'scan' ? await this.scanInProcess(file, 'text') : await this.auditInProcess(file, 'text');
      return { ms: performance.now() - t, run };
    };
    const a = await timeOnce(pair.small);
    this.report(i, input(pair.small), `in-process ${pair.command} (scale ${pair.scale}, n=${pair.n})`, processChecks(a.run));
    if (a.run.thrown) return;
    const b = await timeOnce(pair.large);
    this.report(i, input(pair.large), `in-process ${pair.command} (scale ${pair.scale}, n=${2 * pair.n})`, processChecks(b.run));
    if (b.run.thrown) return;
    let ta = a.ms;
    let tb = b.ms;
    if (tb / ta > 3 && tb > 100 && tb < 10_000) {
      // noise on a shared machine: measure both twice more, interleaved, and keep the best of each
      // (not when the larger already took 10 s: that is no noise, and measuring again would stall the run)
      for (let round = 0; round < 2 && tb / ta > 3; round++) {
        ta = Math.min(ta, (await timeOnce(pair.small)).ms);
        tb = Math.min(tb, (await timeOnce(pair.large)).ms);
      }
    }
    this.timing(`${pair.command} scale:${pair.scale}`, pair.small.length, ta);
    this.timing(`${pair.command} scale:${pair.scale}`, pair.large.length, tb);
    const ratio = tb / ta;
    if (tb > 50 && ratio > this.stats.worstRatio.ratio) this.stats.worstRatio = { ratio, what: `${pair.command} scale:${pair.scale} n=${pair.n}: ${ta.toFixed(0)} ms, 2n: ${tb.toFixed(0)} ms` };
    if (ratio > 3 && tb > 100) {
      this.report(i, input(pair.large), `in-process ${pair.command} (scale ${pair.scale}, n=${pair.n} and ${2 * pair.n})`, [
        {
          check: 'time-superlinear',
          key: pair.scale,
          detail: `${pair.small.length} bytes: ${ta.toFixed(0)} ms; ${pair.large.length} bytes: ${tb.toFixed(0)} ms; ratio ${ratio.toFixed(2)} (linear: 2)`,
        },
      ]);
    }
  }

  private report(i: number, input: FuzzInput, argv: string, fails: Failure[]): void {
    for (const f of fails) {
      const cls = `${input.command}/${f.check}`;
      const signature = `${cls}/${f.key}`;
      const seen = this.stats.failures.get(signature);
      if (seen) {
        seen.count++;
        continue;
      }
      const entry: FailureEntry = { signature, cls, count: 1, first: { iteration: i, kind: input.kind, detail: f.detail, excerpt: f.excerpt, argv } };
      this.stats.failures.set(signature, entry);
      if (this.config.failuresDir) entry.first.reproducer = this.save(i, input, argv, f, signature);
      this.config.log?.(`FAIL ${signature} (iteration ${i}, ${input.kind}): ${maskAll(f.detail).slice(0, 200)}`);
    }
  }

  private save(i: number, input: FuzzInput, argv: string, f: Failure, signature: string): string {
    const dir = join(this.config.failuresDir!, `${String(++this.saved).padStart(3, '0')}-${slug(signature)}`);
    mkdirSync(dir, { recursive: true });
    const inputName = `input${input.ext}`;
    const keep = input.data.length <= 64 << 20;
    if (keep) writeFileSync(join(dir, inputName), input.data);
    const meta = {
      seed: this.config.seed,
      iteration: i,
      kind: input.kind,
      command: argv,
      check: f.check,
      signature,
      detail: maskAll(f.detail),
      excerpt: f.excerpt ? maskAll(f.excerpt) : undefined,
      mutations: input.mutations,
      input: keep ? inputName : `not saved (${input.data.length} bytes): regenerate with --replay`,
      inputBytes: input.data.length,
      replay: `npm run fuzz -- --seed ${this.config.seed} --replay ${i}`,
      rerun: input.command === 'redact' ? `node dist/cli.js redact ${inputName}` : `node dist/cli.js ${input.command} --format text --no-color ${inputName}`,
    };
    writeFileSync(join(dir, 'failure.json'), `${JSON.stringify(meta, null, 2)}\n`);
    return dir;
  }
}

