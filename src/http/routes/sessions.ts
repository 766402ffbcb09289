import type { Session, SessionManager, SessionOpening } from "../../ehealth/sessions/manager.js";
import type { Handlers } from "../app.js";

export interface SessionEvents {
  opened(session: Session, by: string): void;
  closed(session: Session, by: string): void;
}

export function sessionView(s: Session, now: Date) {
  return {
    id: s.id,
    method: s.method,
    user: { name: s.user.name, nihii: s.user.nihii },
    createdAt: s.createdAt.toISOString(),
    notOnOrAfter: s.notOnOrAfter.toISOString(),
    secondsLeft: Math.max(0, Math.floor((s.notOnOrAfter.getTime() - now.getTime()) / 1000)),
  };
}

export function sessionHandlers(
  sessions: SessionManager,
  clock: () => Date,
  events?: SessionEvents,
): Handlers {
  return {
    openSession: async (request, reply) => {
      const body = request.body as SessionOpening;
      const by = request.principal?.name ?? "unknown";
      const session = await sessions.open(body, by);
      events?.opened(session, by);
      return reply.status(201).send(sessionView(session, clock()));
    },
    listSessions: async () => {
      const now = clock();
      return { sessions: sessions.list().map((s) => sessionView(s, now)), methods: sessions.methods };
    },
    closeSession: async (request, reply) => {
      const { id } = request.params as { id: string };
      const session = sessions.close(id);
      events?.closed(session, request.principal?.name ?? "unknown");
      return reply.status(204).send();
    },
  };
}
