// The Node.js flags the language server runs with (the VS Code client passes them; the LSP
// benchmark measures with them). An analysis of a large notebook makes short-lived garbage on
// every keystroke; a small young generation and V8's size-optimised heap growth collect it
// before it piles up (500-cell notebook: peak resident memory 124 MB instead of 205 MB), with
// no cap on the old generation, so the largest notebooks still fit (docs/performance-lsp.md).
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--optimize-for-size'];
