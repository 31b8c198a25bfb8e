import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module shared with the build script
import { CHECKS_MODULE_ID, checksModuleSource } from './scripts/checks-module.mjs';

const RESOLVED_ID = `\0${CHECKS_MODULE_ID}`;

export default defineConfig({
  plugins: [
    {
      name: 'cogdoctor-checks',
      resolveId: (id: string) => (id === CHECKS_MODULE_ID ? RESOLVED_ID : undefined),
      load: (id: string) => (id === RESOLVED_ID ? checksModuleSource(process.cwd()) : undefined),
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
