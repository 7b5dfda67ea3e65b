// The web console: a static build served by the command API at /console/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The API's contract (scopes, attribute checks, generated types) and the domain rules it shares.
  resolve: {
    alias: {
      '@cds/contract': here('../../libs/contract/src/index.ts'),
      '@cds/domain': here('../../libs/domain/src/index.ts'),
    },
  },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
  },
  // `npx vite --config apps/console/vite.config.mjs` next to `npm start`: the API stays on :8080.
  server: { proxy: { '/t': 'http://localhost:8080', '/health': 'http://localhost:8080' } },
});
