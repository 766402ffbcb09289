// The consultation path profiled: a daemon and a simulator of their own under --cpu-prof (so the
// profiler slows no measured figure), cache off, simulator latency 0, 10 connections. Only the
// samples of the measured seconds count; each is charged to a step (bench/lib/cpu-profile.js).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { attribute, DAEMON_RULES, SIMULATOR_RULES } from "../lib/cpu-profile.js";
import { load } from "../lib/load.js";
import { startDaemon, startSimulator } from "../lib/processes.js";
import { progress } from "../lib/context.js";

export const name = "profile";

export async function run(ctx) {
  const { settings: s, dir } = ctx;
  progress("CPU profile of the consultation path");
  const profDir = join(dir, "profiles");
  mkdirSync(profDir, { recursive: true });
  const prof = (n) => ["--cpu-prof", `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${n}.cpuprofile`];
  const simP = ctx.track(
    await startSimulator({
      dist: s.dist,
      // The same data directory: the same test PKI as the daemons' configuration.
      dataDir: join(dir, "sim"),
      logFile: join(dir, "simulator-p.log"),
      nodeArgs: prof("simulator"),
    }),
  );
  const daemonP = ctx.track(
    await startDaemon({
      dist: s.dist,
      env: ctx.daemonEnv(simP, join(dir, "daemon-p"), { MCN_CACHE_TTL_MS: "0" }),
      logFile: join(dir, "daemon-p.log"),
      nodeArgs: prof("daemon"),
    }),
  );
  await ctx.openSession(daemonP);
  await load({ url: daemonP.url, ...ctx.consultation(ctx.online), connections: 10, duration: s.warmup || 1 });
  const from = Number(process.hrtime.bigint() / 1000n);
  const profiled = await load({
    url: daemonP.url,
    ...ctx.consultation(ctx.online),
    connections: 10,
    duration: s.duration,
  });
  const to = Number(process.hrtime.bigint() / 1000n);
  await ctx.finish(daemonP);
  await ctx.finish(simP);
  ctx.results.profile = {
    consultationsPerSecondUnderProfiler: profiled.perSecond,
    consultations: profiled.responses,
    daemon: attribute(join(profDir, "daemon.cpuprofile"), DAEMON_RULES, s.distUrl, { from, to }),
    simulator: attribute(join(profDir, "simulator.cpuprofile"), SIMULATOR_RULES, s.distUrl, { from, to }),
  };
}
