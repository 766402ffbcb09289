// The processes under test, each on its own: the MyCareNet simulator, the daemon (as
// `node dist/main.js`, configured by environment like in production) and the bare fastify
// server of the framework ceiling. Their output goes to files in the run's directory, not
// through this process, which runs the load.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

const READY_TIMEOUT_MS = 60_000;

function spawnLogged(args, env, logFile) {
  const fd = openSync(logFile, "a");
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

/** Waits until a line of `logFile` satisfies `match` (returns a value); rejects if the process dies. */
async function waitForLine(logFile, exited, match, what, child) {
  try {
    return await waitFor(logFile, exited, match, what);
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    throw error;
  }
}

async function waitFor(logFile, exited, match, what) {
  let dead;
  void exited.then((e) => (dead = e));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const text = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
    for (const line of text.split("\n")) {
      const found = match(line, text);
      if (found !== undefined) return found;
    }
    if (dead) throw new Error(`${what} exited (${JSON.stringify(dead)}) before ready:\n${text.slice(-2000)}`);
    await sleep(2);
  }
  throw new Error(`${what} not ready after ${READY_TIMEOUT_MS} ms (see ${logFile})`);
}

export async function startSimulator({ dist, dataDir, logFile, env = {}, nodeArgs = [] }) {
  const { child, exited } = spawnLogged(
    [...nodeArgs, join(dist, "simulator/main.js")],
    {
      MCN_SIM_PORT: "0",
      MCN_SIM_CONTROL_PORT: "0",
      MCN_SIM_SEED: "1",
      MCN_DATA_DIR: dataDir,
      // The XSD check of every payload runs xmllint one at a time after the answer: under load it
      // queues one spawn per consultation, and the 100 000 of item 5 kept a core busy for the
      // rest of the run (the later figures moved with it). The tests check every payload.
      MCN_SIM_XSD_CHECK: "false",
      ...env,
    },
    logFile,
  );
  const urls = await waitForLine(
    logFile,
    exited,
    (line, text) => {
      const sts = /STS\s+(http\S+)/.exec(text)?.[1];
      const insurability = /insurability\s+(http\S+)/.exec(text)?.[1];
      const control = /control API\s+(http\S+?)\/_control\//.exec(text)?.[1];
      const pki = /test PKI\s+(\S+)/.exec(text)?.[1];
      return line.includes("package licence") && sts && insurability && control && pki
        ? { sts, insurability, control, pki }
        : undefined;
    },
    "simulator",
    child,
  );
  return { child, exited, pid: child.pid, ...urls };
}

/**
 * Starts `node [nodeArgs] dist/main.js` and waits for its "mcn-rights ready" log line.
 * `wallMs`: from spawn to that line being read (node start, imports, keystores, store, listen);
 * `readyMs`: what the daemon itself logs (from its configuration check to listening).
 */
export async function startDaemon({ dist, env, logFile, nodeArgs = [] }) {
  const t0 = performance.now();
  const { child, exited } = spawnLogged([...nodeArgs, join(dist, "main.js")], env, logFile);
  const ready = await waitForLine(
    logFile,
    exited,
    (line) => (line.includes('"mcn-rights ready"') ? JSON.parse(line) : undefined),
    "daemon",
    child,
  );
  return {
    child,
    exited,
    pid: child.pid,
    url: ready.url,
    readyMs: ready.readyMs,
    wallMs: performance.now() - t0,
  };
}

export async function startBare({ logFile }) {
  const { child, exited } = spawnLogged(
    [new URL("../bare-fastify.js", import.meta.url).pathname],
    {},
    logFile,
  );
  const url = await waitForLine(
    logFile,
    exited,
    (line) => /^listening (http\S+)/.exec(line)?.[1],
    "bare fastify",
    child,
  );
  return { child, exited, pid: child.pid, url };
}

export async function stop(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.exited;
  proc.child.kill("SIGTERM");
  const done = await Promise.race([proc.exited, sleep(15_000).then(() => undefined)]);
  if (done) return done;
  proc.child.kill("SIGKILL");
  return proc.exited;
}

/** Resident memory now and at its peak, in MB (Linux /proc; null elsewhere). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
    return { rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
  } catch {
    return { rssMb: null, peakRssMb: null };
  }
}

/** The signature ceiling as a process that signs for as long as it is asked (interleave()). */
export async function startSignatureCeiling() {
  const child = spawn(
    process.execPath,
    [new URL("../signature-ceiling.js", import.meta.url).pathname, "--serve"],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error("the signature ceiling process ended");
    return value;
  };
  if ((await next()) !== "ready") throw new Error("the signature ceiling process did not start");
  return {
    child,
    exited,
    pid: child.pid,
    async run(seconds) {
      child.stdin.write(`${Math.round(seconds * 1000)}\n`);
      return JSON.parse(await next());
    },
  };
}
