// Open sessions survive a restart: an acknowledged session (201) must not vanish with the
// process. They are kept in one file of the data directory, owner-only, replaced atomically.
// The assertion is useless without the organisation's private key (holder-of-key), which lives
// in its own keystore; no PIN or key is ever written here.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Session } from "./manager.js";

interface Stored {
  id: string;
  method: Session["method"];
  user: Session["user"];
  createdAt: string;
  notOnOrAfter: string;
  openedBy: string;
  token: { assertionXml: string; assertionId: string; notBefore: string; notOnOrAfter: string };
}

export interface SessionPersistence {
  load(): Session[];
  save(sessions: readonly Session[]): void;
}

export function sessionFile(path: string): SessionPersistence {
  return {
    load() {
      if (!existsSync(path)) return [];
      const stored = JSON.parse(readFileSync(path, "utf8")) as { sessions: Stored[] };
      return stored.sessions.map((s) => ({
        ...s,
        createdAt: new Date(s.createdAt),
        notOnOrAfter: new Date(s.notOnOrAfter),
        token: {
          ...s.token,
          notBefore: new Date(s.token.notBefore),
          notOnOrAfter: new Date(s.token.notOnOrAfter),
        },
      }));
    },
    save(sessions) {
      const stored: Stored[] = sessions.map((s) => ({
        id: s.id,
        method: s.method,
        user: s.user,
        createdAt: s.createdAt.toISOString(),
        notOnOrAfter: s.notOnOrAfter.toISOString(),
        openedBy: s.openedBy,
        token: {
          assertionXml: s.token.assertionXml,
          assertionId: s.token.assertionId,
          notBefore: s.token.notBefore.toISOString(),
          notOnOrAfter: s.token.notOnOrAfter.toISOString(),
        },
      }));
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify({ sessions: stored }), { mode: 0o600, flush: true });
      renameSync(tmp, path);
    },
  };
}
