import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const alias = { '@': fileURLToPath(new URL('.', import.meta.url)) };

/**
 * Integration files that inject faults (kill processes, stop brokers and databases), run the app
 * at scale or fuzz for minutes. `integration` runs them with the rest (CI, `npm test`);
 * `integration-fast` leaves them out while developing (`npm test -- integration-fast`).
 */
const faultAndScaleFiles = [
  'booking-interleavings',
  'booking-outbox',
  'booking-race',
  'dependency-outage',
  'fuzz-procedures',
  'graceful-shutdown',
  'kafka-outage',
  'scale-out',
  'scheduled-dispatch',
].map((name) => `tests/integration/${name}.test.ts`);

function integration(name: string, exclude: string[] = []): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      include: ['tests/integration/**/*.test.ts'],
      exclude,
      environment: 'node',
      globalSetup: ['tests/integration/support/global-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Each file has its own database, key prefix and topics; two at a time fit 2 cores.
      pool: 'forks',
      maxWorkers: 2,
      // Runs after the unit project when both are asked for in one command.
      sequence: { groupOrder: 1 },
    },
  };
}

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      // A subset of the other: name one with --project (without it, vitest runs both).
      integration('integration'),
      integration('integration-fast', faultAndScaleFiles),
    ],
  },
});
