// The checks every run must pass. Each returns the failures it found as { check, key, detail }:
// `check` is the class (one id per kind of defect), `key` tells distinct instances of a class
// apart for de-duplication (a secret id and format, an error's first line without numbers).

import { carriesSecretMaterial, leakedCopies, leakedLines, mask, maskAll, type PlantedInInput } from './plant';

export type CheckId =
  | 'crash' // an exception escaped the command function (in-process)
  | 'signal' // the child process was killed by a signal (abort, out of memory)
  | 'timeout' // the child process did not finish in time
  | 'stack-trace' // standard error holds a JavaScript stack trace or an engine error
  | 'exit-code' // an exit status outside {0, 1, 2}
  | 'internal-error' // the report says a file or command could not be analysed because of an internal error
  | 'leak' // a whole planted credential in standard output or standard error
  | 'redact-leak' // redact's output holds a whole planted credential
  | 'redact-line-count' // redact changed the number of lines
  | 'redact-changed-line' // redact changed a line that carries no credential
  | 'skip-silent' // the text report says a cell was skipped, the json/sarif report does not
  | 'time-superlinear'; // twice the input took more than three times as long

export interface Failure {
  readonly check: CheckId;
  readonly key: string;
  readonly detail: string;
  /** A short masked excerpt of the offending output. */
  readonly excerpt?: string;
}

export interface RunOutput {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number | null;
  readonly signal?: string | null;
  readonly timedOut?: boolean;
  /** In-process: what the command function threw. */
  readonly thrown?: Error;
}

/** Numbers and quoted text out of a message, so one defect is one key. */
export function normalise(message: string): string {
  return message
    .replace(/'[^']*'|"[^"]*"/g, 'S')
    .replace(/\d+/g, 'N')
    .replace(/\/[\w./-]+/g, 'P')
    .slice(0, 100);
}

function excerptAround(text: string, needle: string, width = 120): string {
  const i = text.indexOf(needle);
  if (i < 0) return maskAll(text.slice(0, width * 2));
  return maskAll(text.slice(Math.max(0, i - width), i + needle.length + width));
}

const STACK = /^\s+at .+(?::\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;
const ENGINE = /Maximum call stack size exceeded|RangeError|TypeError|ReferenceError|RuntimeError|Aborted\(|FATAL ERROR|heap out of memory|unreachable|memory access out of bounds/;

export function processChecks(run: RunOutput): Failure[] {
  const out: Failure[] = [];
  const stderr = run.stderr.toString('latin1');
  if (run.thrown) {
    const msg = `${run.thrown.name}: ${run.thrown.message}`;
    out.push({ check: 'crash', key: normalise(msg), detail: maskAll((run.thrown.stack ?? msg).slice(0, 2000)) });
  }
  if (run.timedOut) out.push({ check: 'timeout', key: 'timeout', detail: 'the process did not finish in time' });
  else if (run.signal) out.push({ check: 'signal', key: run.signal, detail: `killed by ${run.signal}; stderr: ${maskAll(stderr.slice(-1000))}` });
  if (STACK.test(stderr) || ENGINE.test(stderr)) {
    const line = stderr.split('\n').find((l) => ENGINE.test(l)) ?? stderr.split('\n').find((l) => l.trim()) ?? '';
    out.push({ check: 'stack-trace', key: normalise(line), detail: maskAll(stderr.slice(0, 2000)) });
  }
  if (!run.thrown && !run.timedOut && !run.signal && (run.exitCode === null || ![0, 1, 2].includes(run.exitCode))) {
    out.push({ check: 'exit-code', key: String(run.exitCode), detail: `exit status ${run.exitCode}` });
  }
  return out;
}

const INTERNAL = /could not be analysed: ([^\n"]*)|(Maximum call stack size exceeded|Cannot read properties of (?:undefined|null)[^\n"]*|\b[\w.]{1,80} is not (?:a function|iterable)|RuntimeError: (?:Aborted|unreachable|memory access)[^\n"]*|Aborted\([^\n"]*\))/;

/** The report of scan or audit names an internal error (not an input error): the file or command went unanalysed. */
export function internalErrorChecks(stdout: string): Failure[] {
  const m = INTERNAL.exec(stdout);
  if (!m) return [];
  return [{ check: 'internal-error', key: normalise(m[1] ?? m[2]), detail: maskAll(m[0].slice(0, 300)), excerpt: maskAll(stdout.slice(Math.max(0, m.index - 200), m.index + 300)) }];
}

export function leakChecks(where: string, text: string, secrets: readonly PlantedInInput[], check: CheckId = 'leak'): Failure[] {
  const out: Failure[] = [];
  for (const s of secrets) {
    if (leakedCopies(text, s) > 0) out.push({ check, key: `${s.id}@${where}`, detail: `${where} holds the whole planted ${s.id} (${mask(s.value)})`, excerpt: excerptAround(text, s.value) });
  }
  return out;
}

/** Redact's output, line by line against its input: no line may keep an intact credential. */
export function redactLeakChecks(where: string, input: Buffer, output: Buffer, secrets: readonly PlantedInInput[]): Failure[] {
  const out: Failure[] = [];
  const a = input.toString('latin1');
  const b = output.toString('latin1');
  for (const s of secrets) {
    const lines = leakedLines(a, b, s);
    if (lines.length > 0) {
      const line = b.split('\n')[lines[0]] ?? '';
      out.push({ check: 'redact-leak', key: `${s.id}@${where}`, detail: `${where} keeps the whole planted ${s.id} (${mask(s.value)}) on ${lines.length} line(s), first line ${lines[0] + 1}`, excerpt: excerptAround(line, s.value) });
    }
  }
  return out;
}

/**
 * Redact keeps every line that carries no credential byte for byte, and the number of lines.
 * Input and output are compared as latin1 text (bytes), split at \n.
 */
export function redactLineChecks(input: Buffer, output: Buffer): Failure[] {
  const a = input.toString('latin1').split('\n');
  const b = output.toString('latin1').split('\n');
  const out: Failure[] = [];
  if (a.length !== b.length) {
    out.push({ check: 'redact-line-count', key: a.length > b.length ? 'fewer' : 'more', detail: `input has ${a.length} lines, output ${b.length}` });
    return out;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i] || carriesSecretMaterial(a[i])) continue;
    // The last piece of a key body cut short (a truncated input): key material, rightly redacted.
    if (i > 0 && /^[\s"']*[A-Za-z0-9+/=]+[\s"',]*$/.test(a[i]) && /PRIVATE KEY|[A-Za-z0-9+/=]{16,}/.test(a[i - 1]) && carriesSecretMaterial(a[i - 1])) continue;
    // the first line that changed, and what kind of line it follows
    let prev = '';
    for (let j = i - 1; j >= 0 && j > i - 2000; j--) {
      if (/PRIVATE KEY/.test(a[j])) {
        prev = 'after a PRIVATE KEY line';
        break;
      }
    }
    out.push({
      check: 'redact-changed-line',
      key: prev || (a[i].length > 100_000 ? 'long line' : 'line'),
      detail: `line ${i + 1} (${a[i].length} bytes) changed ${prev}`,
      excerpt: `in:  ${maskAll(a[i].slice(0, 200))}\nout: ${maskAll(b[i].slice(0, 200))}`,
    });
    break;
  }
  return out;
}

/** A scan whose text report says a cell was skipped must say so in json and sarif too. */
export function skipChecks(text: string, others: Record<string, string>): Failure[] {
  const skipped = /nested[^\n]*(?:skipped|not analysed)/.test(text);
  if (!skipped) return [];
  const out: Failure[] = [];
  for (const [format, report] of Object.entries(others)) {
    if (!/nested|skipped|not analysed/.test(report)) out.push({ check: 'skip-silent', key: format, detail: `the text report says a cell was skipped; the ${format} report does not say so` });
  }
  return out;
}
