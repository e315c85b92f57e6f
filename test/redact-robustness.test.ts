// `nbguard redact` on input built to break it (issue 9, defects 5 to 7): thousands of PEM blocks
// on one line, credentials across the point where a long line is cut into windows or the input
// into reads, PEM headers that are not keys, and an internal error in the middle of a file.
// Each test checks what a user gets: the output bytes and the exit status.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { DetectorSet } from '../server/src/analysis/detectors/detectorSet';
import { LOOKAHEAD, SEGMENT } from '../server/src/analysis/redact/longLine';
import { redact } from '../server/src/analysis/redact/redactor';
import { RedactStream } from '../server/src/node/redactStream';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';

const detectors = new CompiledRules(loadRuleSet()).detectors;
const cli = resolve(__dirname, '..', 'dist', 'cli.js');
const r = (text: string) => redact(text, detectors);

const KEY_ID = 'AKIAQ3EGRSTUVWXYZ234';
const SECRET_KEY = 'wJalrXUtnFEMIK7MDENGbPxRfiCYzq8Xv3N2pQ4t';
const BODY = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'MZR9xq2Fp3bLwT5kYc8nUe0aHd6gJ4oVs1rQiNmPtXyEfBzCuDl7WhK2jO9SAvGI', 'kQ3wE5rT7yU9iO1pA3sD5fG7hJ9kL2zX4cV6bN8mQ0wE2rT4yU6iO8pA0sD2fG=='];

/** The planted credentials of the long-line tests, with what redact makes of them. */
const PLANTS = [
  { name: 'an AWS key id in a URL query', text: `https://s3.amazonaws.com/b/o?AWSAccessKeyId=${KEY_ID}&Expires=1700000000`, redacted: 'https://s3.amazonaws.com/b/o?AWSAccessKeyId=REDACTED_AWS_ACCESS_KEY&Expires=1700000000' },
  { name: 'a secret key after its credential word and a space', text: `aws_secret_access_key= ${SECRET_KEY}`, redacted: 'aws_secret_access_key= REDACTED_AWS_SECRET_ACCESS_KEY' },
  { name: 'a password in a URL', text: 'postgresql://loader:Vq3!tR8pLm2xZw@pg.internal:5432/db', redacted: 'postgresql://loader:REDACTED_CREDENTIALS@pg.internal:5432/db' },
  { name: 'a JSON-escaped PEM key', text: `{"private_key": "-----BEGIN PRIVATE KEY-----\\n${BODY.join('\\n')}\\n-----END PRIVATE KEY-----\\n"}`, redacted: '{"private_key": "REDACTED_PRIVATE_KEY\\n"}' },
];

/** Runs `data` through a RedactStream in chunks cut at `cuts` (offsets); the output and the stream. */
async function streamed(data: string | Buffer, cuts: readonly number[], segment?: number, set: DetectorSet = detectors): Promise<{ out: Buffer; stream: RedactStream }> {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  const chunks = bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
  const parts: Buffer[] = [];
  const stream = new RedactStream(set, { segment });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from(chunks), stream, sink);
  return { out: Buffer.concat(parts), stream };
}

/** A line of `length` filler characters with `plant` starting at `at` (spaces around it). */
function longLine(length: number, at: number, plant: string): string {
  const pad = 'x '.repeat(Math.ceil(length / 2) + 1);
  return `${pad.slice(0, at - 1)} ${plant} ${pad.slice(at, length)}`;
}

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
}

describe('defect 5: many PEM blocks on one line', () => {
  // 5,000 header/END pairs on one 280 KB line used to overflow the stack: exit 1, no output at all.
  const pairs = Array.from({ length: 5000 }, (_, i) => `{"k": "-----BEGIN PRIVATE KEY-----\\nMIIE${i}\\n-----END PRIVATE KEY-----\\n"}`).join(' ');
  const expected = Array.from({ length: 5000 }, () => '{"k": "REDACTED_PRIVATE_KEY\\n"}').join(' ');

  it('redacts every block, in the library', () => {
    expect(pairs.length).toBeGreaterThan(280_000);
    expect(r(`${pairs}\n`)).toBe(`${expected}\n`);
    // bare pairs, nothing between them
    const bare = '-----BEGIN PRIVATE KEY-----MIIE-----END PRIVATE KEY-----'.repeat(5000);
    expect(r(bare)).toBe('REDACTED_PRIVATE_KEY'.repeat(5000));
  });

  it('redacts every block from the command line, with the lines around it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-redact-pem-'));
    const file = join(dir, 'app.log');
    writeFileSync(file, `before ${KEY_ID}\n${pairs}\nafter\n`);
    const run = spawnSync(process.execPath, [cli, 'redact', file], { maxBuffer: 1 << 26 });
    expect(run.stderr.toString()).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.toString('latin1')).toBe(`before REDACTED_AWS_ACCESS_KEY\n${expected}\nafter\n`);
  });

  it('writes every line before one it cannot redact, then stops with status 2 (never the line unredacted)', async () => {
    // A detector set whose scan throws on one line, as an engine limit would.
    const failing = Object.assign(Object.create(Object.getPrototypeOf(detectors)) as DetectorSet, detectors, {
      unfilteredPrefixes: ['BOOM'],
      scan: (text: string) => {
        if (text.includes('BOOM')) throw new RangeError('Maximum call stack size exceeded');
        return detectors.scan(text);
      },
    });
    const input = `one ${KEY_ID}\ntwo\nthree BOOM ${KEY_ID}\nfour ${KEY_ID}\n`;
    for (const cuts of [[], [5], [input.indexOf('BOOM') + 2], [input.length - 3]]) {
      const { out, stream } = await streamed(input, cuts, undefined, failing);
      expect(out.toString('latin1'), `cuts ${cuts}`).toBe('one REDACTED_AWS_ACCESS_KEY\ntwo\n');
      expect(stream.failure).toEqual({ offset: input.indexOf('three'), message: 'RangeError: Maximum call stack size exceeded' });
    }
  });
});

describe('defect 6: credentials where a long line is cut', () => {
  // Windows of SEGMENT characters; these tests use small ones so that every offset can be tried.
  const segment = 1000;
  const lineLength = segment + LOOKAHEAD + 5000; // two windows and a tail

  for (const plant of PLANTS) {
    it(`finds ${plant.name} at every offset around the window's end`, async () => {
      for (let at = segment - plant.text.length - 8; at <= segment + 8; at++) {
        const line = longLine(lineLength, at, plant.text);
        const expected = `head\n${line.replace(plant.text, plant.redacted)}\ntail\n`;
        const input = `head\n${line}\ntail\n`;
        const { out } = await streamed(input, [5 + at + (at % 17)], segment);
        expect(out.toString('latin1') === expected, `${plant.name} at ${at}`).toBe(true);
      }
    });

    it(`finds ${plant.name} wherever the input is cut into reads`, async () => {
      const at = segment - Math.floor(plant.text.length / 2); // right across the window's end
      const input = `head\n${longLine(lineLength, at, plant.text)}\ntail\n`;
      const expected = input.replace(plant.text, plant.redacted);
      const start = 5 + at;
      for (let cut = start - 30; cut <= start + plant.text.length + 30; cut++) {
        const { out } = await streamed(input, [cut], segment);
        expect(out.toString('latin1') === expected, `cut at ${cut}`).toBe(true);
      }
      // reads of a few bytes, and reads of odd sizes
      for (const size of [7, 4093, 65_537]) {
        const cuts = Array.from({ length: Math.ceil(input.length / size) }, (_, i) => i * size);
        const { out } = await streamed(input, cuts, segment);
        expect(out.toString('latin1') === expected, `reads of ${size}`).toBe(true);
      }
    });
  }

  it('keeps a long line byte for byte when it holds no credential, CRLF and all', async () => {
    const line = Buffer.concat([Buffer.from('x '.repeat(40_000) + 'password'), Buffer.from([0xff, 0xfe]), Buffer.from(' y'.repeat(40_000))]);
    const input = Buffer.concat([line, Buffer.from('\r\n'), line, Buffer.from('\r\n'), line]);
    for (const cuts of [[], [line.length + 1], [100, 70_000, 150_000]]) {
      const { out } = await streamed(input, cuts, segment);
      expect(out.equals(input)).toBe(true);
    }
  });

  it('finds credentials in a line over 1 MiB wherever a read ends near them (real window size)', async () => {
    // Reads that end once more than 1 MiB of the line is buffered: the old stream then cut the
    // line after the last space (parting a secret key from its credential word), or 4 KB before
    // the read's end in a long token (cutting a key id in a URL query in two).
    const longQuery = `https://h.example/p?AWSAccessKeyId=${KEY_ID}&data=${'Q'.repeat(6000)}`;
    const cases = [
      { plant: PLANTS[1], ends: (start: number) => range(start - 2, start + PLANTS[1].text.length + 2, 3) },
      { plant: { name: 'a key id in a long URL', text: longQuery, redacted: longQuery.replace(KEY_ID, 'REDACTED_AWS_ACCESS_KEY') }, ends: (start: number) => range(start + 4094 + longQuery.indexOf(KEY_ID), start + 4098 + longQuery.indexOf(KEY_ID) + KEY_ID.length, 1) },
    ];
    for (const { plant, ends } of cases) {
      const input = `head\n${longLine(SEGMENT + 200_000, SEGMENT + 50_000, plant.text)}\ntail\n`;
      const expected = input.replace(plant.text, plant.redacted);
      const start = input.indexOf(plant.text);
      for (const end of ends(start)) {
        const { out } = await streamed(input, [5, end]);
        expect(out.toString('latin1') === expected, `${plant.name}: read ends at ${end - start}`).toBe(true);
      }
    }
  });

  describe('nbguard redact, with the real window size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbguard-redact-long-'));
    const secret = PLANTS[1];
    const lines: string[] = [];
    const expected: string[] = [];
    const add = (length: number, at: number, plant: (typeof PLANTS)[number]) => {
      const line = longLine(length, at, plant.text);
      lines.push(line);
      expected.push(line.replace(plant.text, plant.redacted));
    };
    // Where the old stream cut: at the first read past 1 MiB of the line (the pipe test pauses
    // its writes in the middle of the secret so that a read ends there)...
    add(1_300_000, 1_100_000, secret);
    const pauseAt = 1_100_000 + secret.text.length - 20;
    // ...and of a file read in 4 MiB pieces, at the second read with no line end (8 MiB).
    const at = lines[0].length + 1;
    add(8 * 1024 * 1024 - at + 100_000, 8 * 1024 * 1024 - at - 28, secret);
    // The window's end, with the plant across it, and just before and after.
    for (const plant of PLANTS.slice(0, 2)) {
      for (const offset of [SEGMENT - plant.text.length + 3, SEGMENT - 12, SEGMENT - 1, SEGMENT + 1]) add(SEGMENT + LOOKAHEAD + 200_000, offset, plant);
    }
    const input = `${lines.join('\n')}\nlast ${KEY_ID}\n`;
    const output = `${expected.join('\n')}\nlast REDACTED_AWS_ACCESS_KEY\n`;
    const file = join(dir, 'long.log');
    writeFileSync(file, input, 'latin1');

    it('from a file', () => {
      const out = execFileSync(process.execPath, [cli, 'redact', file], { maxBuffer: 1 << 27 });
      expect(out.toString('latin1') === output).toBe(true);
    });

    it('from a pipe', async () => {
      const child = spawn(process.execPath, [cli, 'redact'], { stdio: ['pipe', 'pipe', 'inherit'] });
      const parts: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => parts.push(b));
      const exited = new Promise<number | null>((done) => child.on('close', done));
      const bytes = Buffer.from(input, 'latin1');
      child.stdin.write(bytes.subarray(0, pauseAt));
      await new Promise((done) => setTimeout(done, 300));
      child.stdin.end(bytes.subarray(pauseAt));
      expect(await exited).toBe(0);
      expect(Buffer.concat(parts).toString('latin1') === output).toBe(true);
    });
  });
});

describe('defect 7: a PEM header that is not a key', () => {
  const log = ['INFO loader: started', '26/11/22 04:01:02 INFO FileScanRDD: Reading File path: s3a://bucket/events/part-00001.snappy.parquet', '\tat org.apache.spark.sql.execution.FileScanRDD$$anon$1.hasNext(FileScanRDD.scala:116)', 'Done', `INFO key id ${KEY_ID}`, ''];
  const logOut = log.join('\n').replace(KEY_ID, 'REDACTED_AWS_ACCESS_KEY');

  it('redacts only a lone header quoted in a log, and the rest of the log as usual', () => {
    for (const header of ['-----BEGIN PRIVATE KEY-----', 'ERROR key file must start with -----BEGIN RSA PRIVATE KEY----- (got "ssh-rsa")', 'key: -----BEGIN OPENSSH PRIVATE KEY-----', '{"msg": "-----BEGIN PRIVATE KEY-----",']) {
      const out = header.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'REDACTED_PRIVATE_KEY');
      expect(r(`${header}\n${log.join('\n')}`)).toBe(`${out}\n${logOut}`);
      expect(r(`${header} ${log[1]}\n${log.join('\n')}`)).toBe(`${out} ${log[1]}\n${logOut}`);
    }
  });

  it('does not take a BEGIN and an END of another key type for a key', () => {
    const text = `WARN expected -----BEGIN PRIVATE KEY-----\n${log.join('\n')}WARN but found -----END RSA PRIVATE KEY-----\n${log.join('\n')}`;
    expect(r(text)).toBe(`WARN expected REDACTED_PRIVATE_KEY\n${logOut}WARN but found -----END RSA PRIVATE KEY-----\n${logOut}`);
  });

  it('still redacts keys: across lines, in notebook JSON, quoted, encrypted, flattened, CRLF, cut off', () => {
    const K = 'REDACTED_PRIVATE_KEY';
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', ...BODY, '-----END RSA PRIVATE KEY-----'];
    expect(r(`a\n${pem.join('\n')}\nb ${KEY_ID}\n`)).toBe(`a\n${pem.map(() => K).join('\n')}\nb REDACTED_AWS_ACCESS_KEY\n`);
    expect(r(`a\r\n${pem.join('\r\n')}\r\nb\r\n`)).toBe(`a\r\n${pem.map(() => K).join('\r\n')}\r\nb\r\n`);
    // an .ipynb source list: quotes, \n escapes and commas stay, the JSON stays valid
    const cell = ['  "source": [', '    "KEY = \\"\\"\\"-----BEGIN RSA PRIVATE KEY-----\\n",', ...BODY.map((l) => `    "${l}\\n",`), '    "-----END RSA PRIVATE KEY-----\\"\\"\\"\\n",', '    "print(KEY)"', '  ]'];
    const cellOut = ['  "source": [', `    "KEY = \\"\\"\\"${K}\\n",`, ...BODY.map(() => `    "${K}\\n",`), `    "${K}\\"\\"\\"\\n",`, '    "print(KEY)"', '  ]'];
    expect(r(cell.join('\n'))).toBe(cellOut.join('\n'));
    // Python, indented, encrypted with its Proc-Type and DEK-Info headers
    const enc = ['key = """-----BEGIN RSA PRIVATE KEY-----', '    Proc-Type: 4,ENCRYPTED', '    DEK-Info: AES-128-CBC,34F09A4FC8DE22B5', '', ...BODY.map((l) => `    ${l}`), '    -----END RSA PRIVATE KEY-----"""', 'print(key)'];
    expect(r(enc.join('\n'))).toBe([`key = """${K}`, `    ${K}`, `    ${K}`, '', ...BODY.map(() => `    ${K}`), `    ${K}"""`, 'print(key)'].join('\n'));
    // flattened to one line with spaces, as an environment variable holds it
    expect(r(`PK=-----BEGIN PRIVATE KEY----- ${BODY.join(' ')} -----END PRIVATE KEY----- next`)).toBe(`PK=${K} next`);
    // cut off before its END (a truncated log line, `head` of a key file): its body is still key material
    expect(r(`${pem.slice(0, 3).join('\n')}\n${log.join('\n')}`)).toBe(`${K}\n${K}\n${K}\n${logOut}`);
    expect(r(`{"k": "-----BEGIN PRIVATE KEY-----\\n${BODY[0]}\\n${BODY[1].slice(0, 20)}", "n": 1}`)).toBe(`{"k": "${K}", "n": 1}`);
  });

  it('gives up on a block after a bounded number of lines without an END', () => {
    const lines = Array.from({ length: 400 }, (_, i) => BODY[i % 2]);
    const out = r(`-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n`).split('\n');
    expect(out.slice(0, 200).every((l) => l === 'REDACTED_PRIVATE_KEY')).toBe(true);
    expect(out.slice(300, 400)).toEqual(lines.slice(299, 399));
  });

  it('gives the same output through the stream wherever the input is cut', async () => {
    const text = `x\nWARN -----BEGIN PRIVATE KEY-----\n${log.join('\n')}\n-----BEGIN RSA PRIVATE KEY-----\n${BODY.join('\n')}\n-----END RSA PRIVATE KEY-----\n${log.join('\n')}`;
    const expected = r(text);
    for (let cut = 0; cut <= text.length; cut++) {
      const { out } = await streamed(text, [cut, cut + 3]);
      expect(out.toString('latin1'), `cut at ${cut}`).toBe(expected);
    }
  });
});

describe('memory', () => {
  it('redacts a 48 MB line from a pipe in a heap far smaller than the line', () => {
    const line = `${'x '.repeat(12_000_000)}${KEY_ID}${' y'.repeat(12_000_000)}\n`;
    const run = spawnSync(process.execPath, ['--max-old-space-size=40', cli, 'redact'], { input: line, maxBuffer: 1 << 27 });
    expect(run.status).toBe(0);
    expect(run.stdout.toString('latin1') === line.replace(KEY_ID, 'REDACTED_AWS_ACCESS_KEY')).toBe(true);
  });
});

describe('a writer that reuses its buffer once a write is done', () => {
  /** Writes each read into the same buffer, the next only after the previous write's callback. */
  async function throughOneBuffer(reads: readonly string[], slowReader: boolean): Promise<string> {
    const stream = new RedactStream(detectors);
    const parts: Buffer[] = [];
    // A fast reader takes each chunk as it comes; a slow one reads everything at the end.
    if (!slowReader) stream.on('data', (chunk: Buffer) => parts.push(Buffer.from(chunk)));
    const buffer = Buffer.alloc(Math.max(...reads.map((read) => read.length)));
    for (const read of reads) {
      const n = buffer.write(read, 'latin1');
      await new Promise<void>((done) => stream.write(buffer.subarray(0, n), () => done()));
    }
    await new Promise<void>((done) => stream.end(done));
    if (slowReader) for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(parts).toString('latin1');
  }

  it('gets back exactly the redacted text: the key is never let through by a later read', async () => {
    const reads = ['x\n' + 'A'.repeat(20), `\n ${KEY_ID}`];
    expect(await throughOneBuffer(reads, false)).toBe(r(reads.join('')));
    const lines = ['just a log line here\n', `${KEY_ID}\n`, 'one\n', `key ${KEY_ID}\n`];
    expect(await throughOneBuffer(lines, true)).toBe(r(lines.join('')));
    expect(r(lines.join(''))).not.toContain(KEY_ID);
  });
});
