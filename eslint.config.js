// Lint guards the boundaries: the domain rooms stay pure (no I/O imports), promises are never
// left floating, and switches over outcomes and nodes are exhaustive.
import tseslint from "typescript-eslint";
import { roomsPlugin } from "./eslint/rooms.js";

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
    files: [
      "src/identifiers/**/*.ts",
      "src/commitment/**/*.ts",
      "src/fallback/**/*.ts",
      "src/purpose/**/*.ts",
      "src/consultation/**/*.ts",
      "src/actors.ts",
      "src/audit-actions.ts",
      "src/errors.ts",
      "src/result.ts",
    ],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: ioModules.map((name) => ({ name, message: "domain rooms are pure: no I/O here" })) },
      ],
    },
  },
  // The simulator is MyCareNet's peer, not the daemon's mirror: it has its own oracle
  // (src/simulator/oracle) and must never agree with the daemon by importing its rules. Shared
  // protocol (ehealth/xml, wssec, the wire build/parse of insurability) stays allowed.
  {
    files: ["src/simulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/commitment", "**/commitment/**", "**/identifiers", "**/identifiers/**"],
              message: "the simulator uses its own oracle (src/simulator/oracle), not the daemon's rules",
            },
            {
              group: ["**/ehealth/insurability/return-codes*"],
              message: "the simulator writes its own return codes (src/simulator/oracle/return-codes.ts)",
            },
            {
              group: ["**/ehealth/insurability", "**/ehealth/insurability/index*"],
              importNames: ["RETURN_CODES", "returnCodeFor", "kindOf", "isOutage", "BAD_INPUT_DETAIL"],
              message: "the simulator writes its own return codes (src/simulator/oracle/return-codes.ts)",
            },
          ],
        },
      ],
    },
  },
  {
    // The floors: an upward import or a cycle between rooms fails lint (eslint/rooms.js).
    files: ["src/**/*.ts", "src/**/*.js"],
    ignores: ["**/*.test.ts", "**/__fixtures__/**"],
    plugins: { rooms: roomsPlugin },
    rules: { "rooms/floors": "error" },
  },
);
