// An esbuild plugin for bundles of the analysis library that run in a browser (the JupyterLab
// extension, test/browser-library.test.ts): any Node built-in is a build error naming the file
// that imports it. web-tree-sitter's own Node-only imports (behind its environment check) get an
// empty module.

const NODE_BUILTINS = /^(node:|fs$|fs\/|path$|module$|child_process$|stream$|url$|os$|crypto$|zlib$|util$|events$|buffer$|http$|net$|worker_threads$)/;

export const browserOnly = {
  name: 'browser-only',
  setup(build) {
    build.onResolve({ filter: NODE_BUILTINS }, (args) => {
      if (/node_modules[\\/]web-tree-sitter[\\/]/.test(args.importer)) return { path: args.path, namespace: 'empty' };
      return { errors: [{ text: `${args.importer} imports the Node built-in "${args.path}"` }] };
    });
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};
