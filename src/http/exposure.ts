// SPEC §4: the daemon listens on loopback (127.0.0.1:8750) unless told otherwise. It speaks plain
// HTTP, bearer tokens included, so listening anywhere else is worth a warning at every start.
import { isIP } from "node:net";

/** True for an address only this computer can reach: 127.0.0.0/8, ::1 (also v4-mapped), localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(h);
  if (v4 && isIP(h.replace(/^::ffff:/, "")) === 4) return v4[1] === "127";
  return isIP(h) === 6 && /^(?:0{0,4}:){1,7}0{0,3}1$|^::1$/.test(h);
}

/** The warning to log at start, or undefined when the listen address is loopback. */
export function exposureWarning(host: string): string | undefined {
  return isLoopback(host)
    ? undefined
    : "listening beyond loopback without TLS: API tokens and patient data cross the network in clear; put a TLS proxy in front";
}
