// Issue 17: `npm start` on a machine without softhsm2, xmlsec1, xmllint or chromium. The daemon
// runs as a real process (`node dist/main.js`, as `npm start` does) over a fresh data directory:
// without SoftHSM2 the demo still becomes ready, opens its session with the personal
// certificate, answers the printed consultation online, and says in one line how to get the eID
// stand-in. SoftHSM is made unavailable twice: by pointing MCN_DEMO_SOFTHSM_MODULE nowhere, and
// by hiding the system's folders in a private mount namespace (`unshare`). A production start
// that names a missing PKCS#11 module stops at once, with one line naming the setting.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeApiTokens } from "../../src/demo/tokens.js";
import { SOFTHSM_MODULE } from "../../src/simulator/pki/index.js";
import { buildDist } from "../support/build.js";
import { testPki } from "../support/pki.js";
import { startDaemonProcess, stopProcess, type DaemonProc, type Launcher } from "../support/processes.js";

const HINT = "eID stand-in not offered";
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

let dist: string;
const root = mkdtempSync(join(tmpdir(), "mcn-fresh-"));
const running: DaemonProc[] = [];

// A full tsc build: on a loaded machine it can take longer than the default hook timeout.
beforeAll(async () => {
  dist = await buildDist();
}, 240_000);
afterAll(async () => {
  await Promise.all(running.map((proc) => stopProcess(proc)));
  rmSync(root, { recursive: true, force: true });
});

/** Starts the demo as `npm start` does (no setting but where to listen and keep its data). */
async function startDemo(name: string, env: Record<string, string>, launcher?: Launcher) {
  const dataDir = join(root, name);
  const daemon = await startDaemonProcess({
    dist,
    env: { MCN_DATA_DIR: dataDir, MCN_LISTEN: "127.0.0.1:0", ...env },
    logFile: join(root, `${name}.log`),
    ...(launcher ? { launcher } : {}),
  });
  running.push(daemon);
  return { daemon, dataDir, output: daemon.lines().join("\n") };
}

/** The consultation the banner tells the newcomer to paste, sent as curl would. */
function printedCurl(output: string): { url: string; token: string; body: string } {
  const m =
    /curl -s -X POST (\S+) -H 'Authorization: Bearer ([^']+)' \\\n\s+-H 'Content-Type: application\/json' -d '([^']+)'/.exec(
      output,
    );
  if (!m?.[1] || !m[2] || !m[3]) throw new Error(`no curl in the banner:\n${output}`);
  return { url: m[1], token: m[2], body: m[3] };
}

async function expectServesTheDemoWithoutEid(started: Awaited<ReturnType<typeof startDemo>>) {
  const { daemon, dataDir, output } = started;
  // The session the demo opens at start, with the personal certificate.
  expect(output).toMatch(/eHealth session open for Anne Dupont until \S+ \(personal-certificate\)/);
  // Exactly one line about the eID stand-in, saying how to get it.
  const hints = output.split("\n").filter((line) => line.includes("eID stand-in"));
  expect(hints).toHaveLength(1);
  expect(hints[0]).toContain(HINT);
  expect(hints[0]).toContain("apt-get install softhsm2");
  expect(hints[0]).toContain("npm test");
  expect(output).not.toMatch(STACK_LINE);
  expect(output).not.toMatch(/"level":(40|50|60)/); // no warning, error or fatal on the way

  const curl = printedCurl(output);
  expect(curl.url).toBe(`${daemon.url}/v1/consultations`);
  const res = await fetch(curl.url, {
    method: "POST",
    headers: { authorization: `Bearer ${curl.token}`, "content-type": "application/json" },
    body: curl.body,
  });
  expect(res.status).toBe(201);
  expect(await res.json()).toMatchObject({ outcome: "online", source: "online", insured: true });

  // The console offers only what works: the personal certificate, not the eID.
  const pharmacist = /pharmacist token: (\S+)/.exec(output)?.[1];
  const sessions = await fetch(`${daemon.url}/v1/sessions`, {
    headers: { authorization: `Bearer ${pharmacist}` },
  });
  expect(sessions.status).toBe(200);
  const listed = (await sessions.json()) as { methods: string[]; sessions: Array<{ method: string }> };
  expect(listed.methods).toEqual(["personal-certificate"]);
  expect(listed.sessions.map((s) => s.method)).toEqual(["personal-certificate"]);

  // What the first start generated: the PKI without an eID, no SoftHSM token directory.
  const descriptor = JSON.parse(readFileSync(join(dataDir, "pki/pki.json"), "utf8")) as object;
  expect(descriptor).not.toHaveProperty("eid");
  expect(existsSync(join(dataDir, "pki/tokens"))).toBe(false);
  for (const file of [
    "tokens.json",
    "mcn-rights.sqlite",
    "audit.key",
    "pki/organisation.p12",
    "pki/personal.p12",
  ])
    expect(existsSync(join(dataDir, file)), file).toBe(true);
}

describe("demo start without SoftHSM2", () => {
  it("with the SoftHSM module pointing nowhere: ready, session, online answer, one hint", async () => {
    const started = await startDemo("nowhere", {
      MCN_DEMO_SOFTHSM_MODULE: join(root, "no-softhsm/libsofthsm2.so"),
    });
    await expectServesTheDemoWithoutEid(started);
    expect(started.output).toContain(`no ${join(root, "no-softhsm/libsofthsm2.so")}`);
  });

  it("with SoftHSM2, xmlsec1, xmllint and every system binary hidden (private mount namespace)", async () => {
    const nsDir = join(root, "ns-node");
    mkdirSync(nsDir);
    const node = realpathSync(process.execPath);
    const module = existsSync(SOFTHSM_MODULE) ? realpathSync(SOFTHSM_MODULE) : SOFTHSM_MODULE;
    // Empty folders over SoftHSM's and over every folder of programs; /usr/bin last, since
    // `mount` lives there. Node itself stays reachable through a bind mount of its own.
    const hide = [dirname(SOFTHSM_MODULE), dirname(module), "/usr/local/bin", "/usr/sbin", "/usr/bin"].filter(
      (dir, i, all) => existsSync(dir) && all.indexOf(dir) === i,
    );
    const script = [
      "set -e",
      'mount -t tmpfs tmpfs "$1"',
      ': > "$1/node"',
      'mount --bind "$NS_NODE" "$1/node"',
      'for dir in $NS_HIDE; do mount -t tmpfs tmpfs "$dir"; done',
      `for gone in ${SOFTHSM_MODULE} /usr/bin/softhsm2-util /usr/bin/xmlsec1 /usr/bin/xmllint /usr/bin/openssl /usr/bin/pkcs11-tool /usr/bin/chromium; do`,
      '  if [ -e "$gone" ]; then echo "still there: $gone" >&2; exit 97; fi',
      "done",
      'dir="$1"; shift',
      'exec "$dir/node" "$@"',
    ].join("\n");
    const asRoot = userInfo().uid === 0;
    const launcher: Launcher = {
      command: "unshare",
      args: [...(asRoot ? ["--mount"] : ["--mount", "--map-root-user"]), "sh", "-c", script, "sh", nsDir],
    };
    const started = await startDemo("namespace", { NS_NODE: node, NS_HIDE: hide.join(" ") }, launcher);
    await expectServesTheDemoWithoutEid(started);
    expect(started.output).toContain(`no ${SOFTHSM_MODULE}`);
  });
});

describe("production start naming a PKCS#11 module that is not there", () => {
  const productionEnv = (module: string): Record<string, string> => {
    const pki = testPki();
    const dir = mkdtempSync(join(root, "production-"));
    return {
      MCN_ENV: "production",
      MCN_LISTEN: "127.0.0.1:0",
      MCN_DATA_DIR: join(dir, "data"),
      MCN_STS_CERT: pki.sts.certPath,
      MCN_PHARMACY_NIHII: pki.pharmacy.nihii,
      MCN_PHARMACY_NAME: pki.pharmacy.name,
      MCN_HOLDER_NIHII: pki.holder.nihii,
      MCN_HOLDER_SSIN: pki.holder.ssin,
      MCN_HOLDER_NAME: pki.holder.name,
      MCN_ORG_KEYSTORE: pki.organisation.p12Path,
      MCN_ORG_KEYSTORE_PASSWORD: pki.organisation.password,
      MCN_PKCS11_MODULE: module,
      MCN_PKCS11_TOKEN_LABEL: "BELPIC",
      MCN_PACKAGE_NAME: "mcn-rights",
      MCN_PACKAGE_LICENSE_USER: "licence-user",
      MCN_PACKAGE_LICENSE_PASSWORD: "licence-password",
      MCN_TOKENS_FILE: writeApiTokens(dir, pki.holder.nihii).file,
    };
  };

  /** `node dist/main.js` to its end: exit code and everything it printed, both streams. */
  function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(dist, "main.js")], { env: { ...process.env, ...env } });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output }));
    });
  }

  it("a path where nothing is: exit 1, one line naming MCN_PKCS11_MODULE, no stack", async () => {
    const module = join(root, "no-eid-middleware/libbeidpkcs11.so.0");
    const env = productionEnv(module);
    const { code, output } = await run(env);
    expect(code).toBe(1);
    const lines = output.split("\n").filter((line) => line.trim() !== "");
    expect(lines).toEqual([
      `mcn-rights: configuration: MCN_PKCS11_MODULE: ${module} does not exist; install the eID middleware and name its PKCS#11 library, or unset it and use MCN_PERSONAL_KEYSTORE`,
    ]);
    expect(output).not.toMatch(STACK_LINE);
    // Stopped before anything was opened or created.
    expect(existsSync(env["MCN_DATA_DIR"] as string)).toBe(false);
  });

  it("a file that is not a library: exit 1, one line naming MCN_PKCS11_MODULE and the loader's reason", async () => {
    const notALibrary = testPki().ca.certPath;
    const { code, output } = await run(productionEnv(notALibrary));
    expect(code).toBe(1);
    const lines = output.split("\n").filter((line) => line.trim() !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^mcn-rights: configuration: MCN_PKCS11_MODULE: cannot load ${notALibrary} \\(.*invalid ELF header\\)`,
      ),
    );
    expect(output).not.toMatch(STACK_LINE);
  });
});

// The check above is what makes `unshare` worth it: outside the namespace the tools are there.
it("the machine running these tests has the system tools the namespace hides", () => {
  expect(spawnSync("xmllint", ["--version"]).status).toBe(0);
  expect(existsSync(SOFTHSM_MODULE)).toBe(true);
});
