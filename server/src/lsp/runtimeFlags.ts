// The Node.js flags the language server runs with (the VS Code client passes them; the LSP
// benchmark measures with them). A small young generation keeps the resident memory of a
// server holding a large notebook low at little CPU cost; the old generation is not capped, so
// the largest notebooks still fit.
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
