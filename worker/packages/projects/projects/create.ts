import { eq } from "drizzle-orm";
import { auditBy, auditRow } from "../../../../db/audit";
import type { ServiceContext } from "../../../../db/context";
import { isUniqueViolation } from "../../../../db/errors";
import { auditLog, projects } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import { newId } from "../../../../shared/ids";
import {
  type CreateProjectInput,
  createProjectInput,
  type Project,
} from "../../../../shared/schemas/projects";
import { assertGroup } from "../references";
import { sharedKeyTaken, toProject } from "./views";

export function keyTaken(key: string) {
  return new AppError("CONFLICT", `The key ${key} is already used by another project.`, {
    fieldErrors: { key: ["Already used by another project"] },
    reason: "key_taken",
  });
}

/**
 * Creates one of the organization's own projects. Its key must be free in the organization and differ
 * from every shared project's key (so TECH-42 always means one project): CONFLICT otherwise.
 */
export async function createProject(ctx: ServiceContext, raw: CreateProjectInput): Promise<Project> {
  const input = createProjectInput.parse(raw);
  const { db, control } = ctx;
  const [clash] = await db
    .select({ id: projects.id })
    .from(projects)
    .where(eq(projects.key, input.key))
    .limit(1);
  if (clash || (await sharedKeyTaken(control, input.key))) throw keyTaken(input.key);
  if (input.defaultAssigneeGroupId)
    await assertGroup(db, input.defaultAssigneeGroupId, "defaultAssigneeGroupId");
  const now = new Date();
  const row = {
    id: newId(),
    key: input.key,
    name: input.name,
    description: input.description || null,
    defaultAssigneeGroupId: input.defaultAssigneeGroupId ?? null,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
  };
  try {
    await db.batch([
      db.insert(projects).values(row),
      db.insert(auditLog).values(
        auditRow(
          auditBy(ctx, "project", row.id, {
            action: "project.created",
            after: {
              key: row.key,
              name: row.name,
              description: row.description,
              defaultAssigneeGroupId: row.defaultAssigneeGroupId,
            },
          }),
          now,
        ),
      ),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, "projects.key")) throw keyTaken(input.key);
    throw error;
  }
  return toProject(row, "tenant");
}
