// The emergency decision tree of brochure §9.2 (SPEC §1.4), as data: evaluate.ts walks it and
// the console and the HTTP layer read it, so the scheme is written down once.
import type {
  DataSource,
  Guarantee,
  Leaf,
  LeafOutcome,
  NodeId,
  QuestionCode,
  QuestionNode,
  TreeNode,
} from "./types.js";

export const ROOT: NodeId = 1;

export const nodes: Readonly<Record<NodeId, TreeNode>> = {
  1: { id: 1, kind: "action", next: { node: 2 } },
  2: {
    id: 2,
    kind: "automatic",
    fact: "networkAvailable",
    code: "NETWORK_AVAILABLE",
    yes: { leaf: "online" },
    no: { node: 3 },
  },
  3: {
    id: 3,
    kind: "automatic",
    fact: "patientKnown",
    code: "PATIENT_KNOWN",
    yes: { node: 4 },
    no: { node: 6 },
  },
  4: {
    id: 4,
    kind: "automatic",
    fact: "commitmentCoversDate",
    code: "COMMITMENT_COVERS_DATE",
    yes: { leaf: "reused-commitment" },
    no: { node: 5 },
  },
  5: {
    id: 5,
    kind: "pharmacist",
    fact: "trustLastKnown",
    code: "TRUST_LAST_KNOWN",
    yes: { leaf: "last-known" },
    no: { node: 6 },
  },
  6: {
    id: 6,
    kind: "pharmacist",
    fact: "sisCard",
    code: "SIS_CARD",
    yes: { leaf: "sis-card" },
    no: { node: 7 },
  },
  7: {
    id: 7,
    kind: "pharmacist",
    fact: "otherDocument",
    code: "OTHER_DOCUMENT",
    yes: { node: 8 },
    no: { leaf: "model-704" },
  },
  8: {
    id: 8,
    kind: "pharmacist",
    fact: "trustDocument",
    code: "TRUST_DOCUMENT",
    yes: { leaf: "document" },
    // annex 30 of the health care regulation: delivery without third-party payment.
    no: { leaf: "model-704" },
  },
};

const leaf = (outcome: LeafOutcome, guarantee: Guarantee, dataSource: DataSource): Leaf => ({
  outcome,
  guarantee,
  dataSource,
  storesCommitment: outcome === "online",
  queuesRecall: outcome !== "online",
});

export const leaves: Readonly<Record<LeafOutcome, Leaf>> = {
  online: leaf("online", "payment-commitment", "online"),
  "reused-commitment": leaf("reused-commitment", "payment-commitment", "stored-commitment"),
  "last-known": leaf("last-known", "basic-principle", "last-known-consultation"),
  "sis-card": leaf("sis-card", "sis-commitment", "sis-card"),
  document: leaf("document", "basic-principle", "document"),
  "model-704": leaf("model-704", "none", "none"),
};

export const nodeIds: readonly NodeId[] = [1, 2, 3, 4, 5, 6, 7, 8];

export const questionNodes: readonly QuestionNode[] = nodeIds
  .map((id) => nodes[id])
  .filter((n): n is QuestionNode => n.kind !== "action");

/** The nodes the pharmacist answers (5–8). */
export const pharmacistNodes: readonly NodeId[] = questionNodes
  .filter((n) => n.kind === "pharmacist")
  .map((n) => n.id);

export function isPharmacistQuestion(node: number): boolean {
  return pharmacistNodes.some((id) => id === node);
}

export function questionNode(code: QuestionCode): QuestionNode {
  const found = questionNodes.find((n) => n.code === code);
  if (found === undefined) throw new RangeError(`no question ${code} in the tree`);
  return found;
}
