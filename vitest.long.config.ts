import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.long.test.ts"],
    pool: "forks",
    testTimeout: 20 * 60_000,
    hookTimeout: 120_000,
    globalSetup: ["tests/support/global-setup.ts"],
  },
});
