import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedEmail {
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
}

/**
 * A local HTTP server that answers like a Resend-style email API: `POST /emails` with
 * `Authorization: Bearer <key>` and a JSON body `{from, to, subject, text, html}` answers 200 `{id}`;
 * a wrong key answers 401; a body missing `from`, `to` or `subject`, or an address without "@", answers
 * 422 `{statusCode, name: "validation_error", message}`. `failNext` makes the next sends answer 500.
 */
export async function startEmailServer(options: { apiKey: string }) {
  const received: ReceivedEmail[] = [];
  const state = { failNext: 0 };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = "";
      req.on("data", (chunk: Buffer) => {
        data += chunk.toString();
      });
      req.on("end", () => resolve(data));
    });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = await readBody(req);
    if (req.method !== "POST" || url.pathname !== "/emails") {
      return send(res, 404, {
        statusCode: 404,
        name: "not_found",
        message: "The requested endpoint does not exist.",
      });
    }
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(res, 401, { statusCode: 401, name: "missing_api_key", message: "API key is invalid" });
    }
    if (state.failNext > 0) {
      state.failNext--;
      return send(res, 500, {
        statusCode: 500,
        name: "internal_server_error",
        message: "An unexpected error occurred.",
      });
    }
    let email: Partial<ReceivedEmail>;
    try {
      email = JSON.parse(body) as Partial<ReceivedEmail>;
    } catch {
      return send(res, 422, { statusCode: 422, name: "validation_error", message: "Invalid JSON body" });
    }
    const to = Array.isArray(email.to) ? email.to : [];
    if (!email.from || to.length === 0 || !email.subject) {
      return send(res, 422, {
        statusCode: 422,
        name: "validation_error",
        message: "The `from`, `to` and `subject` fields are required.",
      });
    }
    const bad = to.find((address) => !address.includes("@"));
    if (bad) {
      return send(res, 422, {
        statusCode: 422,
        name: "validation_error",
        message: `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` format.`,
      });
    }
    received.push(email as ReceivedEmail);
    return send(res, 200, { id: crypto.randomUUID() });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
