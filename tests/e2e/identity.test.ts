import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { controlDatabase, openClient } from "../../db/client";
import { sessions } from "../../db/control/schema";
import { dataPlaneFrom } from "../../db/data-plane";
import { localPlaneSettings } from "../../scripts/lib/stack";
import { SESSION_COOKIE } from "../../worker/auth/cookies";
import { signEmailVerificationToken } from "../../worker/auth/email-verification-token";
import { sessionIdOf } from "../../worker/auth/session";
import { browserSuite, failure, toast } from "../support/e2e";

/**
 * Identity in Chromium against the whole local stack (sqld, the seeded districts, wrangler dev serving the
 * built client): signing in, two-factor enrolment and sign-in, sessions ended from elsewhere, and an
 * administrator inviting someone who joins through the link in the Outbox. Needs `npm run build:client`.
 */

const director = "director@riverton.example.org";
const technician = "tech@riverton.example.org";
const cedarOwner = "admin@cedarvalley.example.org";
const riverton = "Riverton R-IV School District";
const cedarValley = "Cedar Valley R-II School District";

const suite = browserSuite("identity");
const { password } = suite;
const { openPage, watch } = suite;

async function fillCredentials(page: Page, email: string, secret = password): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const signIn = (page: Page, email: string, secret = password) => suite.signIn(page, email, secret);

const { screenshot } = suite;

async function heading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

async function openAccountPage(page: Page, item: string): Promise<void> {
  await page.locator(".user-trigger").click();
  await page.getByRole("menuitem", { name: item }).click();
}

/** The code an authenticator app shows for the 30-second step `step` (RFC 6238: HOTP of the step). */
function totpAt(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), 6);
}

const currentStep = () => Math.floor(Date.now() / 30_000);

/** The relative luminance (WCAG) of a computed colour, `rgb(r, g, b)`: 0 for black, 1 for white. */
function luminance(colour: string): number {
  const channels = colour
    .match(/\d+(\.\d+)?/g)
    ?.slice(0, 3)
    .map(Number);
  if (channels?.length !== 3) throw new Error(`not an rgb() colour: ${colour}`);
  const [r, g, b] = channels.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Sets up two-factor on the Two-factor page with a code computed from the key it shows; leaves the codes shown. */
async function enrol(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
  const key = decodeBase32IgnorePadding(secret.replace(/\s+/g, ""));
  await page.getByLabel("Enter the 6-digit code the app shows").fill(totpAt(key, currentStep()));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await page.getByLabel("I have saved my recovery codes").check();
}

describe("identity in the browser", () => {
  it("signs in with email and password, tells a wrong password apart, and explains a failed single sign-on", async () => {
    // The wrong password is answered 401.
    const page = await openPage({ failures: [failure("POST", "/auth/sign-in", 401)] });

    // A failed single sign-on comes back with a code the page turns into a sentence.
    await page.goto(`${suite.stack.url}/sign-in?error=no_account`);
    await page.getByRole("alert").getByText("There is no Nexus account for that address").waitFor();
    // No provider is configured for the local stack, so no provider buttons are offered.
    expect(await page.getByRole("link", { name: /with Google|with Microsoft/ }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Register your district" }).count()).toBe(1);

    await page.goto(`${suite.stack.url}/sign-in`);
    await fillCredentials(page, director, "not the password at all");
    await page
      .getByRole("alert")
      .getByText("That email and password do not match an active account.")
      .waitFor();
    await screenshot(page, "sign-in-error");

    await fillCredentials(page, director);
    // The director belongs to two districts; with no default chosen, the first one opens.
    await page.waitForURL((url) => url.pathname !== "/sign-in");
    await page.goto(`${suite.stack.url}/riverton`);
    await heading(page, riverton);
    // Administrators see the System package's administration pages.
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const link of ["Users", "Invitations", "Groups", "Audit log", "Organization settings", "Outbox"]) {
      expect(await nav.getByRole("link", { name: link, exact: true }).count(), link).toBe(1);
    }
    await screenshot(page, "home-admin-nav");

    await openAccountPage(page, "Sessions & devices");
    await heading(page, "Sessions & devices");
    const current = page.locator("tr[data-current]");
    expect(await current.count()).toBe(1);
    expect(await current.textContent()).toContain("This device");
    await screenshot(page, "sessions");
  });

  it("enrols two-factor authentication, then signs in again with a code and with a recovery code", async () => {
    // A wrong code is answered 400.
    const page = await openPage({ failures: [failure("POST", "/auth/sign-in/second-factor", 400)] });
    await signIn(page, technician);
    await openAccountPage(page, "Two-factor");
    await heading(page, "Two-factor authentication");
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();

    const secretText = await page.getByTestId("totp-secret").textContent();
    const key = decodeBase32IgnorePadding((secretText ?? "").replace(/\s+/g, ""));
    expect(key.length).toBeGreaterThanOrEqual(20);
    expect(await page.getByRole("img", { name: /QR code/ }).count()).toBe(1);
    await screenshot(page, "two-factor-enrol");

    const enrolStep = currentStep();
    await page.getByLabel("Enter the 6-digit code the app shows").fill(totpAt(key, enrolStep));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    const codesPanel = page.getByTestId("recovery-codes");
    await codesPanel.waitFor();
    const recoveryCodes = (await codesPanel.locator(".recovery-codes li").allTextContents()).map((c) =>
      c.trim(),
    );
    expect(recoveryCodes).toHaveLength(10);
    await screenshot(page, "two-factor-recovery-codes");
    await page.getByLabel("I have saved my recovery codes").check();
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("heading", { name: "Two-factor authentication is on" }).waitFor();

    // Sign out, then in: the password alone is not enough any more.
    await page.locator(".user-trigger").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(`${suite.stack.url}/sign-in`);
    await fillCredentials(page, technician);
    await heading(page, "Two-factor authentication");
    await page.getByLabel("Authentication code").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText("That code is not valid, or it was used already.").waitFor();
    await screenshot(page, "second-factor-step");

    // The code used to turn it on cannot be used again; the next step's code can.
    const step = Math.max(currentStep(), enrolStep + 1);
    await page.getByLabel("Authentication code").fill(totpAt(key, step));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${suite.stack.url}/riverton`);
    await heading(page, riverton);
    // A member does not see the administration pages.
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Users", exact: true }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Groups", exact: true }).count()).toBe(1);

    // And once more, with a recovery code instead of the app.
    await page.locator(".user-trigger").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(`${suite.stack.url}/sign-in`);
    await fillCredentials(page, technician);
    await page.getByRole("button", { name: "Use a recovery code" }).click();
    await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${suite.stack.url}/riverton`);
    await openAccountPage(page, "Two-factor");
    await page.getByText("9 left").waitFor();
  });

  it("signs one browser out from another on Sessions & devices, and the other is sent to sign in again", async () => {
    const first = await openPage();
    // The revoked browser's next request is answered 401.
    const second = await openPage({ failures: [failure("GET", "/trpc/system.health.status", 401)] });
    await signIn(first, cedarOwner);
    await signIn(second, cedarOwner);
    await second.goto(`${suite.stack.url}/cedar-valley/education/schools`);
    await second.getByRole("rowheader", { name: "Westfork Rural School" }).waitFor();

    await first.goto(`${suite.stack.url}/me/sessions`);
    await heading(first, "Sessions & devices");
    const rows = first.getByRole("table", { name: "Browser sessions" }).locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    const other = first.locator("tbody tr:not([data-current])").first();
    await other.getByRole("button", { name: /^Sign out/ }).click();
    await first.getByRole("alertdialog").getByRole("button", { name: "Sign out" }).click();
    await toast(first, "Signed out");
    await expect.poll(() => rows.count()).toBe(1);
    await screenshot(first, "sessions-after-revoke");

    // The other browser still shows its page; its next action finds the session gone.
    await second.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Status" }).click();
    await second.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("expired") === "1");
    await second.getByText("Your session has ended. Sign in again.").waitFor();
    await screenshot(second, "session-revoked");

    // Signing in again returns to where the user was going.
    await fillCredentials(second, cedarOwner);
    await second.waitForURL(`${suite.stack.url}/cedar-valley/system/status`);
    await second.getByTestId("status-page").waitFor();
    expect(await second.getByText(cedarValley).count()).toBeGreaterThan(0);
  });

  it("clears what was cached when the session ends, and shows the next user only their own organization", async () => {
    // Signed out from another tab, this one's next request is answered 401.
    const page = await openPage({ failures: [failure("GET", "/trpc/system.audit.list", 401)] });
    await signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/system/users`);
    await heading(page, "Users");
    await page.getByRole("rowheader", { name: /Jordan Avery/ }).waitFor();

    // Signed out from another tab of the same browser: this tab's session is gone too.
    const other = watch(await page.context().newPage(), []);
    await other.goto(`${suite.stack.url}/riverton`);
    await heading(other, riverton);
    await other.locator(".user-trigger").click();
    await other.getByRole("menuitem", { name: "Sign out" }).click();
    await other.waitForURL(`${suite.stack.url}/sign-in`);
    await other.close();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("expired") === "1");
    await page.getByText("Your session has ended. Sign in again.").waitFor();
    await screenshot(page, "session-expired");

    // Someone else signs in on this browser: nothing of the director's organizations is shown to them.
    await fillCredentials(page, cedarOwner);
    await page.waitForURL((url) => url.pathname !== "/sign-in");
    await page.goto(`${suite.stack.url}/`);
    await page.waitForURL(`${suite.stack.url}/cedar-valley`);
    await heading(page, cedarValley);
    expect(await page.getByText(riverton).count()).toBe(0);
    expect(await page.getByText("Jordan Avery").count()).toBe(0);
  });

  it("invites someone, who opens the link from the Outbox, creates an account and then appears in Users", async () => {
    const admin = await openPage();
    await signIn(admin, director);
    await admin.goto(`${suite.stack.url}/riverton`);
    await heading(admin, riverton);
    const nav = admin.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Invitations", exact: true }).click();
    await heading(admin, "Invitations");

    // Starts with a letter: a suffix like "8e5573" reads as a number, and the address would quote it.
    const suffix = `n${randomBytes(3).toString("hex")}`;
    const email = `new.teacher.${suffix}@riverton.example.org`;
    const name = `Riley Newcomb ${suffix}`;
    await admin.getByRole("button", { name: "Invite", exact: true }).click();
    const dialog = admin.getByRole("dialog", { name: "Invite someone" });
    await dialog.getByLabel("Email address").fill(email);
    await dialog.getByLabel("Role").selectOption("member");
    await screenshot(admin, "invite-dialog", false);
    await dialog.getByRole("button", { name: "Send invitation" }).click();
    await toast(admin, `Invitation sent to ${email}`);
    const row = admin.getByRole("row", { name: new RegExp(email.replace(/[.+]/g, "\\$&")) });
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("pending");
    await screenshot(admin, "invitations");

    // Several at once from a CSV file: each row says what became of it.
    await admin.getByRole("button", { name: "Bulk invite" }).click();
    const bulk = admin.getByRole("dialog", { name: "Invite from a CSV file" });
    await bulk.getByLabel("CSV file").setInputFiles({
      name: "staff.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        `email,role\nbulk.${suffix}@riverton.example.org,viewer\nsomeone.${suffix}@riverton.example.org,principal\n`,
      ),
    });
    await bulk.getByRole("button", { name: "Invite everyone in the file" }).click();
    await bulk.getByText("1 invited, 0 already invited, 0 already members, 1 with errors.").waitFor();
    expect(await bulk.getByRole("row", { name: /principal/ }).textContent()).toContain("Error");
    await screenshot(admin, "bulk-invite-results", false);
    await bulk.getByRole("button", { name: "Done" }).click();

    await nav.getByRole("link", { name: "Outbox", exact: true }).click();
    await heading(admin, "Outbox");
    const message = admin.getByRole("row", { name: new RegExp(email.replace(/[.+]/g, "\\$&")) });
    await message.getByRole("button").first().click();
    const body = admin.getByTestId("email-body");
    const link = body.getByRole("link", { name: /\/invitations\// });
    const href = await link.getAttribute("href");
    expect(href).toMatch(new RegExp(`^${suite.stack.url}/invitations/[a-z2-7]{32}$`));
    await screenshot(admin, "outbox-message", false);
    await admin.keyboard.press("Escape");

    // The invited person, in their own browser. Setting up two-factor is refused (403) until they confirm
    // it is them; their wrong password is answered 400.
    const invitee = await openPage({
      failures: [
        failure("POST", "/trpc/system.profile.twoFactor.begin", 403),
        failure("POST", "/trpc/system.profile.reauthenticate", 400),
      ],
    });
    const inviteePassword = randomBytes(15).toString("base64url");
    await invitee.goto(href!);
    await heading(invitee, `Join ${riverton}`);
    expect(await invitee.getByText(email).count()).toBeGreaterThan(0);
    await screenshot(invitee, "invitation");
    await invitee.getByLabel("Your name").fill(name);
    await invitee.getByLabel("Choose a password").fill(inviteePassword);
    await invitee.getByRole("button", { name: "Create account and join" }).click();
    await invitee.waitForURL(`${suite.stack.url}/riverton`);
    await heading(invitee, riverton);
    expect(await invitee.locator(".user-trigger").textContent()).toContain(name);

    // A session made by accepting an invitation has not re-entered a credential: setting up two-factor
    // asks for the password first, then carries on.
    await openAccountPage(invitee, "Two-factor");
    await invitee.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const confirm = invitee.getByRole("dialog", { name: "Confirm it is you" });
    await confirm.getByLabel("Password").fill("not my password at all");
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await confirm.getByText("That password is not correct.").waitFor();
    await screenshot(invitee, "reauthenticate", false);
    await confirm.getByLabel("Password").fill(inviteePassword);
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await confirm.waitFor({ state: "detached" });
    await invitee.getByTestId("totp-secret").waitFor();
    await openAccountPage(invitee, "Profile");
    await heading(invitee, "Profile");
    await screenshot(invitee, "profile");

    // Back with the administrator: the new member is listed, and a bulk role change reports per person.
    await nav.getByRole("link", { name: "Users", exact: true }).click();
    await heading(admin, "Users");
    await admin.getByRole("searchbox", { name: "Search users" }).fill(suffix);
    await admin.waitForURL((url) => url.searchParams.get("search") === suffix);
    const member = admin.getByRole("row", { name: new RegExp(name) });
    await member.waitFor();
    expect(await member.getAttribute("data-status")).toBe("active");
    expect(await member.textContent()).toContain("Member");
    await member.getByRole("checkbox", { name: `Select ${name}` }).check();
    await admin.getByRole("region", { name: "Selected rows" }).getByText("1 user selected").waitFor();
    await screenshot(admin, "users-selected");
    await admin.getByRole("button", { name: "Change role" }).click();
    await admin.getByRole("menuitem", { name: "Viewer" }).click();
    await admin.getByRole("alertdialog").getByRole("button", { name: "Change roles" }).click();
    const results = admin.getByRole("dialog", { name: /results/ });
    await results.getByText("1 changed, 0 already so, 0 not changed.").waitFor();
    await screenshot(admin, "users-bulk-results", false);
    await results.getByRole("button", { name: "Done" }).click();
    await expect.poll(async () => await member.textContent()).toContain("Viewer");

    // The list downloads as a file.
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      (async () => {
        await admin.getByRole("button", { name: "Export" }).click();
        await admin.getByRole("menuitem", { name: "Users as CSV" }).click();
      })(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const exported = await download.path().then((path) => readFileSync(path, "utf8"));
    expect(exported).toContain(email);

    // The audit log shows the change with its before and after.
    await nav.getByRole("link", { name: "Audit log", exact: true }).click();
    await heading(admin, "Audit log");
    await admin.getByLabel("Action").fill("membership.");
    await admin.waitForURL((url) => url.searchParams.get("action") === "membership.");
    await admin.locator("ins", { hasText: "viewer" }).first().waitFor();
    await screenshot(admin, "audit-log");

    await nav.getByRole("link", { name: "Organization settings", exact: true }).click();
    await heading(admin, "Organization settings");
    await screenshot(admin, "settings");
  });

  it("creates a personal access token after confirming it is them, shows it once, and revokes it", async () => {
    // Creating is refused (403) while the session has not entered a credential in the last 10 minutes.
    const page = await openPage({ failures: [failure("POST", "/trpc/system.tokens.create", 403)] });
    await signIn(page, director);
    // Signing in counts as entering a credential: make it older than the 10 minutes that unlock creating.
    const [cookie] = (await page.context().cookies()).filter((c) => c.name === SESSION_COOKIE);
    const client = openClient(dataPlaneFrom(localPlaneSettings(suite.stack.sqld)).control);
    try {
      await controlDatabase(client)
        .update(sessions)
        .set({ reauthenticatedAt: new Date(Date.now() - 11 * 60_000) })
        .where(eq(sessions.id, sessionIdOf(cookie!.value)));
    } finally {
      client.close();
    }
    await openAccountPage(page, "Access tokens");
    await heading(page, "Access tokens");
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a personal access token" });
    await dialog.getByLabel("Name").fill("Nightly roster export");
    await dialog.getByLabel("Education: read").check();
    await dialog.getByLabel("System: read").check();
    // The organization's policy: at most a year, never "Never"; 90 days unless chosen.
    const expires = dialog.getByLabel("Expires");
    await expect.poll(() => expires.inputValue()).toBe("90");
    expect(await expires.locator("option").allTextContents()).toEqual([
      "7 days",
      "30 days",
      "90 days",
      "180 days",
      "1 year",
    ]);
    await screenshot(page, "token-create", false);
    await dialog.getByRole("button", { name: "Create token" }).click();
    const confirm = page.getByRole("dialog", { name: "Confirm it is you" });
    await confirm.getByLabel("Password").fill(password);
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await confirm.waitFor({ state: "detached" });
    const shown = page.getByTestId("new-token");
    await shown.waitFor();
    expect(await shown.locator("code").textContent()).toMatch(/^nxp_/);
    const row = page.getByRole("row", { name: /Nightly roster export/ });
    expect(await row.getAttribute("data-status")).toBe("active");
    await screenshot(page, "token-shown");

    await page.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.getByTestId("new-token").count()).toBe(0);
    await row.getByRole("button", { name: "Revoke Nightly roster export" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
    await expect.poll(() => row.getAttribute("data-status")).toBe("revoked");
  });

  it("registers a district, lands in it as its owner, and changes and verifies the sign-in address", async () => {
    // Changing the address is refused (403) until the owner confirms it is them; a bad link is a 400.
    const page = await openPage({
      failures: [
        failure("POST", "/trpc/system.profile.changeEmail", 403),
        failure("POST", "/auth/verify-email", 400),
      ],
    });
    const ownerPassword = randomBytes(15).toString("base64url");
    await page.goto(`${suite.stack.url}/sign-in`);
    await page.getByRole("link", { name: "Register your district" }).click();
    await heading(page, "Register your district");
    const suffix = randomBytes(2).toString("hex");
    await page.getByLabel("Organization name").fill(`Maple Grove ${suffix} School District`);
    // The short name follows the name until it is edited.
    expect(await page.getByLabel("Short name").inputValue()).toBe(`maple-grove-${suffix}-school-district`);
    await page.getByLabel("Short name").fill(`maple-grove-${suffix}`);
    await page.getByLabel("Your name").fill("Avery Quinn");
    await page.getByLabel("Work email").fill(`avery.${suffix}@maplegrove.example.org`);
    await page.getByLabel("Password").fill("short");
    await page.getByText("Use at least 12 characters.").waitFor();
    await page.getByLabel("Password").fill(ownerPassword);
    await screenshot(page, "register");
    await page.getByRole("button", { name: "Register" }).click();
    const outcome = await Promise.race([
      page
        .waitForURL(`${suite.stack.url}/maple-grove-${suffix}`, { timeout: 60_000 })
        .then(() => "registered"),
      page
        .getByRole("alert")
        .waitFor({ timeout: 60_000 })
        .then(async () => `refused: ${await page.getByRole("alert").textContent()}`),
    ]);
    expect(outcome).toBe("registered");
    await heading(page, `Maple Grove ${suffix} School District`);
    expect(await page.getByTestId("tenant-switcher").textContent()).toContain("Owner");

    // A new address: confirmed with the password first, then unverified until its link is opened.
    const newEmail = `avery.quinn.${suffix}@maplegrove.example.org`;
    await openAccountPage(page, "Profile");
    await heading(page, "Profile");
    await page.getByLabel("Email", { exact: true }).fill(newEmail);
    await page.getByRole("button", { name: "Change address" }).click();
    const confirm = page.getByRole("dialog", { name: "Confirm it is you" });
    await confirm.getByLabel("Password").fill(ownerPassword);
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await toast(page, "Sign-in address changed");
    await page.getByRole("button", { name: "Resend the link" }).click();
    await toast(page, "Verification link sent");
    await screenshot(page, "profile-unverified");

    // The link mailed to the new address is made with the Worker's key; the page drops it from the address bar.
    const userId = await page.evaluate(async () => {
      const response = await fetch("/trpc/system.profile.get");
      return ((await response.json()) as { result: { data: { id: string } } }).result.data.id;
    });
    const { ENCRYPTION_KEY } = JSON.parse(readFileSync(join(suite.dataDir, "secrets.json"), "utf8"));
    const { token } = await signEmailVerificationToken(ENCRYPTION_KEY, { userId, email: newEmail });
    await page.goto(`${suite.stack.url}/verify-email#token=${token.slice(0, -4)}AAAA`);
    await heading(page, "This link is not valid");
    // The link from the email opens in a new tab.
    const link = watch(await page.context().newPage(), []);
    await link.goto(`${suite.stack.url}/verify-email#token=${token}`);
    await heading(link, "Your address is verified");
    await expect.poll(() => new URL(link.url()).hash).toBe("");
    await screenshot(link, "verify-email");
    await link.close();
    await page.goto(`${suite.stack.url}/`);
    await heading(page, `Maple Grove ${suffix} School District`);
    await openAccountPage(page, "Profile");
    await heading(page, "Profile");
    await page
      .getByRole("region", { name: "Sign-in address" })
      .getByText("Verified", { exact: true })
      .waitFor();
    expect(await page.getByRole("button", { name: "Resend the link" }).count()).toBe(0);
  });

  it("creates a group, adds a member, and shows the pages on a narrow screen and in the dark theme", async () => {
    const page = await openPage();
    await signIn(page, director);
    await page.goto(`${suite.stack.url}/riverton/system/groups`);
    await heading(page, "Groups");
    await page.getByRole("button", { name: "New group" }).click();
    const dialog = page.getByRole("dialog", { name: "New group" });
    await dialog.getByLabel("Name").fill("Technology team");
    await dialog.getByLabel("Description").fill("Keeps the district's devices and networks running.");
    await dialog.getByRole("button", { name: "Create group" }).click();
    await page.getByRole("link", { name: "Technology team" }).click();
    await heading(page, /Technology team/);
    await page.getByRole("button", { name: "Add members" }).click();
    const add = page.getByRole("dialog", { name: "Add members to Technology team" });
    await add.getByLabel("Sam Delgado").check();
    await add.getByRole("button", { name: "Add 1 person" }).click();
    await page.getByRole("rowheader", { name: /Sam Delgado/ }).waitFor();
    await screenshot(page, "group");

    await openAccountPage(page, "Default context");
    await heading(page, "Default context");
    await page
      .getByLabel("School in Riverton R-IV School District")
      .selectOption({ label: "Riverton High School" });
    await toast(page, "School saved");
    await screenshot(page, "default-context");

    const narrow = await openPage({ width: 400, height: 820, colorScheme: "dark" });
    await signIn(narrow, director);
    await narrow.goto(`${suite.stack.url}/riverton/system/users`);
    await heading(narrow, "Users");
    await narrow.getByRole("rowheader", { name: /Jordan Avery/ }).waitFor();
    // The narrow layout: a top bar across the screen with the navigation behind its menu button, no sidebar.
    const bar = narrow.getByRole("banner");
    await bar.getByRole("button", { name: "Open navigation" }).waitFor();
    expect(await bar.boundingBox()).toMatchObject({ x: 0, y: 0, width: 400 });
    expect(await narrow.getByRole("complementary", { name: "Sidebar" }).count()).toBe(0);
    expect(await narrow.getByRole("navigation", { name: "Main" }).count()).toBe(0);
    // Nothing is wider than the screen: the page does not scroll sideways.
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    // The system's dark theme: light text on a dark page.
    expect(await narrow.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    const colours = await narrow.evaluate(() => {
      const style = getComputedStyle(document.body);
      return { background: style.backgroundColor, text: style.color };
    });
    expect(luminance(colours.background)).toBeLessThan(0.05);
    expect(luminance(colours.text)).toBeGreaterThan(0.6);
    await screenshot(narrow, "users-narrow-dark");
  });

  it("requires two-factor for an organization, and sends a member without it to set it up, then back", async () => {
    const owner = await openPage();
    await signIn(owner, cedarOwner);
    await owner.goto(`${suite.stack.url}/cedar-valley/system/settings`);
    await heading(owner, "Organization settings");
    await owner.getByLabel("Require two-factor authentication").check();
    // Requiring it needs the administrator's own first.
    await owner.getByRole("link", { name: "set it up" }).click();
    await heading(owner, "Two-factor authentication");
    await enrol(owner);
    await owner.goto(`${suite.stack.url}/cedar-valley/system/settings`);
    await heading(owner, "Organization settings");
    await owner.getByLabel("Require two-factor authentication").check();
    await owner.getByRole("button", { name: "Save security settings" }).click();
    await toast(owner, "Security settings saved");
    await screenshot(owner, "settings-two-factor-required");

    // The director administers Cedar Valley too, without two-factor: the organization refuses them (403)
    // and the app sends them to set it up.
    // The organization's page asks for the organization and its overview in one batch.
    const member = await openPage({
      failures: [failure("GET", "/trpc/system.organization.current,system.organization.overview", 403)],
    });
    await signIn(member, director);
    await member.goto(`${suite.stack.url}/cedar-valley`);
    await member.waitForURL(`${suite.stack.url}/me/two-factor?required=cedar-valley`);
    await member.getByText(`${cedarValley} requires two-factor authentication`).waitFor();
    await screenshot(member, "two-factor-required");
    await enrol(member);
    await member.getByRole("link", { name: `Continue to ${cedarValley}` }).click();
    await member.waitForURL(`${suite.stack.url}/cedar-valley`);
    await heading(member, cedarValley);
  });
});
