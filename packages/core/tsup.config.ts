import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
  },
  {
    // p-retry 7 is ESM only. Node 20's require(esm) hands CommonJS a namespace object whose
    // `default` the bundler's interop mangles, so the CommonJS build carries its own copy.
    entry: ['src/index.ts'],
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    noExternal: ['p-retry', 'is-network-error'],
  },
]);
