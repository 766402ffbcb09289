import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["**/*.long.test.ts", "node_modules/**", "dist/**"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["tests/support/global-setup.ts"],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/**/__fixtures__/**"],
      reporter: ["text-summary", ["text", { skipFull: false }], "json-summary"],
      thresholds: {
        "src/identifiers/**": { lines: 95 },
        "src/commitment/**": { lines: 95 },
        "src/fallback/**": { lines: 95 },
      },
    },
  },
});
