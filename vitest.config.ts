import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Herald targets Node 20; the AWS SDK's notice that its 2027 releases need Node 22 is known, and
// would otherwise be printed by every test worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Tests import the workspace packages from source, so a test run never depends on a stale build.
const alias = {
  '@herald/core': src('./packages/core/src/index.ts'),
  '@herald/sns-batch': src('./packages/sns-batch/src/index.ts'),
  '@herald/idempotency': src('./packages/idempotency/src/index.ts'),
  '@herald/fanout': src('./packages/fanout/src/index.ts'),
  '@herald/push-tokens': src('./packages/push-tokens/src/index.ts'),
  '@herald/local-aws': src('./tools/local-aws/src/index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          globalSetup: ['./tools/local-aws/test/global-setup.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
