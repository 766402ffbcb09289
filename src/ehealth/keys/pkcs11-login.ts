// C_Login on a worker thread. pkcs11js has no C_LoginAsync, and a login blocks for as long as
// the token takes: hundreds of milliseconds on a card, the whole PIN entry on a PIN-pad reader.
// PKCS#11 state is per process (v2.40 §5.4, §5.6), so a worker that loads the same library
// reaches the session the main thread opened and logs in the token for every session of the
// process. It finds the library initialised (CKR_CRYPTOKI_ALREADY_INITIALIZED) and must never
// call C_Finalize, which would finalise it for the whole process.
// The worker is plain CommonJS evaluated from this string: it runs the same from the TypeScript
// sources (tests) and from dist/; pkcs11js is resolved here and required by its path.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import pkcs11js from "pkcs11js";
import { ckrName } from "./pkcs11-errors.js";

type Answer = { ok: true } | { returnValue: number } | { error: string };

const LOGIN_WORKER = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const P = require(workerData.pkcs11js);
const p = new P.PKCS11();
let answer;
try {
  p.load(workerData.module);
  try {
    p.C_Initialize({ flags: P.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (error.code !== P.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw error;
  }
  p.C_Login(Buffer.from(workerData.session), P.CKU_USER, workerData.pin);
  answer = { ok: true };
} catch (error) {
  // The return value or the error's kind only: never its message, never the PIN.
  answer = error && error.name === "Pkcs11Error" && typeof error.code === "number"
    ? { returnValue: error.code }
    : { error: (error && error.name) || typeof error };
} finally {
  p.close(); // dlclose only: the library stays loaded and initialised for the main thread
}
parentPort.postMessage(answer);
`;

let pkcs11jsPath: string | undefined;

/**
 * Logs `session` in as the user with `pin` (empty: the reader's PIN pad asks for it) from a
 * worker thread. Fails as pkcs11js's C_Login would: a Pkcs11Error carrying the return value.
 */
export function loginOffThread(modulePath: string, session: Buffer, pin: string): Promise<void> {
  pkcs11jsPath ??= createRequire(import.meta.url).resolve("pkcs11js");
  // The PIN crosses in workerData only (copied to the worker, never logged).
  const worker = new Worker(LOGIN_WORKER, {
    eval: true,
    workerData: { pkcs11js: pkcs11jsPath, module: modulePath, session: Uint8Array.from(session), pin },
  });
  return new Promise<void>((resolve, reject) => {
    let answered = false;
    worker.once("message", (answer: Answer) => {
      answered = true;
      if ("ok" in answer) resolve();
      else if ("returnValue" in answer) reject(loginError(answer.returnValue));
      else reject(workerFailure(answer.error));
    });
    worker.once("error", (error) => {
      answered = true;
      reject(workerFailure(error.name));
    });
    worker.once("exit", () => {
      if (!answered) reject(workerFailure("WorkerExited"));
    });
  });
}

function loginError(returnValue: number): Error {
  return new pkcs11js.Pkcs11Error(`${ckrName(returnValue)}:${returnValue}`, returnValue, "C_Login");
}

function workerFailure(name: string): Error {
  const error = new Error("PKCS#11 login worker failed");
  error.name = name;
  return error;
}
