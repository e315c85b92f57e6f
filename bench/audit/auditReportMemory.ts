// The memory section of docs/performance-audit.md: peak RSS over prefixes of the same log and
// over the whole log, what the sessionizer holds at each point with its idle timeout and without,
// and the runs with V8's old space capped that show the live part of the heap.

import { IDLE_TIMEOUT_MINUTES, LATENESS_MINUTES, LOG_SHAPE, MIB } from './config';
import type { AuditBenchRun } from './auditReport';
import { medianRun, mibOf, n0, pct, s2 } from './auditReportFormat';
import type { ProcessRun } from './processes';

export function memorySection(run: AuditBenchRun): string[] {
  const g = run.log;
  const p = run.prefix;
  const ratio = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(1)}x` : 'n/a');
  const heldMib = (b: number) => `${(b / MIB).toFixed(0)} MiB`;
  const capped = run.sessionizeCapped;
  const p1 = run.partitioned.find((x) => x.processes === 1);
  const single = medianRun(run.single);
  const window = (IDLE_TIMEOUT_MINUTES + LATENESS_MINUTES) / 60;
  const idleHours = IDLE_TIMEOUT_MINUTES / 60;
  // The prefix, the longer prefixes and the whole log, with their sessionize-only runs.
  const points = [{ point: p, sessionize: run.sessionizePrefix }, ...run.memory, { point: g.end, sessionize: run.sessionize }];
  const cols = points.map(({ point }, i) => (i === points.length - 1 ? `${(point.bytes / MIB).toFixed(0)} MiB (the log)` : `${(point.bytes / MIB).toFixed(0)} MiB prefix`));
  const row = (label: string, cell: (x: (typeof points)[number], i: number) => string) => `| ${label} | ${points.map(cell).join(' | ')} |`;
  const only = (first?: number, last?: number) => (_: unknown, i: number) => mibOf(i === 0 ? first : i === points.length - 1 ? last : undefined).replace('n/a', '–');
  const held = (h: { sessions: number; commands: number; bytes: number }) => `${n0(h.sessions)}, ${n0(h.commands)} (${heldMib(h.bytes)})`;
  const end = g.end;
  const jsonlGrowth = (single.maxRssKb ?? 0) / (run.prefixRun.maxRssKb ?? Infinity);
  const heldGrowth = end.held.bytes / Math.max(1, p.held.bytes);
  const cut = 1 - end.held.commands / Math.max(1, end.heldWithoutIdle.commands);
  const idleFree = points.filter(({ point }) => point.hours < window);
  const perHour = g.attaches / ((g.lastTime - g.firstTime) / 3_600_000);
  const rssGrowthMib = ((run.sessionize.maxRssKb ?? 0) - (run.sessionizePrefix.maxRssKb ?? 0)) / 1024;
  return [
    '## Memory: does it grow with the log?',
    '',
    `The same commands over prefixes of the same log (the same notebooks and sessions so far) and over the whole log; the first ${(p.bytes / MIB).toFixed(0)} MiB also with the analysis. The "held" rows are counted by the generator: the sessions the sessionizer has not handed on at that point, with its idle timeout (\`--idle-timeout\`, ${idleHours} h, the default) and as it would be without one.`,
    '',
    `| | ${cols.join(' | ')} |`,
    `|---|${points.map(() => '---:').join('|')}|`,
    row('Log bytes', ({ point }) => n0(point.bytes)),
    row('Hours of log', ({ point }) => point.hours.toFixed(1)),
    row('Notebooks seen so far', ({ point }) => n0(point.notebooks)),
    row('Held by the sessionizer: sessions, commands (command text)', ({ point }) => held(point.held)),
    row('Held without an idle timeout', ({ point }) => held(point.heldWithoutIdle)),
    row(`Sessions attached in the last ${window} h (idle timeout + lateness)`, ({ point }) => n0(point.attachedInWindow)),
    row('Peak RSS of `audit --format sessions` (sessionize only)', ({ sessionize }) => mibOf(sessionize.maxRssKb)),
    row('Peak RSS of `audit --format jsonl` (sessionize + analyse)', only(run.prefixRun.maxRssKb, single.maxRssKb)),
    ...(p1 ? [row('Peak RSS of `audit --sessions -` (analyse only)', only(run.analysePrefix.maxRssKb, p1.runs[0].maxRssKb))] : []),
    '',
    `Peak RSS of the single process is ${mibOf(single.maxRssKb)} over the whole log against ${mibOf(run.prefixRun.maxRssKb)} over the first ${(p.bytes / MIB).toFixed(0)} MiB (${ratio(single.maxRssKb, run.prefixRun.maxRssKb)} for ${(g.bytes / p.bytes).toFixed(1)}x the log)${jsonlGrowth > 1.15 ? ': it still grows with the log' : ': about the same'}. Sessionizing alone goes ${points.map(({ sessionize }) => mibOf(sessionize.maxRssKb)).join(' → ')}${p1 ? `; analysing alone (\`--sessions -\`, one session at a time) ${mibOf(run.analysePrefix.maxRssKb)} → ${mibOf(p1.runs[0].maxRssKb)}` : ''}.`,
    '',
    `What the sessionizer holds: a session is handed on once the log has moved \`--lateness\` (${LATENESS_MINUTES} minutes) past its end, and it ends at the next attach of its notebook or after ${idleHours} hours without an event of its notebook, whichever comes first; a notebook with nothing open is forgotten ${window} hours after its last session ended. So it holds the sessions of the notebooks that had an event in the last ${window} hours (and, for ${LATENESS_MINUTES} minutes, the session before a re-attach): at most the sessions attached in that time and those already running at its start.`,
    '',
    ...(idleFree.length > 0
      ? [
          `- Up to hour ${window} nothing has been idle that long, so the idle timeout changes nothing: the sessionizer holds the same either way, ${idleFree.map(({ point }) => `${n0(point.held.sessions)} sessions at ${(point.bytes / MIB).toFixed(0)} MiB (hour ${point.hours.toFixed(1)})`).join(', ')}.${p.hours < window ? ` The ${(p.bytes / MIB).toFixed(0)} MiB prefix is inside that time, so the prefix-to-whole comparison sees the idle timeout only at its larger end.` : ''}`,
        ]
      : []),
    `- At the end (hour ${end.hours.toFixed(0)}) the idle timeout has handed on the sessions of notebooks idle for ${window} hours or more: the sessionizer holds ${n0(end.held.sessions)} sessions (${n0(end.held.commands)} commands, ${heldMib(end.held.bytes)} of command text) instead of ${n0(end.heldWithoutIdle.sessions)} (${n0(end.heldWithoutIdle.commands)}, ${heldMib(end.heldWithoutIdle.bytes)}), ${pct(cut)} fewer commands.`,
    `- ${heldGrowth > 1.15 ? 'It still grows along this log' : 'It stays about the same along this log'} (${points.map(({ point }) => n0(point.held.sessions)).join(' → ')} sessions, ${heldGrowth.toFixed(1)}x the command text from the ${(p.bytes / MIB).toFixed(0)} MiB prefix to the end)${end.heldWithoutIdle.commands > end.held.commands * 1.05 ? `, more slowly than without the idle timeout (${points.map(({ point }) => n0(point.heldWithoutIdle.sessions)).join(' → ')})` : ''}. The bound is the sessions of the last ${window} hours: this workspace attaches about ${n0(perHour)} sessions an hour, ${n0(end.attachedInWindow)} in the last ${window} hours of the log${end.held.sessions < 0.9 * end.attachedInWindow ? `, and ${pct(LOG_SHAPE.newNotebook)} of sessions go to a notebook never seen before, so over these ${((g.lastTime - g.firstTime) / 3_600_000).toFixed(0)} hours those sessions spread over more and more distinct notebooks and the held count approaches the bound without reaching it (${pct(end.held.sessions / end.attachedInWindow)} of it at the end). Whether it levels off there would take a longer log to show` : `, and the held count is at that bound`}; without the idle timeout there is no bound but the number of notebooks.`,
    `- Peak RSS grows more than the data held: sessionizing alone peaks ${rssGrowthMib.toFixed(0)} MiB higher over the whole log than over the prefix, for ${heldMib(end.held.bytes - p.held.bytes)} more command text held. Much of an uncapped peak is garbage V8 has not collected yet (it grows the heap generously when memory is plentiful); capping the old space shows the live part:`,
    '',
    ...[capped ? cappedLine('`--format sessions` over the whole log', capped, run.sessionize) : undefined, run.analyseCapped ? cappedLine(`\`--sessions -\` over the ${(p.bytes / MIB).toFixed(0)} MiB prefix's session lines`, run.analyseCapped, run.analysePrefix) : undefined].filter((x): x is string => x !== undefined),
    '',
    `So one process over a long log needs memory for the sessions of the notebooks active within the last ${window} hours (here ${n0(end.held.sessions)} sessions at hour ${end.hours.toFixed(0)}), not for every notebook ever attached; the Spark shape below holds one session at a time in nbguard, sessionizing being Spark's job there.`,
    '',
  ];
}

function cappedLine(what: string, capped: { capMib: number; run: ProcessRun }, uncapped: ProcessRun): string {
  const r = capped.run;
  return r.status === 0 || r.status === 1
    ? `- ${what} with \`node --max-old-space-size=${capped.capMib}\`: completes in ${s2(r.seconds)} (uncapped ${s2(uncapped.seconds)}), peak RSS ${mibOf(r.maxRssKb)} (uncapped ${mibOf(uncapped.maxRssKb)}): its live heap stays under ${capped.capMib} MiB.`
    : `- ${what} with \`node --max-old-space-size=${capped.capMib}\`: fails (status ${r.status}): its live heap needs more than ${capped.capMib} MiB.`;
}
