// buildApp never listens: main.ts does. Routes come from openapi.yaml — every operation there
// must have a handler here and nothing else is routed — and the roles allowed on each come from
// its x-roles. Errors leave as problem+json through one handler.
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { CodedError, type Code, type Lang } from "../errors.js";
import type { Logger } from "../log.js";
import { negotiateLanguage } from "./language.js";
import { loadContract, type Contract, type Role } from "./openapi.js";
import type { Principal, Principals } from "./principals.js";
import { problem } from "./problem.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | undefined;
    lang: Lang;
  }
  interface FastifyContextConfig {
    operationId?: string;
    roles?: readonly Role[];
  }
}

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
export type Handlers = Readonly<Record<string, Handler>>;

export interface AppDeps {
  readonly logger: Logger;
  readonly principals: Principals;
  readonly handlers: Handlers;
  readonly defaultLang?: Lang;
  readonly contract?: Contract;
  /** Requests larger than this are refused with BODY_TOO_LARGE. */
  readonly bodyLimit?: number;
  /** Told of every problem answered (the metrics count them by code). */
  readonly onProblem?: (code: Code) => void;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const contract = deps.contract ?? loadContract();
  const defaultLang = deps.defaultLang ?? "fr";
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimit ?? 64 * 1024,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    return503OnClosing: true,
    // A path the router cannot read (broken percent-encoding, a parameter over 100 characters)
    // is refused before any route or hook: without this, fastify answers its own JSON, not a
    // problem (found by tests/e2e/hostile-input.test.ts).
    frameworkErrors: (error, request, reply) => {
      const body = problem(
        error.code === "FST_ERR_ASYNC_CONSTRAINT" ? "INTERNAL" : "REQUEST_INVALID",
        negotiateLanguage(request.headers["accept-language"], defaultLang),
      );
      deps.onProblem?.(body.code);
      void (reply as FastifyReply).status(body.status).type("application/problem+json").send(body);
    },
  });
  // JSON only: a text/plain body is refused as such rather than failing the schema.
  app.removeContentTypeParser("text/plain");
  app.decorateRequest("principal", undefined);
  app.decorateRequest("lang", "fr");
  for (const schema of contract.sharedSchemas) app.addSchema(schema);

  // Callback hooks, not async ones: no promise and no extra microtask on every request.
  app.addHook("onRequest", (request, reply, done) => {
    request.lang = negotiateLanguage(request.headers["accept-language"], defaultLang);
    const roles = request.routeOptions.config.roles;
    if (!roles || roles.length === 0) return done();
    const auth = deps.principals.authenticate(request.headers.authorization);
    if (!auth.ok) {
      reply.header("www-authenticate", 'Bearer realm="mcn-rights"');
      return done(new CodedError(auth.code));
    }
    if (!roles.includes(auth.principal.role)) return done(new CodedError("ROLE_FORBIDDEN"));
    request.principal = auth.principal;
    done();
  });

  // One line per request, naming the route pattern (never the URL: it may hold a NISS).
  app.addHook("onResponse", (request, reply, done) => {
    request.log.info(
      {
        op: request.routeOptions.config.operationId,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        principal: request.principal?.name,
      },
      "request",
    );
    done();
  });

  app.setErrorHandler(async (error: unknown, request, reply) => {
    const lang = request.lang ?? defaultLang;
    const send = (body: ReturnType<typeof problem>) => {
      deps.onProblem?.(body.code);
      return reply.status(body.status).type("application/problem+json").send(body);
    };
    if (error instanceof CodedError)
      return send(problem(error.code, lang, error.detail ? { ...error.detail } : undefined));
    const fst = error as {
      code?: string;
      validation?: Array<{ instancePath: string; message?: string; params?: object }>;
      validationContext?: string;
      statusCode?: number;
    };
    if (fst.validation) {
      return send(
        problem("REQUEST_INVALID", lang, {
          errors: fst.validation.map((v) => ({
            path: `${fst.validationContext ?? "body"}${v.instancePath}`,
            message: v.message ?? "invalid",
          })),
        }),
      );
    }
    switch (fst.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return send(problem("BODY_TOO_LARGE", lang));
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return send(problem("UNSUPPORTED_MEDIA_TYPE", lang));
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
      case "FST_ERR_CTP_INVALID_JSON_BODY":
      case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
        return send(problem("REQUEST_INVALID", lang));
      default:
        break;
    }
    if (typeof fst.statusCode === "number" && fst.statusCode >= 400 && fst.statusCode < 500) {
      return send(problem("REQUEST_INVALID", lang));
    }
    request.log.error({ err: error, op: request.routeOptions.config.operationId }, "unexpected error");
    return send(problem("INTERNAL", lang));
  });

  app.setNotFoundHandler(async (request, reply) => {
    const body = problem("NOT_FOUND", request.lang ?? defaultLang);
    deps.onProblem?.(body.code);
    return reply.status(body.status).type("application/problem+json").send(body);
  });

  const missing = [...contract.operations.keys()].filter((id) => !deps.handlers[id]);
  if (missing.length > 0)
    throw new Error(`operations in openapi.yaml without a handler: ${missing.join(", ")}`);
  const unknown = Object.keys(deps.handlers).filter((id) => !contract.operations.has(id));
  if (unknown.length > 0)
    throw new Error(`handlers for operations not in openapi.yaml: ${unknown.join(", ")}`);

  for (const op of contract.operations.values()) {
    const handler = deps.handlers[op.operationId] as Handler;
    app.route({
      method: op.method,
      url: op.url,
      schema: op.schema,
      config: { operationId: op.operationId, roles: op.roles },
      handler,
    });
  }
  return app;
}
