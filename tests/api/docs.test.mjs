// The state diagram in docs/ is the one the binary's state table produces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../lib/server.mjs';

test('docs/case-states.md shows exactly the state machine of the binary', () => {
  const r = runCli(['states']);
  assert.equal(r.status, 0, r.stderr);
  const doc = readFileSync(join(ROOT, 'docs', 'case-states.md'), 'utf8');
  const m = doc.match(/```mermaid\n([\s\S]*?)```/);
  assert.ok(m, 'the doc has a mermaid block');
  assert.equal(m[1], r.stdout, 'regenerate with: build/jiefen states');
});
