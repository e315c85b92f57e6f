// The Node.js flags the language server runs with (the VS Code client passes them; the LSP
// benchmarks measure with them). They trade memory against CPU time:
// - a young generation of at most 8 MB per semi-space: an edit's short-lived garbage dies there,
//   without filling the process with the default 16 MB ones;
// - the old generation grows by 30% between full collections instead of V8's default factor
//   (up to 4x for small heaps), so a notebook held open does not double the heap it needs.
// 500-cell notebook: peak resident memory 139 MB after 300 edits (target 150 MB), where the
// default flags reach 155-162 MB. The flags used before, `--max-semi-space-size=1
// --optimize-for-size`, held 119 MB but cost CPU: `--optimize-for-size` slows the JIT's code
// and 1 MB semi-spaces promote an edit's garbage to the old generation, whose collections grow
// with the notebook. Side by side (bench/editCost.bench.ts --versus-flags): at 5,000 cells
// opening took 2.8 s instead of 3.9 s, a last-cell edit 9.6 ms instead of 15.1 ms
// (docs/performance-lsp.md, docs/performance-edit-cost.md).
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--heap-growing-percent=30'];
