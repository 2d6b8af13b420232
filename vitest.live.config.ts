import { defineConfig } from 'vitest/config';

// The live suite (`npm run test:live`): real kcp, kube-apiserver and controllers on loopback, built from Go modules.
const conditions = ['p2c-source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['p2c-source'] } },
  test: {
    include: ['test/live/**/*.live.test.ts'],
    globalSetup: ['test/live/global-setup.ts'],
    // One scenario at a time: each starts its own servers, and two cores are all there is.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 3_600_000,
    reporters: ['default', './test/support/plain-summary.ts'],
  },
});
