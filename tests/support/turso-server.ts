import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

interface FakeDatabase {
  Name: string;
  DbId: string;
  Hostname: string;
  group: string;
}

/**
 * A local HTTP server that answers like Turso's Platform API for the calls Nexus makes:
 * POST/GET/DELETE /v1/organizations/{org}/databases[/{name}], bearer-token auth, 409 on a taken name.
 * `failNext` makes the next create answer 500, for failure tests.
 */
export async function startFakeTurso(options: { organization: string; token: string }) {
  const databases = new Map<string, FakeDatabase>();
  const requests: { method: string; path: string }[] = [];
  const state = { failNext: 0 };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = "";
      req.on("data", (c: Buffer) => {
        data += c.toString();
      });
      req.on("end", () => resolve(data));
    });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push({ method: req.method ?? "", path: url.pathname });
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return send(res, 401, { error: "could not parse jwt" });
    const match = url.pathname.match(/^\/v1\/organizations\/([^/]+)\/databases(?:\/([^/]+))?$/);
    if (!match || match[1] !== options.organization) return send(res, 404, { error: "not found" });
    const name = match[2] ? decodeURIComponent(match[2]) : undefined;
    if (req.method === "POST" && !name) {
      if (state.failNext > 0) {
        state.failNext--;
        return send(res, 500, { error: "internal error" });
      }
      const body = JSON.parse((await readBody(req)) || "{}") as { name?: string; group?: string };
      if (!body.name || !body.group) return send(res, 400, { error: "name and group are required" });
      if (databases.has(body.name))
        return send(res, 409, { error: `database with name ${body.name} already exists` });
      const db = {
        Name: body.name,
        DbId: crypto.randomUUID(),
        Hostname: `${body.name}-${options.organization}.turso.io`,
        group: body.group,
      };
      databases.set(body.name, db);
      return send(res, 200, { database: db });
    }
    if (req.method === "GET" && name) {
      const db = databases.get(name);
      return db ? send(res, 200, { database: db }) : send(res, 404, { error: "database not found" });
    }
    if (req.method === "DELETE" && name) {
      if (!databases.delete(name)) return send(res, 404, { error: "database not found" });
      return send(res, 200, { database: name });
    }
    return send(res, 405, { error: "method not allowed" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    databases,
    requests,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
