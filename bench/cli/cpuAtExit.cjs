// Preloaded (`node --require`) into each command bench/cli.bench.ts runs: at exit, writes the
// process's CPU time (user + system, every thread: the wasm compiler's too) and its wall time
// since the process started, in ms, to the file named by NBGUARD_CPU_AT_EXIT.
const { writeFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
process.on('exit', () => {
  const cpu = process.cpuUsage();
  writeFileSync(process.env.NBGUARD_CPU_AT_EXIT, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() }));
});
