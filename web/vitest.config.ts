import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/src/**/*.test.ts', 'portal/src/**/*.test.ts', 'admin/src/**/*.test.ts'],
    environment: 'node',
  },
});
