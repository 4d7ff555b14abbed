import { z } from "zod";
import { opaqueText, searchText } from "./text";

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
});
export type School = z.infer<typeof school>;

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
