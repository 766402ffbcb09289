import { describe, expect, it } from "vitest";
import { catalogue } from "../errors.js";
import { outcomeText, outcomeTexts } from "./outcomes.js";
import { questionText, questionTexts } from "./questions.js";
import {
  isPharmacistQuestion,
  leaves,
  nodeIds,
  nodes,
  pharmacistNodes,
  questionNode,
  questionNodes,
  ROOT,
} from "./tree.js";
import type { NodeId, QuestionCode, Target } from "./types.js";

const langs = ["fr", "nl", "en"] as const;

describe("tree data", () => {
  it("has nodes 1–8 keyed by their own id, 1 the online consultation", () => {
    expect(nodeIds).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const id of nodeIds) expect(nodes[id].id).toBe(id);
    expect(nodes[ROOT].kind).toBe("action");
  });

  it("marks nodes 2–4 automatic and 5–8 the pharmacist's (SPEC §1.4)", () => {
    expect(questionNodes.filter((n) => n.kind === "automatic").map((n) => n.id)).toEqual([2, 3, 4]);
    expect(pharmacistNodes).toEqual([5, 6, 7, 8]);
    expect([1, 2, 3, 4, 9].map(isPharmacistQuestion)).toEqual([false, false, false, false, false]);
    expect([5, 6, 7, 8].map(isPharmacistQuestion)).toEqual([true, true, true, true]);
  });

  it("has the leaves of the brief, with guarantee and data source", () => {
    expect(Object.values(leaves).map((l) => [l.outcome, l.guarantee, l.dataSource])).toEqual([
      ["online", "payment-commitment", "online"],
      ["reused-commitment", "payment-commitment", "stored-commitment"],
      ["last-known", "basic-principle", "last-known-consultation"],
      ["sis-card", "sis-commitment", "sis-card"],
      ["document", "basic-principle", "document"],
      ["model-704", "none", "none"],
    ]);
    for (const [key, leaf] of Object.entries(leaves)) expect(leaf.outcome).toBe(key);
  });

  it("stores only online data and queues every fallback outcome for recall (§9.3.5)", () => {
    for (const leaf of Object.values(leaves)) {
      expect(leaf.storesCommitment).toBe(leaf.outcome === "online");
      expect(leaf.queuesRecall).toBe(leaf.outcome !== "online");
    }
  });

  it("is a tree: every node is reachable from 1 and no walk loops", () => {
    const seen = new Set<NodeId>();
    const walk = (t: Target, depth: number): void => {
      expect(depth).toBeLessThanOrEqual(nodeIds.length);
      if (!("node" in t)) return;
      seen.add(t.node);
      const n = nodes[t.node];
      if (n.kind === "action") walk(n.next, depth + 1);
      else {
        walk(n.yes, depth + 1);
        walk(n.no, depth + 1);
      }
    };
    walk({ node: ROOT }, 0);
    expect([...seen].sort()).toEqual([...nodeIds]);
  });

  it("finds a question node by code, and refuses an unknown code", () => {
    expect(questionNode("SIS_CARD").id).toBe(6);
    expect(questionNode("TRUST_DOCUMENT").no).toEqual({ leaf: "model-704" });
    expect(() => questionNode("NOPE" as QuestionCode)).toThrow(RangeError);
  });
});

describe("wording", () => {
  it("has a distinct question text in each language for every question of the tree", () => {
    expect(Object.keys(questionTexts).sort()).toEqual(questionNodes.map((n) => n.code).sort());
    for (const lang of langs) {
      const texts = questionNodes.map((n) => questionText(n.code, lang));
      expect(new Set(texts).size).toBe(texts.length);
      for (const t of texts) expect(t).toMatch(/\?$/);
    }
    expect(questionText("OTHER_DOCUMENT", "fr")).toContain("vignette");
    expect(questionText("SIS_CARD", "nl")).toContain("SIS");
  });

  it("describes every leaf in each language", () => {
    expect(Object.keys(outcomeTexts).sort()).toEqual(Object.keys(leaves).sort());
    for (const lang of langs) {
      for (const outcome of Object.values(leaves).map((l) => l.outcome)) {
        expect(outcomeText(outcome, lang).length).toBeGreaterThan(20);
      }
    }
    expect(outcomeText("model-704", "fr")).toContain("704");
  });

  it("has the fallback and no-right codes in the error catalogue, as 422", () => {
    for (const code of ["FALLBACK_ANSWER_OFF_PATH", "NO_RIGHT_AT_DATE"] as const) {
      expect(catalogue[code].status).toBe(422);
      for (const lang of langs) expect(catalogue[code][lang].length).toBeGreaterThan(20);
    }
  });
});
