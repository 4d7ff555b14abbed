import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox } from "../../db/control/schema";
import { postEmail, sendEmail, sendEmails } from "../../worker/email";
import { freshControl } from "../support/databases";
import { startEmailServer } from "../support/email-server";

const apiKey = "re_test_key";
let server: Awaited<ReturnType<typeof startEmailServer>>;

beforeAll(async () => {
  server = await startEmailServer({ apiKey });
});
afterAll(async () => {
  await server.close();
});

const configured = () => ({
  EMAIL_API_URL: server.url,
  EMAIL_API_KEY: apiKey,
  EMAIL_FROM: "Nexus <no-reply@nexus.test>",
});

const message = (to: string) => ({
  tenantId: "tenant-1",
  kind: "invitation",
  to,
  subject: "You're invited",
  text: "Open http://nexus.test/invitations/secret-token-123 to join.",
  html: '<a href="http://nexus.test/invitations/secret-token-123">Join</a>',
  secrets: ["secret-token-123"],
});

describe("the email provider client", () => {
  it("hands a message to the provider and returns the provider's id", async () => {
    const result = await postEmail(
      { apiUrl: server.url, apiKey },
      { from: "a@nexus.test", to: ["b@example.org"], subject: "Hi", text: "Hello" },
    );
    expect(result).toEqual({ ok: true, id: expect.any(String) });
    expect(server.received.at(-1)).toMatchObject({
      from: "a@nexus.test",
      to: ["b@example.org"],
      subject: "Hi",
    });
  });

  it("reports a 422 validation error with the provider's message", async () => {
    const result = await postEmail(
      { apiUrl: server.url, apiKey },
      { from: "a@nexus.test", to: ["not-an-address"], subject: "Hi", text: "Hello" },
    );
    expect(result).toMatchObject({ ok: false, status: 422 });
    expect(!result.ok && result.error).toMatch(/^422 validation_error: Invalid `to` field/);
  });

  it("reports a 500 and a refused key as failures", async () => {
    server.state.failNext = 1;
    const failed = await postEmail(
      { apiUrl: server.url, apiKey },
      { from: "a@nexus.test", to: ["b@example.org"], subject: "Hi", text: "Hello" },
    );
    expect(failed).toMatchObject({ ok: false, status: 500 });
    const refused = await postEmail(
      { apiUrl: server.url, apiKey: "wrong" },
      { from: "a@nexus.test", to: ["b@example.org"], subject: "Hi", text: "Hello" },
    );
    expect(refused).toMatchObject({ ok: false, status: 401 });
  });

  it("reports an unreachable provider as a failure instead of throwing", async () => {
    const result = await postEmail(
      { apiUrl: "http://127.0.0.1:9", apiKey },
      { from: "a@nexus.test", to: ["b@example.org"], subject: "Hi", text: "Hello" },
    );
    expect(result).toMatchObject({ ok: false, status: null });
  });
});

describe("sending email", () => {
  it("only captures mail in the outbox when no provider is configured", async () => {
    const { db } = await freshControl();
    const before = server.received.length;
    const delivery = await sendEmail({}, db, message("c@example.org"));
    expect(delivery).toMatchObject({ status: "captured", providerMessageId: null, error: null });
    expect(server.received.length).toBe(before);
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, delivery.outboxId));
    expect(row).toMatchObject({
      status: "captured",
      to: "c@example.org",
      tenantId: "tenant-1",
      kind: "invitation",
    });
    // Captured mail is how links are read locally: it keeps the whole text.
    expect(row?.text).toContain("secret-token-123");
  });

  it("records sent mail with the provider's id, without the link's secret", async () => {
    const { db } = await freshControl();
    const delivery = await sendEmail(configured(), db, message("d@example.org"));
    expect(delivery.status).toBe("sent");
    expect(delivery.providerMessageId).toEqual(expect.any(String));
    const delivered = server.received.at(-1);
    expect(delivered?.to).toEqual(["d@example.org"]);
    expect(delivered?.text).toContain("secret-token-123");
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, delivery.outboxId));
    expect(row).toMatchObject({ status: "sent", providerMessageId: delivery.providerMessageId, error: null });
    expect(row?.text).not.toContain("secret-token-123");
    expect(row?.html).not.toContain("secret-token-123");
  });

  it("records a refused message as failed with the reason, and keeps it", async () => {
    const { db } = await freshControl();
    const delivery = await sendEmail(configured(), db, message("no-at-sign"));
    expect(delivery.status).toBe("failed");
    expect(delivery.error).toMatch(/422 validation_error/);
    server.state.failNext = 1;
    const second = await sendEmail(configured(), db, message("e@example.org"));
    expect(second).toMatchObject({ status: "failed", error: expect.stringMatching(/^500 /) });
    const rows = await db.select().from(emailOutbox);
    expect(rows.map((r) => r.status).sort()).toEqual(["failed", "failed"]);
  });

  it("records mail as failed when the provider is only half configured", async () => {
    const { db } = await freshControl();
    const noFrom = await sendEmail(
      { EMAIL_API_URL: server.url, EMAIL_API_KEY: apiKey },
      db,
      message("f@example.org"),
    );
    expect(noFrom).toMatchObject({ status: "failed", error: expect.stringMatching(/EMAIL_FROM/) });
    const noKey = await sendEmail({ EMAIL_API_URL: server.url }, db, message("g@example.org"));
    expect(noKey).toMatchObject({ status: "failed", error: expect.stringMatching(/EMAIL_API_KEY/) });
    expect(await db.select().from(emailOutbox)).toHaveLength(2);
  });

  it("sends a batch with a result per message, in order", async () => {
    const { db } = await freshControl();
    const deliveries = await sendEmails(configured(), db, [
      message("h@example.org"),
      message("broken"),
      message("i@example.org"),
    ]);
    expect(deliveries.map((d) => d.status)).toEqual(["sent", "failed", "sent"]);
    expect(await db.select().from(emailOutbox)).toHaveLength(3);
  });
});
