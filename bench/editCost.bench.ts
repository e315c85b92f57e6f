// `node bench/run.mjs edit-cost [--base REV] [--edits 20] [--opens 5] [--sizes 500,2000,5000]
// [--server-flags "..."] [--write]`: what an edit and an open cost the language server's main
// thread, in CPU time, at 500 to 5,000 cells, beside the server of the code at REV (built in a
// git worktree) in the same run, the two servers taking turns, both started with the node flags
// the VS Code client passes (SERVER_NODE_FLAGS) unless --server-flags says otherwise.
// CPU time is the main thread's (its /proc schedstat, in ns), so other load on the machine
// does not inflate it. Each edit is followed by two pings: when they return, the server has
// analysed and published. Writes docs/performance-edit-cost.md.
//
// The notebook: a secret read in the first cell and put into request headers that every later
// cell uses (so an edit to it reaches every cell), data work, a leak every 50 cells.

import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { flagValue } from './harness/args';
import { builtAt } from './harness/baseBuild';
import { ROOT } from './harness/config';
import { stats } from './harness/stats';
import { writeDoc } from './harness/writeDoc';
import { BenchClient } from './lsp/benchClient';
import { codeCellSources, SyncedNotebook } from './lsp/syncedNotebook';
import { generateNotebookText } from './generateNotebook';
import { SERVER_NODE_FLAGS } from '../server/src/lsp/runtimeFlags';

const arg = flagValue;
const BASE = arg('--base', '431b376');
const EDITS = Number(arg('--edits', '20'));
const SIZES = arg('--sizes', '500,2000,5000').split(',').map(Number);
/** --server-flags "...": node flags for the servers instead of SERVER_NODE_FLAGS (`""` for none). */
const SERVER_FLAGS = (process.argv.includes('--server-flags') ? arg('--server-flags', '') : SERVER_NODE_FLAGS.join(' ')).split(/\s+/).filter(Boolean);
/** Opens measured per notebook and server (each in a fresh server, as a user's first open is); the median is reported. */
const OPENS = Number(arg('--opens', '5'));

/** The project's generated notebook (bench/generateNotebook.ts, seed 1), its code cells, and an empty last cell. */
function generated(n: number): string[] {
  return [...codeCellSources(generateNotebookText(n - 1, 1)), 'x = 1'];
}

function sources(n: number): string[] {
  const cells = ['import requests\ntoken = dbutils.secrets.get("scope", "token")\nheaders = {"Authorization": f"Bearer {token}"}'];
  for (let i = 1; i < n; i++) {
    if (i % 50 === 25) cells.push(`print(headers)`);
    else cells.push(`r_${i} = requests.get("https://api.example.com/v1/items/${i}", headers=headers, timeout=30)\ndf_${i} = spark.createDataFrame(r_${i}.json()["rows"]).filter("amount > ${i}")\ndisplay(df_${i}.limit(10))`);
  }
  cells.push('x = 1');
  return cells;
}

/** CPU time of the process's main thread, ms (schedstat's first field is ns on the CPU). */
function mainThreadCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

/** CPU time of all the process's threads, ms: the main thread, V8's compiler and GC threads, nbguard's parse helper. */
function processCpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

/** headers: the notebook above; generated: the project's generated notebook (the LSP benchmark's). */
type Kind = 'headers' | 'generated';
const KINDS: Kind[] = ['headers', 'generated'];

interface Costs {
  /** The open's main-thread CPU, its CPU over all threads, and its wall time from didOpen to the first publication. */
  openMs: number;
  openAllMs: number;
  openWallMs: number;
  lastCell: number[];
  secretCell: number[];
}

async function measure(server: string, n: number, kind: Kind, nodeFlags: readonly string[] = SERVER_FLAGS, openOnly = false): Promise<Costs> {
  const client = new BenchClient(server, [...nodeFlags]);
  await client.initialize();
  const nb = new SyncedNotebook(`cost-${kind}-${n}`, kind === 'headers' ? sources(n) : generated(n));
  const idle = async () => {
    await client.ping();
    await client.ping();
  };
  await idle();
  let before = mainThreadCpuMs(client.pid);
  const allBefore = processCpuMs(client.pid);
  const sent = performance.now();
  await client.connection.sendNotification('notebookDocument/didOpen', nb.didOpen());
  await client.nextAnyPublication(120_000);
  const openWallMs = performance.now() - sent;
  await idle();
  const openMs = mainThreadCpuMs(client.pid) - before;
  const opened = { openMs, openAllMs: processCpuMs(client.pid) - allBefore, openWallMs };
  if (openOnly) {
    await client.stop();
    return { ...opened, lastCell: [], secretCell: [] };
  }
  const timed = async (cell: number, texts: readonly string[]): Promise<number[]> => {
    const costs: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      before = mainThreadCpuMs(client.pid);
      await client.connection.sendNotification('notebookDocument/didChange', nb.edit(cell, texts[i % texts.length]));
      await idle();
      costs.push(mainThreadCpuMs(client.pid) - before);
    }
    return costs;
  };
  // The last cell, read by no other; then the first, whose secret every later cell uses
  // (a new timeout on its request, so its effects are the same as before).
  const last = nb.length - 1;
  const lastCell = await timed(last, ['x = 1\nlimit = 2', 'x = 1']);
  const first = nb.text(0);
  const secretCell = process.argv.includes('--only-last') ? [] : await timed(0, [`${first}\ntimeout = 31`, first]);
  await client.stop();
  return { ...opened, lastCell, secretCell };
}

// --profile DIR: only this checkout's server, under --cpu-prof (profiles in DIR), for finding the costs.
const profileDir = process.argv.includes('--profile') ? arg('--profile', '') : undefined;
if (profileDir) {
  const kind = (process.argv.includes('--kind') ? arg('--kind', 'headers') : 'headers') as Kind;
  for (const n of SIZES) await measure(join(ROOT, 'dist', 'server.js'), n, kind, [...SERVER_FLAGS, '--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=100']);
  process.exit(0);
}

// --versus-flags "...": this checkout with SERVER_FLAGS beside this checkout with other node flags
// (to choose the flags the client passes), instead of beside the code at --base.
const VERSUS_FLAGS = process.argv.includes('--versus-flags') ? arg('--versus-flags', '').split(/\s+/).filter(Boolean) : undefined;
const here = join(ROOT, 'dist', 'server.js');
const variants: Record<string, { server: string; flags: readonly string[] }> = VERSUS_FLAGS
  ? { [`flags: ${SERVER_FLAGS.join(' ') || 'none'}`]: { server: here, flags: SERVER_FLAGS }, [`flags: ${VERSUS_FLAGS.join(' ') || 'none'}`]: { server: here, flags: VERSUS_FLAGS } }
  : { [`base (${BASE})`]: { server: join(builtAt(BASE), 'server.js'), flags: SERVER_FLAGS }, 'this checkout': { server: here, flags: SERVER_FLAGS } };
const rows: string[] = [];
const median = (xs: number[]) => stats(xs).median;
const p95 = (xs: number[]) => stats(xs).p95;
const cost = (xs: number[], f: (xs: number[]) => number) => (xs.length > 0 ? f(xs).toFixed(2) : '-');
for (const kind of KINDS) {
  for (const n of SIZES) {
    const results: Record<string, Costs> = {};
    for (const [name, { server, flags }] of Object.entries(variants)) {
      results[name] = await measure(server, n, kind, flags);
      console.error(`${kind} ${n} cells, ${name}: open ${results[name].openMs.toFixed(0)} ms, last cell ${cost(results[name].lastCell, median)} ms, first cell ${cost(results[name].secretCell, median)} ms`);
    }
    // More opens, the servers alternating; the median of all.
    const opens: Record<string, Costs[]> = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, [r]]));
    for (let i = 1; i < OPENS; i++) for (const [name, { server, flags }] of Object.entries(variants)) opens[name].push(await measure(server, n, kind, flags, true));
    for (const [name, r] of Object.entries(results)) {
      r.openMs = median(opens[name].map((o) => o.openMs));
      r.openAllMs = median(opens[name].map((o) => o.openAllMs));
      r.openWallMs = median(opens[name].map((o) => o.openWallMs));
    }
    for (const [name, r] of Object.entries(results)) {
      rows.push(`| ${kind} | ${n} | ${name} | ${r.openMs.toFixed(0)} | ${r.openAllMs.toFixed(0)} | ${r.openWallMs.toFixed(0)} | ${cost(r.lastCell, median)} | ${cost(r.lastCell, p95)} | ${cost(r.secretCell, median)} | ${cost(r.secretCell, p95)} |`);
    }
  }
}

const doc = [
  '# What an edit costs the language server',
  '',
  '<!-- Generated by `node bench/run.mjs edit-cost --write`; do not edit by hand. -->',
  '',
  `Measured on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}): the main thread's CPU time (ms) of \`dist/server.js\` beside the server of ${BASE}, through LSP with no typing pause, ${EDITS} edits each; the open is the median of ${OPENS} opens, each in a fresh server (the servers alternating), as the main thread's CPU, the CPU of all the server's threads (V8's compiler and garbage collector threads, and, from 2026-12-07, the parse helper thread that parses a notebook's cells ahead of the main thread opening it) and the wall time from didOpen to the first publication (which the machine's other load inflates). The servers run as \`node ${[...SERVER_FLAGS, 'server.js'].join(' ')}\`${SERVER_FLAGS.join(' ') === SERVER_NODE_FLAGS.join(' ') ? ', with the node flags the VS Code client gives the language server (`SERVER_NODE_FLAGS`)' : ''}. Two notebooks: *headers* reads a secret in its first cell into request headers that every later cell uses, with a leak every 50 cells; *generated* is the project's generated notebook (bench/generateNotebook.ts, the language server benchmark's), plus an empty last cell. An edit of the last cell changes nothing any other cell reads; an edit of the first changes its text but not what it computes (a new line \`timeout = 31\`).`,
  '',
  '| notebook | code cells | server | open to first diagnostics: main thread | all threads | wall | last-cell edit p50 | p95 | first-cell edit p50 | p95 |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
].join('\n');
console.log(doc);
if (process.argv.includes('--write')) console.log(`wrote ${writeDoc('docs/performance-edit-cost.md', doc)}`);
