// The types of the brochure §9.2 tree and of its evaluation, in one file so that the tree (data)
// and its walk (evaluate.ts) both depend on it and not on each other.

export type NodeId = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** Stable codes of the tree's questions; clients branch on these, never on the wording. */
export type QuestionCode =
  | "NETWORK_AVAILABLE"
  | "PATIENT_KNOWN"
  | "COMMITMENT_COVERS_DATE"
  | "TRUST_LAST_KNOWN"
  | "SIS_CARD"
  | "OTHER_DOCUMENT"
  | "TRUST_DOCUMENT";

export type LeafOutcome = Exclude<Outcome, "needs-pharmacist">;

export type Target = { readonly node: NodeId } | { readonly leaf: LeafOutcome };

export interface ActionNode {
  readonly id: NodeId;
  readonly kind: "action";
  readonly next: Target;
}

/** Nodes 2–4 are answered by the daemon itself; nodes 5–8 by the pharmacist (the override). */
export interface QuestionNode {
  readonly id: NodeId;
  readonly kind: "automatic" | "pharmacist";
  readonly fact: keyof Facts;
  readonly code: QuestionCode;
  readonly yes: Target;
  readonly no: Target;
}

export type TreeNode = ActionNode | QuestionNode;

export interface Leaf {
  readonly outcome: LeafOutcome;
  readonly guarantee: Guarantee;
  readonly dataSource: DataSource;
  /** brochure §9.2: "Enregistrement des données dans la DB" after an online consultation. */
  readonly storesCommitment: boolean;
  /** brochure §9.3.5 (SPEC §1.4): every fallback delivery is consulted again online later. */
  readonly queuesRecall: boolean;
}

/** Answers to the tree's questions; absent = not known yet. Nodes 2–4 automatic, 5–8 pharmacist. */
export interface Facts {
  networkAvailable?: boolean;
  patientKnown?: boolean;
  commitmentCoversDate?: boolean;
  trustLastKnown?: boolean;
  sisCard?: boolean;
  otherDocument?: boolean;
  trustDocument?: boolean;
}

export type Outcome =
  "online" | "reused-commitment" | "last-known" | "sis-card" | "document" | "model-704" | "needs-pharmacist";

/** What backs the tariff: a payment commitment, the "principe de base", a SIS commitment, nothing. */
export type Guarantee = "payment-commitment" | "basic-principle" | "sis-commitment" | "none";

export type DataSource =
  "online" | "stored-commitment" | "last-known-consultation" | "sis-card" | "document" | "none";

export interface Evaluation {
  outcome: Outcome;
  /** null while a question is pending. */
  guarantee: Guarantee | null;
  dataSource: DataSource | null;
  /** Every node visited, starting with 1 (e.g. [1, 2, 3, 6]). */
  path: NodeId[];
  /** The first question on the path whose fact is missing, or null at a leaf. */
  question: { node: NodeId; code: QuestionCode } | null;
}

export interface PathQuestion {
  node: NodeId;
  code: QuestionCode;
  kind: QuestionNode["kind"];
  /** undefined for the question still pending. */
  answer: boolean | undefined;
}
