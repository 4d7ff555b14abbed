import Papa from "papaparse";
import { z } from "zod";
import type { ControlContext, UserActor } from "../../../../db/context";
import { AppError } from "../../../../shared/errors";
import { type Role, roles } from "../../../../shared/permissions";
import {
  type BulkCreateInvitationsInput,
  type BulkRowResult,
  bulkCreateInvitationsInput,
  emailAddress,
  MAX_BULK_ROWS,
} from "../../../../shared/schemas/invitations";
import { type InvitationEnv, type InviteEntry, inviteMany } from "./issue";
import { loadOrganization, mayGrant } from "./members";

const COLUMNS = ["email", "role"] as const;
/** How many parse problems a 400 lists. */
const MAX_LISTED_PROBLEMS = 10;

function refuse(problems: string[]): never {
  throw new AppError("BAD_REQUEST", `The CSV could not be read: ${problems[0]}`, {
    fieldErrors: { csv: problems.slice(0, MAX_LISTED_PROBLEMS) },
  });
}

/** Reads `email,role` rows; anything malformed refuses the whole file, so nothing is half-imported. */
function parseRows(csv: string): { row: number; email: string; role: string }[] {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ""), {
    header: true,
    delimiter: ",",
    skipEmptyLines: "greedy",
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const problems = parsed.errors
    // A row without its trailing role is fine: the role is optional.
    .filter((e) => !(e.code === "TooFewFields" && (parsed.meta.fields?.length ?? 0) === 2))
    .map((e) => (e.row === undefined ? e.message : `Row ${e.row + 2}: ${e.message}`));
  if (problems.length > 0) refuse(problems);
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes("email")) refuse(["The first row must name the columns, including `email`."]);
  const unknown = fields.filter((f) => !(COLUMNS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    refuse([
      `Unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}: use only email and role.`,
    ]);
  }
  if (parsed.data.length === 0) refuse(["There are no rows below the header."]);
  if (parsed.data.length > MAX_BULK_ROWS) {
    refuse([`There are ${parsed.data.length} rows; at most ${MAX_BULK_ROWS} can be invited at once.`]);
  }
  return parsed.data.map((record, index) => ({
    row: index + 2,
    email: (record.email ?? "").trim(),
    role: (record.role ?? "").trim().toLowerCase(),
  }));
}

const roleOf = z.enum(roles);

/**
 * Invites every address of a CSV (`email`, optional `role`) and reports each row: invited, already
 * invited, already a member, or an error (bad address or role, an owner invited by a non-owner, the rate
 * limit). A malformed file, or one over 500 rows, is refused whole before anything is written.
 */
export async function bulkCreateInvitations(
  ctx: ControlContext<UserActor>,
  params: { env: InvitationEnv; input: BulkCreateInvitationsInput; now?: Date },
) {
  const input = bulkCreateInvitationsInput.parse(params.input);
  const rows = parseRows(input.csv);
  const organization = await loadOrganization(ctx.control, ctx.tenant.id);

  const results: BulkRowResult[] = new Array(rows.length);
  const firstRowOf = new Map<string, number>();
  const entries: InviteEntry[] = [];
  const entryRows: number[] = [];
  rows.forEach((row, index) => {
    const email = emailAddress.safeParse(row.email);
    if (!email.success) {
      results[index] = {
        row: row.row,
        email: row.email,
        status: "error",
        message: "Not a valid email address.",
      };
      return;
    }
    let role: Role = organization.defaultRole;
    if (row.role) {
      const parsed = roleOf.safeParse(row.role);
      if (!parsed.success) {
        results[index] = {
          row: row.row,
          email: email.data,
          status: "error",
          message: `Unknown role "${row.role}": use ${roles.join(", ")}.`,
        };
        return;
      }
      role = parsed.data;
    }
    if (!mayGrant(ctx.tenant.role, role)) {
      results[index] = {
        row: row.row,
        email: email.data,
        status: "error",
        message: "Only an owner can invite someone as an owner.",
      };
      return;
    }
    const first = firstRowOf.get(email.data);
    if (first !== undefined) {
      results[index] = {
        row: row.row,
        email: email.data,
        status: "error",
        message: `This address is already listed in row ${first}.`,
      };
      return;
    }
    firstRowOf.set(email.data, row.row);
    entries.push({ email: email.data, role });
    entryRows.push(index);
  });

  const outcomes = await inviteMany(ctx, {
    organizationName: organization.name,
    env: params.env,
    entries,
    now: params.now,
  });
  outcomes.forEach((outcome, i) => {
    const index = entryRows[i]!;
    const base = { row: rows[index]!.row, email: entries[i]!.email };
    switch (outcome.kind) {
      case "invited":
        results[index] = {
          ...base,
          status: "invited",
          message:
            outcome.delivery.status === "failed"
              ? `Invited, but the email could not be sent (${outcome.delivery.error ?? "unknown reason"}). Resend it later.`
              : `Invited as ${outcome.invitation.role}.`,
        };
        break;
      case "already_invited":
        results[index] = {
          ...base,
          status: "already_invited",
          message: `An invitation (as ${outcome.invitation.role}) is already pending.`,
        };
        break;
      case "already_member":
        results[index] = {
          ...base,
          status: "already_member",
          message: "Already a member of this organization.",
        };
        break;
      case "refused":
        results[index] = { ...base, status: "error", message: outcome.error.userMessage };
        break;
    }
  });
  const counts = { invited: 0, already_invited: 0, already_member: 0, error: 0 };
  for (const result of results) counts[result.status]++;
  return { results, counts };
}
