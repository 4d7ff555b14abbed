import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../db/control/schema";
import { AppError } from "../../shared/errors";
import { verifyPassword } from "../../worker/auth/password";
import {
  hashNewPassword,
  passwordProblems,
  setPassword,
  validateNewPassword,
} from "../../worker/auth/password-policy";
import { freshControl } from "../support/databases";
import { createUser } from "../support/fixtures";

describe("the password policy", () => {
  it("accepts a long password that is not common", async () => {
    expect(await passwordProblems("Granite-Harbor-Lantern-42")).toEqual([]);
    expect(await passwordProblems("correct horse battery staple")).toEqual([]);
    expect(await passwordProblems("ünïcødé-pässwörd-ok")).toEqual([]);
  });

  it("refuses fewer than 12 or more than 200 characters", async () => {
    expect(await passwordProblems("Short-1")).toEqual(["Use at least 12 characters."]);
    expect(await passwordProblems(`${"x".repeat(199)}yz`)).toEqual(["Use at most 200 characters."]);
  });

  it("refuses the most common passwords, whatever their case", async () => {
    for (const common of ["1q2w3e4r5t6y", "QWERTYUIOP123", "administrator", "123456789987654321"]) {
      expect(await passwordProblems(common), common).toHaveLength(1);
    }
  });

  it("refuses a common password with digits or symbols added at the end", async () => {
    for (const weak of ["dragon2024!!!", "Sunshine2024!", "football 12345", "letmein!!!!!!"]) {
      expect(await passwordProblems(weak), weak).toEqual([
        "This is a commonly used password with a few characters added. Choose another.",
      ]);
    }
  });

  it("refuses one repeated character and the account's own address", async () => {
    expect(await passwordProblems("zzzzzzzzzzzzzzzz")).toEqual(["Do not repeat a single character."]);
    expect(await passwordProblems("jane.doe@example.org", { email: "Jane.Doe@example.org" })).toEqual([
      "Do not use your email address as your password.",
    ]);
    expect(await passwordProblems("principal.smith2024", { email: "principal.smith@district.org" })).toEqual([
      "Do not use your email address as your password.",
    ]);
  });

  it("reports problems as a BAD_REQUEST on the field named", async () => {
    const error = await validateNewPassword("password1234", {}, "newPassword").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("BAD_REQUEST");
    expect(Object.keys((error as AppError).details.fieldErrors ?? {})).toEqual(["newPassword"]);
    await expect(hashNewPassword("password1234")).rejects.toBeInstanceOf(AppError);
  });

  it("stores an accepted password as a hash and records when it changed", async () => {
    const { db } = await freshControl();
    const user = await createUser(db);
    await setPassword(db, user.id, "Granite-Harbor-Lantern-42");
    const stored = await db.query.users.findFirst({ where: eq(users.id, user.id) });
    expect(stored?.passwordChangedAt).toBeInstanceOf(Date);
    expect(await verifyPassword(stored!.passwordHash!, "Granite-Harbor-Lantern-42")).toBe(true);
    await expect(setPassword(db, user.id, "qwerty123456")).rejects.toBeInstanceOf(AppError);
    const after = await db.query.users.findFirst({ where: eq(users.id, user.id) });
    expect(after?.passwordHash).toBe(stored?.passwordHash);
  });
});
