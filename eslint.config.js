// Lint guards the boundaries: the domain rooms stay pure (no I/O imports), promises are never
// left floating, and switches over outcomes and nodes are exhaustive.
import tseslint from "typescript-eslint";

const ioModules = [
  "node:fs",
  "node:fs/promises",
  "node:net",
  "node:http",
  "node:https",
  "node:child_process",
  "fs",
  "http",
  "https",
  "better-sqlite3",
  "fastify",
  "pkcs11js",
  "pino",
  "undici",
];

export default tseslint.config(
  { ignores: ["dist/**", "coverage/**", "node_modules/**", "data/**", "bench/results/**", "**/*.js"] },
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["src/identifiers/**/*.ts", "src/commitment/**/*.ts", "src/fallback/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: ioModules.map((name) => ({ name, message: "domain rooms are pure: no I/O here" })) },
      ],
    },
  },
);
