import { eq } from "drizzle-orm";
import type { ControlDb } from "../../db/client";
import { users } from "../../db/control/schema";
import { AppError } from "../../shared/errors";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../shared/schemas/credentials";
import { hashPassword } from "./password";

/**
 * The rules a new password must meet (ASVS V6.2): at least 12 and at most 200 characters, any characters
 * allowed, no composition rules, and not one of the ~49,000 most common passwords (the ranked list of
 * zxcvbn-ts, from leaked-password corpora), nor such a password with digits or symbols tacked on.
 */
let commonPasswords: Promise<ReadonlySet<string>> | undefined;

/** Loaded on first use, so isolates that never set a password never pay for decompressing the list. */
function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import("@zxcvbn-ts/language-common").then(
    (m) => new Set(m.dictionary["passwords-common"].map((p) => p.toLowerCase())),
  );
  return commonPasswords;
}

export interface PasswordContext {
  /** The account's email address: a password made of it is refused. */
  email?: string | null;
}

/** Every rule `password` breaks, as messages for the person choosing it; empty when it is acceptable. */
export async function passwordProblems(password: string, context: PasswordContext = {}): Promise<string[]> {
  const length = [...password.normalize("NFKC")].length;
  if (length < PASSWORD_MIN_LENGTH) return [`Use at least ${PASSWORD_MIN_LENGTH} characters.`];
  if (length > PASSWORD_MAX_LENGTH) return [`Use at most ${PASSWORD_MAX_LENGTH} characters.`];
  const lower = password.normalize("NFKC").toLowerCase();
  if (/^(.)\1*$/u.test(lower)) return ["Do not repeat a single character."];
  const common = await loadCommonPasswords();
  if (common.has(lower)) return ["This is one of the most commonly used passwords. Choose another."];
  // A common password with digits or symbols added at the end ("sunshine2024!") is as easy to guess.
  const stem = lower.replace(/[\d\p{P}\p{S}\s]+$/u, "");
  if (stem !== lower && stem.length >= 4 && common.has(stem)) {
    return ["This is a commonly used password with a few characters added. Choose another."];
  }
  const email = context.email?.toLowerCase();
  if (email) {
    const local = email.split("@")[0] ?? "";
    if (lower.includes(email) || (local.length >= 4 && (stem === local || lower === local))) {
      return ["Do not use your email address as your password."];
    }
  }
  return [];
}

/** Throws BAD_REQUEST with the problems under `field` when `password` may not be used. */
export async function validateNewPassword(
  password: string,
  context: PasswordContext = {},
  field = "password",
): Promise<void> {
  const problems = await passwordProblems(password, context);
  if (problems.length > 0) {
    throw new AppError("BAD_REQUEST", problems[0]!, { fieldErrors: { [field]: problems } });
  }
}

/** Validates and hashes a new password: what registration and invitation acceptance store. */
export async function hashNewPassword(
  password: string,
  context: PasswordContext = {},
  field = "password",
): Promise<string> {
  await validateNewPassword(password, context, field);
  return hashPassword(password);
}

/**
 * Validates, hashes and stores a user's new password. It does not end sessions: callers that change a
 * password someone already had (profile, reset) follow it with `endUserSessions`.
 */
export async function setPassword(
  control: ControlDb,
  userId: string,
  password: string,
  options: PasswordContext & { field?: string; now?: Date } = {},
): Promise<void> {
  const passwordHash = await hashNewPassword(password, options, options.field);
  const now = options.now ?? new Date();
  await control
    .update(users)
    .set({ passwordHash, passwordChangedAt: now, updatedAt: now })
    .where(eq(users.id, userId));
}
