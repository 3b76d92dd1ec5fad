// The web client's types are generated from the server's /openapi.json (web/shared/openapi.json →
// shared/src/api/schema.gen.ts). This fails when the server's description has moved on without
// regenerating them, so a response shape cannot change under the consoles unnoticed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startCloudphone } from './harness.mjs';

const saved = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'openapi.json');
let cp;

before(async () => { cp = await startCloudphone(); });
after(async () => { await cp?.stop(); });

// Stable form: the version string changes with every build, everything else must be equal.
function normalize(doc) {
  return JSON.stringify({ ...doc, info: { ...doc.info, version: '' } }, null, 2);
}

test('web/shared/openapi.json is the running server\'s /openapi.json', async () => {
  const res = await fetch(`${cp.base}/openapi.json`);
  assert.equal(res.status, 200);
  const live = normalize(await res.json());
  const committed = normalize(JSON.parse(await readFile(saved, 'utf8')));
  assert.ok(live === committed,
    'the API description changed: regenerate the client types with\n' +
    `  cd web && npm run gen:api -- ${cp.base}   (while cloudphone up runs)\n` +
    'and commit web/shared/openapi.json and web/shared/src/api/schema.gen.ts');
});

test('every JSON success response is described (no bare 200s)', async () => {
  const doc = await (await fetch(`${cp.base}/openapi.json`)).json();
  const bare = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      for (const [code, r] of Object.entries(op.responses)) {
        if (/^2/.test(code) && code !== '204' && !r.content) bare.push(`${method.toUpperCase()} ${p} ${code}`);
      }
    }
  }
  assert.deepEqual(bare, []);
});
