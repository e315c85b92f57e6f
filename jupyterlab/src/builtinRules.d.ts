// The built-in rules, bundled as texts by bundle.mjs.
declare module 'nbguard:builtin-rules' {
  const folder: import('../../server/src/analysis').RuleFolder;
  export default folder;
}
