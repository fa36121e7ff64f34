import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
          // Timeouts guard against hangs, not speed (speed is measured under bench/): a busy CI runner must not fail them.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Unit tests first, then the moto-backed files.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file starts its own moto_server; two cores, so keep files from piling up.
          maxWorkers: 2,
          env: { NODE_NO_WARNINGS: '1' },
        },
      },
    ],
  },
});
