// The daemon and the simulator as processes of their own, configured by environment like in
// production, that a test can kill -9 (the long tests). Output goes to a file per process; the
// helpers wait for the line that says each is ready.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { acceptanceEnv } from "../../src/demo/acceptance-env.js";
import { writeApiTokens, type ApiTokens } from "../../src/demo/tokens.js";
import { buildDist } from "./build.js";
import { TEST_PKI_DIR, testPki } from "./pki.js";

const READY_TIMEOUT_MS = 60_000;

export interface Proc {
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** How a process is started: node itself, or node behind a wrapper (e.g. `unshare`). */
export interface Launcher {
  command: string;
  /** Put before the script and its arguments (the wrapper runs node itself). */
  args: string[];
}

function spawnLogged(
  args: string[],
  env: Record<string, string>,
  logFile: string,
  launcher?: Launcher,
): Proc {
  const fd = openSync(logFile, "a");
  const child = spawn(launcher?.command ?? process.execPath, [...(launcher?.args ?? []), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, pid: child.pid as number, logFile, exited };
}

/** Waits for `match` to return a value from the log (read from `offset`); fails if the process dies. */
async function waitFor<T>(
  proc: Proc,
  offset: number,
  match: (text: string) => T | undefined,
  what: string,
): Promise<T> {
  let dead: unknown;
  void proc.exited.then((e) => (dead = e));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const text = existsSync(proc.logFile) ? readFileSync(proc.logFile, "utf8").slice(offset) : "";
    const found = match(text);
    if (found !== undefined) return found;
    if (dead) throw new Error(`${what} exited (${JSON.stringify(dead)}) before ready:\n${text.slice(-3000)}`);
    await sleep(10);
  }
  throw new Error(`${what} not ready after ${READY_TIMEOUT_MS} ms (${proc.logFile})`);
}

const sizeOf = (file: string) => (existsSync(file) ? readFileSync(file).length : 0);

export interface SimulatorProc extends Proc {
  sts: string;
  insurability: string;
  control: string;
}

export async function startSimulatorProcess(options: {
  dist: string;
  dataDir: string;
  logFile: string;
  env?: Record<string, string>;
}): Promise<SimulatorProc> {
  const offset = sizeOf(options.logFile);
  const proc = spawnLogged(
    [join(options.dist, "simulator/main.js")],
    {
      MCN_SIM_PORT: "0",
      MCN_SIM_CONTROL_PORT: "0",
      MCN_SIM_SEED: "1",
      MCN_DATA_DIR: options.dataDir,
      ...options.env,
    },
    options.logFile,
  );
  const urls = await waitFor(
    proc,
    offset,
    (text) => {
      const sts = /STS\s+(http\S+)/.exec(text)?.[1];
      const insurability = /insurability\s+(http\S+)/.exec(text)?.[1];
      const control = /control API\s+(http\S+?)\/_control\//.exec(text)?.[1];
      return text.includes("package licence") && sts && insurability && control
        ? { sts, insurability, control }
        : undefined;
    },
    "simulator",
  );
  return { ...proc, ...urls };
}

export interface DaemonProc extends Proc {
  url: string;
  /** Every line the daemon logged since this start. */
  lines(): string[];
}

export async function startDaemonProcess(options: {
  dist: string;
  env: Record<string, string>;
  logFile: string;
  launcher?: Launcher;
}): Promise<DaemonProc> {
  const offset = sizeOf(options.logFile);
  const proc = spawnLogged([join(options.dist, "main.js")], options.env, options.logFile, options.launcher);
  const lines = () =>
    existsSync(proc.logFile) ? readFileSync(proc.logFile, "utf8").slice(offset).split("\n") : [];
  const url = await waitFor(
    proc,
    offset,
    (text) => {
      const line = text.split("\n").find((l) => l.includes('"mcn-rights ready"'));
      return line ? (JSON.parse(line) as { url: string }).url : undefined;
    },
    "daemon",
  );
  return { ...proc, url, lines };
}

export async function kill9(proc: Proc): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
  await proc.exited;
}

export async function stopProcess(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill("SIGTERM");
  const done = await Promise.race([proc.exited, sleep(15_000).then(() => undefined)]);
  if (!done) await kill9(proc);
}

/** Resident memory of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN) * 1024;
}

export type { ApiTokens } from "../../src/demo/tokens.js";
export { acceptanceEnv } from "../../src/demo/acceptance-env.js";

export async function setFaults(simulator: SimulatorProc, plan: object): Promise<void> {
  const res = await fetch(`${simulator.control}/_control/faults`, {
    method: "PUT",
    body: JSON.stringify(plan),
  });
  if (res.status !== 200) throw new Error(`fault plan refused: ${await res.text()}`);
}

export interface LongRun {
  dist: string;
  dir: string;
  simulator: SimulatorProc;
  tokens: ApiTokens;
  /** The daemon's environment, acceptance mode pointed at the simulator process. */
  env: Record<string, string>;
}

/**
 * What every long test starts from: a build, a fresh directory, the simulator as its own
 * process over the suite's test PKI (no new keys to mint), API tokens, the daemon's environment.
 */
export async function startLongRun(prefix: string, extraEnv: Record<string, string>): Promise<LongRun> {
  const dist = await buildDist();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, "sim/simulator"), { recursive: true });
  symlinkSync(TEST_PKI_DIR, join(dir, "sim/simulator/pki"));
  const simulator = await startSimulatorProcess({
    dist,
    dataDir: join(dir, "sim"),
    logFile: join(dir, "simulator.log"),
  });
  const tokens = writeApiTokens(dir, testPki().holder.nihii);
  const env = acceptanceEnv({
    pki: testPki(),
    simulator,
    dataDir: join(dir, "data"),
    tokensFile: tokens.file,
    extra: extraEnv,
  });
  return { dist, dir, simulator, tokens, env };
}
