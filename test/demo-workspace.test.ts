// `npm run demo`'s workspace: the examples are copied in when missing, a user's file or an edited
// example is never replaced, and nothing is deleted (scripts/demoWorkspace.mjs).

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { seedWorkspace } from '../scripts/demoWorkspace.mjs';

const examples = resolve(__dirname, '..', 'examples');

describe('the demo workspace', () => {
  it('gets the examples on the first run and keeps the user\'s work on the next', () => {
    const workspace = join(mkdtempSync(join(tmpdir(), 'nbguard-demo-ws-')), 'nbguard-demo');
    expect(seedWorkspace(examples, workspace)).toEqual(readdirSync(examples).sort());
    // The user edits an example, makes a notebook of their own and deletes another example.
    writeFileSync(join(workspace, 'jdbc_ingest.ipynb'), '{"edited": true}');
    mkdirSync(join(workspace, 'mine'));
    writeFileSync(join(workspace, 'mine', 'new.ipynb'), '{"cells": []}');
    const removed = 'databricks_vendor_landing.py';
    // The next run: only what is missing comes back; the edit and the new notebook stay.
    rmSync(join(workspace, removed));
    expect(seedWorkspace(examples, workspace)).toEqual([removed]);
    expect(readFileSync(join(workspace, 'jdbc_ingest.ipynb'), 'utf8')).toBe('{"edited": true}');
    expect(readFileSync(join(workspace, 'mine', 'new.ipynb'), 'utf8')).toBe('{"cells": []}');
  });
});
