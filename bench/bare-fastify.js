// The framework ceiling: fastify with one route answering a constant JSON, nothing else (no
// logger, no hooks, no schema). The daemon's stateless routes are measured against it.
import Fastify from "fastify";

const app = Fastify({ logger: false });
const body = {
  valid: true,
  normalized: "85073003328",
  kind: "national",
  birthDate: "1985-07-30",
  sex: "male",
};
app.get("/constant", async () => body);
await app.listen({ host: "127.0.0.1", port: 0 });
const { port } = /** @type {import("node:net").AddressInfo} */ (app.server.address());
process.stdout.write(`listening http://127.0.0.1:${port}\n`);
const close = () => app.close().then(() => process.exit(0));
process.once("SIGTERM", close);
process.once("SIGINT", close);
