import { z } from "zod";
import { identifier, multiLineText, opaqueText, searchText, singleLineText } from "./text";

export const schoolLevel = z.enum(["early_childhood", "elementary", "middle", "high", "k12", "alternative"]);
export const schoolStatus = z.enum(["open", "closed"]);

export const school = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  level: schoolLevel,
  lowGrade: z.number().int(),
  highGrade: z.number().int(),
  status: schoolStatus,
  principal: z.string().nullable(),
  city: z.string().nullable(),
  phone: z.string().nullable(),
  /** The day it opened (or last reopened), when known: YYYY-MM-DD. */
  openedOn: z.string().nullable(),
  /** The day it closed, while closed: YYYY-MM-DD. */
  closedOn: z.string().nullable(),
});
export type School = z.infer<typeof school>;

/** A day, as the district's calendar names it. */
const day = z.iso.date("Use a date like 2026-08-17.");
/** Why a school opens, closes or reopens: kept in the audit log with the change. */
const reason = multiLineText({ min: 1, max: 500, minMessage: "Say why, for the record." });

/** Opens a new school of the district (its building code unique in the organization). */
export const openSchoolInput = z
  .object({
    code: singleLineText({ min: 1, max: 16 }).regex(/^[0-9A-Za-z-]+$/, "Use letters, digits and dashes."),
    name: singleLineText({ min: 1, max: 200 }),
    level: schoolLevel,
    /** Grade range, -1 = PK, 0 = K, 1..12. */
    lowGrade: z.number().int().min(-1).max(12),
    highGrade: z.number().int().min(-1).max(12),
    principal: singleLineText({ max: 200 }).nullish(),
    address: singleLineText({ max: 300 }).nullish(),
    city: singleLineText({ max: 100 }).nullish(),
    phone: singleLineText({ max: 40 }).nullish(),
    on: day,
    reason: reason.optional(),
  })
  .refine((s) => s.lowGrade <= s.highGrade, {
    message: "The highest grade cannot be below the lowest.",
    path: ["highGrade"],
  });
export type OpenSchoolInput = z.input<typeof openSchoolInput>;

/** Closes an open school, or reopens a closed one, from a day, for a reason. */
export const schoolLifecycleInput = z.object({ id: identifier(), on: day, reason });
export type SchoolLifecycleInput = z.input<typeof schoolLifecycleInput>;

/** Keyset pagination: the cursor is opaque to clients. */
export const listSchoolsInput = z.object({
  status: schoolStatus.optional(),
  search: searchText({ max: 100 }).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: opaqueText(500).optional(),
});
export type ListSchoolsInput = z.input<typeof listSchoolsInput>;

export const listSchoolsOutput = z.object({
  items: z.array(school),
  nextCursor: z.string().nullable(),
});
