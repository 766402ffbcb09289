import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate, questionsOnPath } from "./evaluate.js";
import type { Facts } from "./evaluate.js";
import { leaves, nodes, ROOT } from "./tree.js";
import type { NodeId, Target } from "./types.js";

// Every walk from node 1 to a leaf (the brochure §9.2 scheme).
const leafPaths: ReadonlyArray<[string, Facts, Record<string, unknown>]> = [
  [
    "online",
    { networkAvailable: true },
    { outcome: "online", guarantee: "payment-commitment", dataSource: "online", path: [1, 2] },
  ],
  [
    "stored commitment",
    { networkAvailable: false, patientKnown: true, commitmentCoversDate: true },
    {
      outcome: "reused-commitment",
      guarantee: "payment-commitment",
      dataSource: "stored-commitment",
      path: [1, 2, 3, 4],
    },
  ],
  [
    "last known consultation",
    { networkAvailable: false, patientKnown: true, commitmentCoversDate: false, trustLastKnown: true },
    {
      outcome: "last-known",
      guarantee: "basic-principle",
      dataSource: "last-known-consultation",
      path: [1, 2, 3, 4, 5],
    },
  ],
  [
    "SIS card, unknown patient",
    { networkAvailable: false, patientKnown: false, sisCard: true },
    { outcome: "sis-card", guarantee: "sis-commitment", dataSource: "sis-card", path: [1, 2, 3, 6] },
  ],
  [
    "SIS card, last known not trusted",
    {
      networkAvailable: false,
      patientKnown: true,
      commitmentCoversDate: false,
      trustLastKnown: false,
      sisCard: true,
    },
    { outcome: "sis-card", guarantee: "sis-commitment", dataSource: "sis-card", path: [1, 2, 3, 4, 5, 6] },
  ],
  [
    "trusted document",
    {
      networkAvailable: false,
      patientKnown: false,
      sisCard: false,
      otherDocument: true,
      trustDocument: true,
    },
    { outcome: "document", guarantee: "basic-principle", dataSource: "document", path: [1, 2, 3, 6, 7, 8] },
  ],
  [
    "model 704, no document",
    { networkAvailable: false, patientKnown: false, sisCard: false, otherDocument: false },
    { outcome: "model-704", guarantee: "none", dataSource: "none", path: [1, 2, 3, 6, 7] },
  ],
  [
    "model 704, document not trusted",
    {
      networkAvailable: false,
      patientKnown: false,
      sisCard: false,
      otherDocument: true,
      trustDocument: false,
    },
    { outcome: "model-704", guarantee: "none", dataSource: "none", path: [1, 2, 3, 6, 7, 8] },
  ],
  [
    "trusted document, after node 5",
    {
      networkAvailable: false,
      patientKnown: true,
      commitmentCoversDate: false,
      trustLastKnown: false,
      sisCard: false,
      otherDocument: true,
      trustDocument: true,
    },
    {
      outcome: "document",
      guarantee: "basic-principle",
      dataSource: "document",
      path: [1, 2, 3, 4, 5, 6, 7, 8],
    },
  ],
  [
    "model 704, after node 5, no document",
    {
      networkAvailable: false,
      patientKnown: true,
      commitmentCoversDate: false,
      trustLastKnown: false,
      sisCard: false,
      otherDocument: false,
    },
    { outcome: "model-704", guarantee: "none", dataSource: "none", path: [1, 2, 3, 4, 5, 6, 7] },
  ],
  [
    "model 704, after node 5, document not trusted",
    {
      networkAvailable: false,
      patientKnown: true,
      commitmentCoversDate: false,
      trustLastKnown: false,
      sisCard: false,
      otherDocument: true,
      trustDocument: false,
    },
    { outcome: "model-704", guarantee: "none", dataSource: "none", path: [1, 2, 3, 4, 5, 6, 7, 8] },
  ],
];

describe("evaluate: leaves", () => {
  it.each(leafPaths)("%s", (_name, facts, expected) => {
    expect(evaluate(facts)).toEqual({ ...expected, question: null });
  });

  it("reaches each of the six leaves, model 704 by two ways", () => {
    const outcomes = new Set(leafPaths.map(([, , e]) => e.outcome));
    expect([...outcomes].sort()).toEqual(Object.keys(leaves).sort());
    const to704 = new Set(
      leafPaths.filter(([, , e]) => e.outcome === "model-704").map(([, , e]) => (e.path as number[]).at(-1)),
    );
    expect([...to704].sort()).toEqual([7, 8]);
  });
});

describe("evaluate: missing facts", () => {
  it.each([
    [{}, 2, "NETWORK_AVAILABLE", [1, 2]],
    [{ networkAvailable: false }, 3, "PATIENT_KNOWN", [1, 2, 3]],
    [{ networkAvailable: false, patientKnown: true }, 4, "COMMITMENT_COVERS_DATE", [1, 2, 3, 4]],
    [
      { networkAvailable: false, patientKnown: true, commitmentCoversDate: false },
      5,
      "TRUST_LAST_KNOWN",
      [1, 2, 3, 4, 5],
    ],
    [{ networkAvailable: false, patientKnown: false }, 6, "SIS_CARD", [1, 2, 3, 6]],
    [{ networkAvailable: false, patientKnown: false, sisCard: false }, 7, "OTHER_DOCUMENT", [1, 2, 3, 6, 7]],
    [
      { networkAvailable: false, patientKnown: false, sisCard: false, otherDocument: true },
      8,
      "TRUST_DOCUMENT",
      [1, 2, 3, 6, 7, 8],
    ],
  ] as const)("%j asks node %d (%s)", (facts, node, code, path) => {
    expect(evaluate(facts)).toEqual({
      outcome: "needs-pharmacist",
      guarantee: null,
      dataSource: null,
      path,
      question: { node, code },
    });
  });

  it("asks the first missing fact even when later ones are known", () => {
    const e = evaluate({ networkAvailable: false, commitmentCoversDate: true, sisCard: true });
    expect(e.question).toEqual({ node: 3, code: "PATIENT_KNOWN" });
    expect(e.path).toEqual([1, 2, 3]);
  });
});

describe("evaluate: facts off the path", () => {
  it("ignores everything once the network is available", () => {
    const e = evaluate({
      networkAvailable: true,
      patientKnown: false,
      commitmentCoversDate: false,
      trustLastKnown: false,
      sisCard: false,
      otherDocument: false,
      trustDocument: false,
    });
    expect(e).toEqual(evaluate({ networkAvailable: true }));
  });

  it("skips nodes 4 and 5 for an unknown patient, whatever they say", () => {
    const e = evaluate({
      networkAvailable: false,
      patientKnown: false,
      commitmentCoversDate: true,
      trustLastKnown: true,
      sisCard: true,
    });
    expect(e.outcome).toBe("sis-card");
    expect(e.path).toEqual([1, 2, 3, 6]);
  });
});

describe("questionsOnPath", () => {
  it("lists the questions met, with their answers and the pending one", () => {
    expect(
      questionsOnPath({ networkAvailable: false, patientKnown: false, sisCard: false, trustLastKnown: true }),
    ).toEqual([
      { node: 2, code: "NETWORK_AVAILABLE", kind: "automatic", answer: false },
      { node: 3, code: "PATIENT_KNOWN", kind: "automatic", answer: false },
      { node: 6, code: "SIS_CARD", kind: "pharmacist", answer: false },
      { node: 7, code: "OTHER_DOCUMENT", kind: "pharmacist", answer: undefined },
    ]);
  });
});

// Property: any complete set of facts reaches a leaf along a valid walk of the tree data.
const bool = fc.boolean();
const completeFacts = fc.record({
  networkAvailable: bool,
  patientKnown: bool,
  commitmentCoversDate: bool,
  trustLastKnown: bool,
  sisCard: bool,
  otherDocument: bool,
  trustDocument: bool,
});

function targetFrom(id: NodeId, facts: Facts): Target {
  const node = nodes[id];
  if (node.kind === "action") return node.next;
  return facts[node.fact] ? node.yes : node.no;
}

describe("evaluate: exhaustiveness", () => {
  it("reaches a leaf for any complete facts, along a valid walk", () => {
    fc.assert(
      fc.property(completeFacts, (facts) => {
        const e = evaluate(facts);
        expect(e.outcome).not.toBe("needs-pharmacist");
        expect(e.question).toBeNull();
        expect(e.path[0]).toBe(ROOT);
        expect(new Set(e.path).size).toBe(e.path.length);
        for (let i = 0; i + 1 < e.path.length; i++) {
          expect(targetFrom(e.path[i]!, facts)).toEqual({ node: e.path[i + 1] });
        }
        expect(targetFrom(e.path.at(-1)!, facts)).toEqual({ leaf: e.outcome });
        const leaf = leaves[e.outcome as keyof typeof leaves];
        expect([e.guarantee, e.dataSource]).toEqual([leaf.guarantee, leaf.dataSource]);
      }),
    );
  });

  it("with facts missing, stops at the first missing one on its path", () => {
    const partial = fc.record(
      {
        networkAvailable: bool,
        patientKnown: bool,
        commitmentCoversDate: bool,
        trustLastKnown: bool,
        sisCard: bool,
        otherDocument: bool,
        trustDocument: bool,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(partial, (facts: Facts) => {
        const e = evaluate(facts);
        const questions = e.path.map((id) => nodes[id]).filter((n) => n.kind !== "action");
        const missing = questions.filter((n) => facts[n.fact] === undefined);
        if (e.outcome === "needs-pharmacist") {
          expect(missing).toHaveLength(1);
          expect(e.question).toEqual({ node: e.path.at(-1), code: missing[0]!.code });
          expect([e.guarantee, e.dataSource]).toEqual([null, null]);
        } else {
          expect(missing).toHaveLength(0);
        }
      }),
    );
  });
});
