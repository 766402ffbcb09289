// The floors of the house (README "Architecture"): each room of src/ may import only the rooms
// listed for it, so an upward arrow or a cycle between rooms fails `npm run lint`. The table is
// a DAG by construction: a room lists only rooms below it. Tests are exempt (they may reach any
// floor to set up a scenario); the simulator is a peer, not a floor of the daemon.
import { dirname, relative, resolve, sep } from "node:path";

const LEAVES = ["actors", "audit-actions", "errors", "result", "version", "log"];
const PURE = ["identifiers", "commitment", "fallback", "purpose", "consultation"];
const ADAPTERS = ["ehealth", "store", "cache"];

/** room → the rooms it may import (besides itself and the shared leaves). */
export const ALLOWED = {
  // Shared leaves import no room (log may import nothing but pino).
  actors: [],
  "audit-actions": [],
  errors: [],
  result: [],
  version: [],
  log: [],
  // Pure domain rooms, bottom up.
  identifiers: [],
  commitment: ["identifiers"],
  fallback: ["identifiers", "commitment"],
  purpose: ["identifiers", "commitment"],
  consultation: ["identifiers", "commitment", "fallback", "purpose"],
  // Adapters: the pure rooms below them, nothing above.
  cache: [...PURE],
  store: [...PURE],
  ehealth: [...PURE],
  config: [...PURE],
  // Use cases: domain and adapters; never http/, config/ or the simulator.
  services: [...PURE, ...ADAPTERS],
  // The web layer: everything below it but the composition root, the demo and the simulator.
  http: [...PURE, ...ADAPTERS, "services", "config"],
  // Peers and the composition root.
  // The simulator keeps its own oracle of the rules (src/simulator/oracle): never the daemon's.
  simulator: ["ehealth"],
  demo: [...PURE, ...ADAPTERS, "config", "simulator"],
  console: [],
  compose: [...PURE, ...ADAPTERS, "services", "config", "http"],
  daemon: [...PURE, ...ADAPTERS, "services", "config", "http", "compose"],
  main: [...PURE, ...ADAPTERS, "services", "config", "http", "compose", "daemon", "demo"],
  cli: [...PURE, ...ADAPTERS, "services", "config"],
};

const srcRoot = resolve(import.meta.dirname, "..", "src");

/** The room a file of src/ belongs to: its first folder, or its name for a file at the root. */
export function roomOf(file) {
  const rel = relative(srcRoot, file);
  if (rel.startsWith("..")) return undefined;
  const first = rel.split(sep)[0];
  return first.replace(/\.(ts|js)$/, "");
}

const rule = {
  meta: {
    type: "problem",
    docs: { description: "each room imports only the rooms below it (README Architecture)" },
    schema: [],
    messages: {
      upward: "{{from}}/ may not import {{to}}/ (allowed: {{allowed}}); see README Architecture",
      unknown: "{{room}} is not a known room: add it to eslint/rooms.js",
    },
  },
  create(context) {
    const file = context.filename;
    const from = roomOf(file);
    if (from === undefined) return {};
    const allowed = ALLOWED[from];
    const check = (node, spec) => {
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const to = roomOf(resolve(dirname(file), spec));
      if (to === undefined || to === from || LEAVES.includes(to)) return;
      if (allowed === undefined) {
        context.report({ node, messageId: "unknown", data: { room: from } });
        return;
      }
      if (!allowed.includes(to))
        context.report({
          node,
          messageId: "upward",
          data: { from, to, allowed: allowed.join(", ") || "leaves only" },
        });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
    };
  },
};

export const roomsPlugin = { rules: { floors: rule } };
