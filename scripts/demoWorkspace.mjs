// The demo's workspace (scripts/demo.mjs): a folder of the user's that gets the example notebooks
// it does not have yet. A file already there, edited or the user's own, is never replaced, and
// nothing is ever deleted: stopping the demo must not lose anyone's work.

import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Copies into `workspace` (created if missing) each entry of `examples` it lacks; returns their names. */
export function seedWorkspace(examples, workspace) {
  mkdirSync(workspace, { recursive: true });
  const added = [];
  for (const name of readdirSync(examples).sort()) {
    if (existsSync(join(workspace, name))) continue;
    cpSync(join(examples, name), join(workspace, name), { recursive: true });
    added.push(name);
  }
  return added;
}
