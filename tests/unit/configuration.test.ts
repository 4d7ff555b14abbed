import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { namespaceHeader } from "../../db/client";
import { dataPlaneFrom } from "../../db/data-plane";
import { DEAD_LETTER_QUEUE, JOBS_QUEUE } from "../../jobs/messages";
import { schedule } from "../../jobs/schedule";
import { loggablePath } from "../../worker/http";

const wrangler = readFileSync("wrangler.toml", "utf8");

/** The Env fields that hold secrets: described as "Secret:", or named as a token, key or secret. */
function secretNames(envSource: string): string[] {
  const names = new Set<string>();
  for (const m of envSource.matchAll(/\/\*\*([^*]|\*(?!\/))*\*\/\s*([A-Z][A-Z0-9_]*)\??:/g)) {
    if (/^\/\*\*\s*Secret:/.test(m[0])) names.add(m[2]!);
  }
  for (const m of envSource.matchAll(/^\s*([A-Z][A-Z0-9_]*(?:_TOKEN|_KEY|_SECRET))\??:/gm)) names.add(m[1]!);
  return [...names].sort();
}

/** Whether the TOML gives `name` a value (a key outside comments, followed by `=`). */
function assigns(toml: string, name: string): boolean {
  const code = toml
    .split("\n")
    .map((line) => line.replace(/#.*$/, ""))
    .join("\n");
  return new RegExp(`(^|[\\s{,.])"?${name}"?\\s*=`, "m").test(code);
}

describe("wrangler.toml", () => {
  it("lists exactly the cron expressions the schedule handles", () => {
    const crons = JSON.parse(wrangler.match(/^crons = (\[.*\])$/m)?.[1] ?? "[]") as string[];
    expect(crons.sort()).toEqual(Object.keys(schedule).sort());
  });

  it("binds the jobs queue with its dead-letter queue, and consumes both", () => {
    expect(wrangler).toContain(`dead_letter_queue = "${DEAD_LETTER_QUEUE}"`);
    const consumers = [...wrangler.matchAll(/\[\[queues\.consumers\]\]\nqueue = "([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(consumers.sort()).toEqual([DEAD_LETTER_QUEUE, JOBS_QUEUE].sort());
  });

  it("keeps secrets out of the file", () => {
    // Every secret the Worker reads (worker/env.ts: "Secret:" in its description, or a token, key or secret
    // by name) is set with `wrangler secret put` or .dev.vars, never given a value here.
    const secrets = secretNames(readFileSync("worker/env.ts", "utf8"));
    expect(secrets).toEqual(
      expect.arrayContaining([
        "CONTROL_DATABASE_TOKEN",
        "TURSO_API_TOKEN",
        "TURSO_DATABASE_TOKEN",
        "ENCRYPTION_KEY",
        "GOOGLE_CLIENT_SECRET",
        "MICROSOFT_CLIENT_SECRET",
        "EMAIL_API_KEY",
      ]),
    );
    expect(secrets.filter((name) => assigns(wrangler, name))).toEqual([]);
    // The check sees a value given in any form TOML allows.
    expect(assigns('[vars]\nEMAIL_API_KEY = "re_123"', "EMAIL_API_KEY")).toBe(true);
    expect(assigns('vars = { ENCRYPTION_KEY="abc" }', "ENCRYPTION_KEY")).toBe(true);
    expect(assigns("# set EMAIL_API_KEY with wrangler secret put", "EMAIL_API_KEY")).toBe(false);
    expect(assigns(wrangler, "ENVIRONMENT")).toBe(true);
  });
});

describe("the data plane settings", () => {
  it("select sqld namespaces locally", () => {
    const plane = dataPlaneFrom({
      DATA_PLANE: "local",
      LIBSQL_URL: "http://127.0.0.1:1",
      LIBSQL_ADMIN_URL: "http://127.0.0.1:2",
    });
    expect(plane.control).toEqual({ url: "http://127.0.0.1:1", namespace: "control" });
    expect(plane.tenant({ databaseName: "tenant-riverton", databaseUrl: null })).toEqual({
      url: "http://127.0.0.1:1",
      namespace: "tenant-riverton",
    });
  });

  it("use each tenant's own URL and the group token on Turso", () => {
    const plane = dataPlaneFrom({
      DATA_PLANE: "turso",
      CONTROL_DATABASE_URL: "libsql://control-ops.turso.io",
      CONTROL_DATABASE_TOKEN: "c",
      TURSO_API_URL: "https://api.turso.tech",
      TURSO_ORGANIZATION: "ops",
      TURSO_GROUP: "default",
      TURSO_API_TOKEN: "p",
      TURSO_DATABASE_TOKEN: "g",
    });
    expect(plane.tenant({ databaseName: "tenant-a", databaseUrl: "libsql://tenant-a-ops.turso.io" })).toEqual(
      {
        url: "libsql://tenant-a-ops.turso.io",
        authToken: "g",
      },
    );
    expect(() => plane.tenant({ databaseName: "tenant-b", databaseUrl: null })).toThrow(/no URL/);
  });

  it("name what is missing when the configuration is incomplete", () => {
    expect(() => dataPlaneFrom({ DATA_PLANE: "turso", TURSO_ORGANIZATION: "ops" })).toThrow(
      /CONTROL_DATABASE_URL/,
    );
    expect(() => dataPlaneFrom({})).toThrow(/not configured/);
  });

  it("encode the namespace header as base64 without padding", () => {
    expect(namespaceHeader("control")).toBe("Y29udHJvbA");
    expect(namespaceHeader("tenant-ab")).not.toContain("=");
  });
});

describe("request logs", () => {
  it("never carry an invitation token", () => {
    expect(loggablePath("/auth/invitations/abcdef123456/accept")).toBe("/auth/invitations/[redacted]/accept");
    expect(loggablePath("/auth/invitations/abcdef123456")).toBe("/auth/invitations/[redacted]");
    expect(loggablePath("/trpc/system.me")).toBe("/trpc/system.me");
  });
});
