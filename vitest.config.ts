import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module shared with the build script
import { viteChecksPlugin } from './scripts/checks-module.mjs';

export default defineConfig({
  plugins: [viteChecksPlugin(process.cwd())],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
