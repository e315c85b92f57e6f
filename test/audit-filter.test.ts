// `nbguard audit --sessions`, the stateless filter of the Spark shape (docs/scale.md): one session
// line per attach, the same findings when the session lines are split over three processes (the
// union of the partitions), commands of a session line sorted by time, and malformed session lines.
// Helpers: auditRun.ts; logs: auditLog.ts.

import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, generateLog, jitter, rng } from './auditLog';
import { MIN, audit, auditAsync, useAuditFolder, write, type AuditDoc } from './auditRun';

useAuditFolder();

// ---------------------------------------------------------------------------------------------
// The stateless filter: sessions split across processes give the same findings.

describe('nbguard audit --sessions: the stateless filter', () => {
  const generated = generateLog(20240501, 40);
  let rawFile: string;
  let whole: string[];
  let sessionLines: string[];

  const findingLines = (stdout: string) => stdout.split('\n').filter((l) => l.length > 0);

  beforeAll(async () => {
    rawFile = write('big.jsonl', auditLog(jitter(generated.events, 20 * MIN, 5), { shape: 'table' }));
    const [a, b] = await Promise.all([auditAsync(['--format', 'jsonl', rawFile]), auditAsync(['--format', 'sessions', rawFile])]);
    expect(a.status, a.stderr).toBe(1);
    expect(b.status, b.stderr).toBe(0);
    whole = findingLines(a.stdout);
    sessionLines = findingLines(b.stdout);
  });

  it('writes one session line per attach', () => {
    expect(sessionLines).toHaveLength(generated.sessions);
    const ids = sessionLines.map((l) => JSON.parse(l).session);
    expect(new Set(ids).size).toBe(ids.length);
    expect(whole.length).toBeGreaterThan(20);
    const rules = new Set(whole.map((l) => JSON.parse(l).ruleId));
    expect([...rules].sort()).toEqual(['NBG101', 'NBG102', 'NBG201']);
  });

  it('gives the same findings when the sessions are split over three processes', async () => {
    // By a hash of the session id, so each partition holds sessions of many notebooks.
    const parts: string[][] = [[], [], []];
    for (const line of sessionLines) {
      const id: string = JSON.parse(line).session;
      let h = 0;
      for (const ch of id) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
      parts[h % 3].push(line);
    }
    expect(parts.every((p) => p.length > 5)).toBe(true);
    const runs = await Promise.all(parts.map((p) => auditAsync(['--sessions', '-', '--format', 'jsonl'], `${p.join('\n')}\n`)));
    for (const r of runs) expect(r.status, r.stderr).not.toBe(2);
    expect(runs.filter((r) => r.status === 1).length).toBeGreaterThan(1);
    const union = runs.flatMap((r) => findingLines(r.stdout)).sort();
    expect(union).toEqual([...whole].sort());
  });

  it('sorts the commands of a session line by time, so a shuffled list gives the same findings', () => {
    const next = rng(17);
    const shuffled = sessionLines.map((line) => {
      const s = JSON.parse(line);
      const commands = [...s.commands];
      for (let i = commands.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [commands[i], commands[j]] = [commands[j], commands[i]];
      }
      // Timestamps as ISO strings, as a Spark job may write them.
      return JSON.stringify({ ...s, commands: commands.map((c) => ({ ...c, timestamp: new Date(c.timestamp).toISOString() })) });
    });
    expect(shuffled).not.toEqual(sessionLines);
    const r = audit(['--sessions', '--format', 'jsonl', '-'], `${shuffled.join('\n')}\n`);
    expect(r.status).toBe(1);
    expect(findingLines(r.stdout).sort()).toEqual([...whole].sort());
  });

  it('reports a malformed session line and analyses the others', () => {
    const input = [sessionLines[0], '{"session": "x", "commands": []}', 'not json', ...sessionLines.slice(1)].join('\n');
    const r = audit(['--sessions', '--format', 'json'], input);
    const doc = JSON.parse(r.stdout) as AuditDoc;
    expect(doc.summary.malformedLines).toBe(2);
    expect(doc.malformedLines.map((m) => m.line)).toEqual([2, 3]);
    expect(doc.summary.sessions).toBe(sessionLines.length);
    expect(doc.findings.map((f) => JSON.stringify(f)).sort()).toEqual([...whole].sort());
  });
});
