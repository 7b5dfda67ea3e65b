#!/usr/bin/env node
// The `cds` command of this workspace (`npx cds --help`). It runs the compiled tool: `npm run build` first.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('cds: not built yet; run `npm run build` in the workspace first\n');
  process.exit(1);
}
require(main);
