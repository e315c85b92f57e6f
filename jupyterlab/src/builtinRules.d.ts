// The built-in rules, parsed and validated at build time (scripts/builtinRules.mjs), bundled by bundle.mjs.
declare module 'nbguard:builtin-rules' {
  const folder: import('../../server/src/analysis').RuleFolder;
  export default folder;
}
