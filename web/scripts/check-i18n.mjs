#!/usr/bin/env node
// Fails (exit 1) when a translation is missing: a key present in one language and not the
// other, an empty string, placeholders that differ, or a key used in the code (t('…')) that
// neither language has.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const localesDir = path.join(web, 'shared', 'src', 'i18n', 'locales');
const LANGS = ['en-US', 'zh-CN'];

const dicts = {};
for (const l of LANGS) dicts[l] = JSON.parse(await readFile(path.join(localesDir, `${l}.json`), 'utf8'));

const problems = [];
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
const allKeys = new Set(LANGS.flatMap((l) => Object.keys(dicts[l])));
for (const k of [...allKeys].sort()) {
  for (const l of LANGS) {
    const v = dicts[l][k];
    if (v === undefined) problems.push(`${l}: missing key "${k}"`);
    else if (typeof v !== 'string' || !v.trim()) problems.push(`${l}: empty value for "${k}"`);
  }
  const [a, b] = LANGS.map((l) => dicts[l][k]);
  if (typeof a === 'string' && typeof b === 'string' && placeholders(a) !== placeholders(b)) {
    problems.push(`placeholders differ for "${k}": ${LANGS[0]} {${placeholders(a)}} vs ${LANGS[1]} {${placeholders(b)}}`);
  }
}

async function* sources(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.(tsx?|mjs)$/.test(e.name) && !e.name.endsWith('.test.ts') && !e.name.endsWith('.gen.ts')) yield p;
  }
}
let used = 0;
for (const pkg of ['shared', 'portal', 'admin']) {
  for await (const file of sources(path.join(web, pkg, 'src'))) {
    const text = await readFile(file, 'utf8');
    const rel = path.relative(web, file);
    for (const m of text.matchAll(/\bt\(\s*(['"])([\w.-]+)\1/g)) {
      used++;
      if (!allKeys.has(m[2])) problems.push(`${rel}: uses unknown key "${m[2]}"`);
    }
    for (const m of text.matchAll(/\bt\(\s*`([\w.-]+)\$\{/g)) {
      used++;
      if (![...allKeys].some((k) => k.startsWith(m[1]))) problems.push(`${rel}: no key starts with "${m[1]}"`);
    }
  }
}

if (problems.length) {
  console.error(`i18n check: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`i18n check: ${allKeys.size} keys complete in ${LANGS.join(' and ')}; ${used} uses in the code resolve`);
