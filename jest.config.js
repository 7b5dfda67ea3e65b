// Test projects by suffix: *.spec.ts (unit, no servers), *.e2e.spec.ts (HTTP against the
// embedded default), *.int.spec.ts (against real servers the test command starts).
const { readFileSync } = require('node:fs');
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const { paths } = require('./tsconfig.base.json').compilerOptions;

const moduleNameMapper = Object.fromEntries(
  Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/infra'],
};

module.exports = {
  // Servers and HTTP round trips are real; a slow machine must not turn them red.
  testTimeout: 60000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '\\.browser\\.spec\\.ts$', '/node_modules/'],
    },
    { ...base, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
    { ...base, displayName: 'int', testMatch: ['**/*.int.spec.ts'] },
    // The web console in headless Chromium against the embedded default; needs `npm run build`.
    { ...base, displayName: 'browser', testMatch: ['**/*.browser.spec.ts'] },
  ],
};
