// One PKCS#11 library per path per process: C_Initialize may be called only once per process
// (PKCS#11 v2.40 §5.4), so every signer on a module shares one registry entry, counted; the last
// one to close finalises the library. SoftHSM reads SOFTHSM2_CONF at that C_Initialize.
import pkcs11js from "pkcs11js";
import type { PKCS11 } from "pkcs11js";
import { CodedError } from "../../errors.js";
import { ckrName, returnValueOf } from "./pkcs11-errors.js";

/** The part of pkcs11js this room calls; a test double may stand in for it. */
export type Pkcs11Api = Pick<
  PKCS11,
  | "load"
  | "close"
  | "C_Initialize"
  | "C_Finalize"
  | "C_GetSlotList"
  | "C_GetTokenInfo"
  | "C_OpenSession"
  | "C_CloseSession"
  | "C_GetSessionInfo"
  | "C_Login"
  | "C_FindObjectsInit"
  | "C_FindObjects"
  | "C_FindObjectsFinal"
  | "C_GetAttributeValue"
  | "C_SignInit"
  | "C_SignAsync"
>;

const registry = new Map<string, Pkcs11Module>();

export class Pkcs11Module {
  readonly path: string;
  readonly api: Pkcs11Api;
  /**
   * pkcs11js itself, loaded here (not a substituted `api`): only then can another thread load
   * the same library and reach its sessions (the login worker, pkcs11-login.ts).
   */
  readonly native: boolean;
  #users = 1;
  /** False when someone else in this process had initialised the library first. */
  readonly #ownsInitialisation: boolean;

  private constructor(path: string, api: Pkcs11Api, native: boolean, ownsInitialisation: boolean) {
    this.path = path;
    this.api = api;
    this.native = native;
    this.#ownsInitialisation = ownsInitialisation;
  }

  /**
   * Loads and initialises the library at `path`, or hands out the one already loaded.
   * `api` replaces pkcs11js (tests of states SoftHSM cannot reach, such as a locked PIN).
   */
  static load(path: string, options: { api?: Pkcs11Api } = {}): Pkcs11Module {
    const loaded = registry.get(path);
    if (loaded !== undefined && options.api !== undefined && options.api !== loaded.api) {
      throw new Error(
        `a PKCS#11 module is already loaded from ${path}; close it before substituting another`,
      );
    }
    if (loaded !== undefined) {
      loaded.#users += 1;
      return loaded;
    }
    const api = options.api ?? new pkcs11js.PKCS11();
    try {
      api.load(path);
    } catch (error) {
      throw new CodedError("PKCS11_MODULE", { reason: "load-failed", error: errorName(error) });
    }
    let owns = true;
    try {
      // The library may use OS locks: signing runs on libuv's thread pool (C_SignAsync).
      api.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (error) {
      if (returnValueOf(error) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        api.close();
        throw new CodedError("PKCS11_MODULE", { reason: "initialize-failed", error: errorName(error) });
      }
      owns = false;
    }
    const module = new Pkcs11Module(path, api, options.api === undefined, owns);
    registry.set(path, module);
    return module;
  }

  /** Releases one user; the last one calls C_Finalize (if this registry initialised it). */
  close(): void {
    this.#users -= 1;
    if (this.#users > 0) return;
    registry.delete(this.path);
    try {
      if (this.#ownsInitialisation) this.api.C_Finalize();
    } finally {
      this.api.close();
    }
  }
}

function errorName(error: unknown): string {
  const returnValue = returnValueOf(error);
  if (returnValue !== undefined) return ckrName(returnValue);
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Whether the library at `path` loads (dlopen and C_GetFunctionList, no C_Initialize, so no
 * token is touched): the loader's reason when it does not, for a check at start.
 */
export function pkcs11LoadFailure(path: string, api: Pkcs11Api = new pkcs11js.PKCS11()): string | undefined {
  if (registry.has(path)) return undefined;
  try {
    api.load(path);
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).split("\n")[0];
  }
  api.close();
  return undefined;
}
