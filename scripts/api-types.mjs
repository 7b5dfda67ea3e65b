// Client types from the API document, for the console and any TypeScript client:
//   node scripts/api-types.mjs [--check] < openapi.json
// writes libs/contract/src/api-types.generated.ts, or with --check exits 1 when that file is not
// what the document generates (`npm run api-types` regenerates it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const target = fileURLToPath(new URL('../libs/contract/src/api-types.generated.ts', import.meta.url));
const check = process.argv.includes('--check');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const document = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const banner = '// Generated from the API document by scripts/api-types.mjs (npm run api-types); do not edit.\n';
const generated = banner + astToString(await openapiTS(document, { alphabetize: true }));

if (!check) {
  writeFileSync(target, generated);
} else {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing: out of date
  }
  if (committed !== generated) {
    console.error(`${target} is out of date with the API document: run npm run api-types and commit it`);
    process.exit(1);
  }
}
