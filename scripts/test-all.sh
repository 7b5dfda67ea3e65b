#!/usr/bin/env bash
# The whole suite, as CI runs it: lint (module boundaries included), types, unit and e2e specs on
# the embedded default, Schemathesis against the running embedded default (pinned, installed into
# a cached virtualenv), browser specs, then integration specs against real servers it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false

mkdir -p test-artifacts
rm -f test-artifacts/jest-*.json

step() { printf '\n== %s\n' "$*" >&2; }

step "lint"
npm run --silent lint
step "typecheck"
npm run --silent typecheck
step "build"
npm run --silent build
step "unit and e2e specs (embedded default)"
npx jest --selectProjects unit e2e --ci --json --outputFile=test-artifacts/jest-unit-e2e.json
step "schemathesis against the embedded default (checks the API document and every answer; a rejected request appends nothing)"
bash scripts/schemathesis/run.sh
step "browser specs (the web console in headless Chromium, from Debian's chromium package)"
command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)
npx jest --selectProjects browser --ci --json --outputFile=test-artifacts/jest-browser.json
step "integration specs (Kafka, MongoDB wire server, EventStoreDB emulator)"
node dist/infra/test-servers/src/run-with-servers.js npx jest --selectProjects int --ci --json --outputFile=test-artifacts/jest-int.json

# One closing line for the whole run, summed over every jest run above.
node -e '
  const fs = require("fs");
  const files = fs.readdirSync("test-artifacts").filter((f) => /^jest-.*\.json$/.test(f));
  const sum = (key) => files.reduce((n, f) => n + JSON.parse(fs.readFileSync("test-artifacts/" + f, "utf8"))[key], 0);
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests")} skipped`);
'
