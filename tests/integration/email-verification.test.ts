import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, emailOutbox, users } from "../../db/control/schema";
import { AppError } from "../../shared/errors";
import { capturedOutboxRows, emailVerificationEmail } from "../../worker/email";
import {
  resendEmailVerification,
  verifyEmail,
} from "../../worker/packages/system/profile/email-verification";
import { changeEmail } from "../../worker/packages/system/profile/profile";
import { userActor } from "../support/actors";
import { freshControl } from "../support/databases";
import { startEmailServer } from "../support/email-server";
import { createUser } from "../support/fixtures";

const apiKey = "re_test_key";
const ENCRYPTION_KEY = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
let server: Awaited<ReturnType<typeof startEmailServer>>;

beforeAll(async () => {
  server = await startEmailServer({ apiKey });
});
afterAll(async () => {
  await server.close();
});

const base = { PUBLIC_URL: "http://nexus.test", ENCRYPTION_KEY };
const withProvider = () => ({
  ...base,
  EMAIL_API_URL: server.url,
  EMAIL_API_KEY: apiKey,
  EMAIL_FROM: "Nexus <no-reply@nexus.test>",
});
const actorOf = (userId: string) => userActor(userId, { ip: "203.0.113.9", requestId: "req-verify" });
const newAddress = () => `new-${crypto.randomUUID().slice(0, 8)}@example.org`;

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("address verification with an email provider", () => {
  it("commits the change, then hands both messages to the provider and keeps the link's token out of the stored copy", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const email = newAddress();
    const sentBefore = server.received.length;

    await changeEmail(db, { actor: actorOf(user.id), email, env: withProvider(), userAgent: null });

    const received = server.received.slice(sentBefore);
    expect(received.map((m) => m.to[0]).sort()).toEqual([email, user.email].sort());
    const link = received.find((m) => m.to[0] === email)!;
    const token = /#token=(\S+)/.exec(link.text ?? "")?.[1];
    expect(token).toMatch(/^ev1\./);
    const notice = received.find((m) => m.to[0] === user.email)!;
    expect(notice.text).toContain("IP address: 203.0.113.9");
    expect(notice.text).not.toContain("Device:");

    const stored = await db.select().from(emailOutbox).where(eq(emailOutbox.to, email));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "sent", kind: "email_verification" });
    expect(stored[0]?.text).toContain("/verify-email#token=[redacted]");
    expect(stored[0]?.text).not.toContain(token!);

    const result = await verifyEmail(db, { token: token!, secret: ENCRYPTION_KEY, ip: null, requestId: "r" });
    expect(result).toEqual({ email, status: "verified" });
    expect(
      (await db.query.users.findFirst({ where: eq(users.id, user.id) }))?.emailVerifiedAt,
    ).toBeInstanceOf(Date);
  });

  it("records a provider failure in the outbox and keeps the change", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const email = newAddress();
    server.state.failNext = 2;
    await changeEmail(db, { actor: actorOf(user.id), email, env: withProvider(), userAgent: null });
    const rows = await db.select().from(emailOutbox);
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed"]);
    expect((await db.query.users.findFirst({ where: eq(users.id, user.id) }))?.email).toBe(email);
    // The user can ask again once the provider is back.
    server.state.failNext = 0;
    const again = await resendEmailVerification(db, { actor: actorOf(user.id), env: withProvider() });
    expect(again).toEqual({ email, emailVerified: false, queued: true });
  });
});

describe("address verification without a provider", () => {
  it("captures both messages in the outbox in the same batch as the change", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const email = newAddress();
    const now = new Date("2026-05-04T10:00:00Z");
    await changeEmail(db, { actor: actorOf(user.id), email, env: base, userAgent: "curl/8.5.0" }, now);
    const rows = await db.select().from(emailOutbox);
    expect(rows.map((r) => [r.to, r.kind, r.status]).sort()).toEqual(
      [
        [email, "email_verification", "captured"],
        [user.email, "email_changed", "captured"],
      ].sort(),
    );
    const [changed] = await db.select().from(auditLog).where(eq(auditLog.action, "profile.email_changed"));
    // Written together: one timestamp for the change, its audit entry and its mail.
    expect(rows.every((r) => r.createdAt.getTime() === now.getTime())).toBe(true);
    expect(changed?.at.getTime()).toBe(now.getTime());
    expect(rows.find((r) => r.kind === "email_changed")?.text).toContain("Device: curl");
  });

  it("makes outbox rows to batch only when mail is captured", () => {
    const message = emailVerificationEmail({
      to: "a@example.org",
      name: "A",
      link: "http://nexus.test/verify-email#token=t0k3n",
      token: "t0k3n",
      expiresAt: new Date(),
    });
    expect(capturedOutboxRows({}, [message])).toMatchObject([{ status: "captured", to: "a@example.org" }]);
    expect(capturedOutboxRows({}, [message])?.[0]?.text).toContain("t0k3n");
    expect(capturedOutboxRows(withProvider(), [message])).toBeNull();
    expect(capturedOutboxRows({ EMAIL_API_URL: server.url }, [message])).toBeNull();
  });

  it("writes nothing and sends nothing when links cannot be made", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const noUrl = await caught(
      changeEmail(db, {
        actor: actorOf(user.id),
        email: newAddress(),
        env: { ENCRYPTION_KEY },
        userAgent: null,
      }),
    );
    expect(noUrl.code).toBe("UNAVAILABLE");
    const noKey = await caught(
      changeEmail(db, {
        actor: actorOf(user.id),
        email: newAddress(),
        env: { PUBLIC_URL: "http://nexus.test" },
        userAgent: null,
      }),
    );
    expect(noKey.code).toBe("UNAVAILABLE");
    expect((await db.query.users.findFirst({ where: eq(users.id, user.id) }))?.email).toBe(user.email);
    expect(await db.select().from(emailOutbox)).toEqual([]);
    expect(await db.select().from(auditLog).where(eq(auditLog.targetId, user.id))).toEqual([]);
  });

  it("refuses a link whose account is gone exactly like one whose address changed", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    const email = newAddress();
    await changeEmail(db, { actor: actorOf(user.id), email, env: base, userAgent: null });
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.to, email));
    const token = /#token=(\S+)/.exec(row?.text ?? "")?.[1] ?? "";
    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, user.id));
    const gone = await caught(verifyEmail(db, { token, secret: ENCRYPTION_KEY, ip: null, requestId: "r" }));
    expect({ code: gone.code, reason: gone.details.reason }).toEqual({
      code: "CONFLICT",
      reason: "email_verification_superseded",
    });
    // After 48 hours the same link is expired, whatever became of the account.
    const later = new Date(Date.now() + 49 * 60 * 60 * 1000);
    const expired = await caught(
      verifyEmail(db, { token, secret: ENCRYPTION_KEY, ip: null, requestId: "r" }, later),
    );
    expect(expired.details.reason).toBe("email_verification_expired");
  });
});
