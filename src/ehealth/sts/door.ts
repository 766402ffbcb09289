// The two front doors of the eHealth STS (SPEC §2, mycarenet-protocol §3.2, §3.3): WS-Trust 1.3,
// the default of eHealth's own connector since 2023 (RSA-SHA256 and ECDSA-SHA256), and the
// legacy SAML-P door, which predates ECDSA. The URL's path picks the door unless
// MCN_STS_PROTOCOL forces it.
import { CodedError } from "../../errors.js";
import type { KeyAlgorithm } from "../keys/signer.js";

export type StsDoor = "ws-trust" | "saml-p";

export const WS_TRUST_PATH = "/IAM/SecurityTokenService/v1";
export const SAML_P_PATH = "/IAM/Saml11TokenService/Legacy/v1";

/** The door: the forced one, else the legacy door when the path names it, else WS-Trust. */
export function stsDoorOf(url: string, forced?: StsDoor): StsDoor {
  if (forced !== undefined) return forced;
  const path = new URL(url).pathname.replace(/\/+$/, "");
  return path.endsWith(SAML_P_PATH) ? "saml-p" : "ws-trust";
}

/** Throws STS_DOOR_KEY_UNSUPPORTED before anything is signed: the legacy door accepts RSA only. */
export function assertDoorAccepts(
  door: StsDoor,
  identification: { readonly keyAlgorithm: KeyAlgorithm },
): void {
  if (door === "saml-p" && identification.keyAlgorithm !== "RSA") {
    throw new CodedError("STS_DOOR_KEY_UNSUPPORTED", { door, keyAlgorithm: identification.keyAlgorithm });
  }
}
