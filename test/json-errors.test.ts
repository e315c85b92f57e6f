// Broken JSON is reported by line, column and a reason in nbguard's words, never by quoting the
// input (a notebook or an audit line may hold a credential right where it breaks). The scanner
// that finds the place must agree with JSON.parse on what is valid.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeJsonError, lineColumnAt, locateJsonError } from '../server/src/analysis/notebook/jsonError';
import { prng } from '../bench/generator/prng';

const cli = resolve(__dirname, '..', 'dist', 'cli.js');
const SECRET = 'hunt3r2PwQx9';

describe('locateJsonError', () => {
  it('points at the first character that cannot be JSON', () => {
    const cases: [string, number, RegExp][] = [
      [`{"pw": ${SECRET}}`, 7, /value should be/],
      ['{"a": 1,}', 8, /property name/],
      ['{"a" 1}', 5, /':'/],
      ['[1, 2', 5, /end of input/],
      ['{"a": "x\ny"}', 8, /control character/],
      ['{"a": "\\q"}', 7, /unknown escape/],
      ['{"a": 01}', 7, /after a property value/],
      ['{} x', 3, /after the end/],
      ['[1 2]', 3, /after an array element/],
    ];
    for (const [text, offset, reason] of cases) {
      const place = locateJsonError(text);
      expect(place, text).toBeDefined();
      expect(place!.offset, text).toBe(offset);
      expect(place!.reason, text).toMatch(reason);
    }
  });

  it('agrees with JSON.parse on 20,000 mutated documents, and never quotes them', () => {
    const random = prng(7);
    const seed = JSON.stringify({ cells: [{ source: ['x = 1\n', `pw = "${SECRET}"`], outputs: [{ n: -1.5e3, t: true, z: null }] }], s: 'a\\u00e9\\n' });
    const alphabet = '{}[]:,"\\ \n-0123456789eE.tfnu' + SECRET;
    for (let k = 0; k < 20_000; k++) {
      let text = seed;
      for (let m = 1 + Math.floor(random() * 3); m > 0; m--) {
        const at = Math.floor(random() * (text.length + 1));
        const op = random();
        const ch = alphabet[Math.floor(random() * alphabet.length)];
        text = op < 0.4 ? text.slice(0, at) + text.slice(at + 1) : op < 0.8 ? text.slice(0, at) + ch + text.slice(at) : text.slice(0, at);
      }
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      const place = locateJsonError(text);
      expect(place === undefined, text).toBe(valid);
      if (!valid) expect(describeJsonError(text)).not.toContain(SECRET);
    }
  });

  it('is iterative: a million open brackets are an unexpected end, not a stack overflow', () => {
    expect(locateJsonError('['.repeat(1_000_000))?.reason).toBe('unexpected end of input');
    expect(lineColumnAt('a\nbc\nd', 4)).toEqual({ line: 2, column: 3 });
  });
});

describe('the CLI reports broken JSON without quoting it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nbguard-json-'));

  it('scan: a broken notebook', () => {
    writeFileSync(join(dir, 'broken.ipynb'), `{"cells": [], "metadata": {"pw": ${SECRET}}}`);
    const r = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', 'broken.ipynb'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.stdout) as { errors: { file: string; message: string }[] };
    expect(doc.errors[0].message).toBe('not valid JSON at line 1, column 34: an unexpected character where a value should be');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('audit: a malformed line and a malformed session line', () => {
    const line = `{"serviceName": "notebook", "actionName": "runCommand", "requestParams": {"commandText": ${SECRET}}}`;
    for (const args of [['--format', 'json'], ['--format', 'text'], ['--sessions', '--format', 'json']]) {
      const r = spawnSync(process.execPath, [cli, 'audit', ...args, '-'], { cwd: dir, input: `${line}\n`, encoding: 'utf8' });
      expect(r.status, r.stderr).toBeLessThan(2);
      expect(r.stdout + r.stderr, args.join(' ')).toContain('not valid JSON at column');
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain(SECRET);
    }
  });
});
