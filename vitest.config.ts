import { defineConfig } from 'vitest/config';
import { availableParallelism } from 'node:os';

// `import … from 'p2c'` (the examples, generated types) resolves to the sources, as bin/p2c.js makes it in a clone.
const conditions = ['p2c-source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['p2c-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/live/**', 'node_modules/**'],
    // One file per core: vitest's default leaves a core free, which on two cores halves the speed of a suite
    // that mostly waits on the child processes it starts.
    maxWorkers: availableParallelism(),
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/plain-summary.ts'],
  },
});
