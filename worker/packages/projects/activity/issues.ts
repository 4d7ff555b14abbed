import { eq, inArray } from "drizzle-orm";
import type { ControlDb, TenantDb } from "../../../../db/client";
import { sharedProjects } from "../../../../db/control/schema";
import { issues, projects } from "../../../../db/tenant/schema";
import { AppError } from "../../../../shared/errors";
import type { IssueSummary } from "../../../../shared/schemas/issue-extras";

const refColumns = {
  id: issues.id,
  number: issues.number,
  title: issues.title,
  type: issues.type,
  status: issues.status,
  priority: issues.priority,
  projectScope: issues.projectScope,
  projectId: issues.projectId,
  archivedAt: issues.archivedAt,
};

/** An issue as the things around it need it: what it shows, where it is filed, whether it is archived. */
export type IssueRef = Omit<IssueSummary, "key"> & {
  projectScope: "tenant" | "shared";
  projectId: string;
  archivedAt: Date | null;
};

export const issueNotFound = () => new AppError("NOT_FOUND", "There is no such issue in this organization.");

/** The issue, for reading what surrounds it; NOT_FOUND when this organization has no such issue. */
export async function loadIssue(db: TenantDb, id: string): Promise<IssueRef> {
  const [row] = await db.select(refColumns).from(issues).where(eq(issues.id, id)).limit(1);
  if (!row) throw issueNotFound();
  return row;
}

/** The issue, for adding to what surrounds it: NOT_FOUND when missing, CONFLICT when archived. */
export async function loadOpenIssue(db: TenantDb, id: string): Promise<IssueRef> {
  const issue = await loadIssue(db, id);
  if (issue.archivedAt) {
    throw new AppError("CONFLICT", "This issue is archived. Restore it before changing it.", {
      reason: "issue_archived",
    });
  }
  return issue;
}

/**
 * Summaries of issues with their keys (project key and number, e.g. TECH-42): project keys come from the
 * organization's projects and, for shared projects, from the control database — one query each at most.
 */
export async function summarize(db: TenantDb, control: ControlDb, refs: IssueRef[]): Promise<IssueSummary[]> {
  const idsIn = (scope: "tenant" | "shared") => [
    ...new Set(refs.filter((r) => r.projectScope === scope).map((r) => r.projectId)),
  ];
  const own = idsIn("tenant");
  const shared = idsIn("shared");
  const [ownKeys, sharedKeys] = await Promise.all([
    own.length
      ? db.select({ id: projects.id, key: projects.key }).from(projects).where(inArray(projects.id, own))
      : [],
    shared.length
      ? control
          .select({ id: sharedProjects.id, key: sharedProjects.key })
          .from(sharedProjects)
          .where(inArray(sharedProjects.id, shared))
      : [],
  ]);
  const keys = {
    tenant: new Map(ownKeys.map((p) => [p.id, p.key])),
    shared: new Map(sharedKeys.map((p) => [p.id, p.key])),
  };
  return refs.map(({ archivedAt: _, projectScope, projectId, ...summary }) => {
    const projectKey = keys[projectScope].get(projectId);
    return { ...summary, key: projectKey ? `${projectKey}-${summary.number}` : `#${summary.number}` };
  });
}

/** Summaries of the issues among `ids` that exist, by id. */
export async function issueSummaries(
  db: TenantDb,
  control: ControlDb,
  ids: string[],
): Promise<Map<string, IssueSummary>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select(refColumns).from(issues).where(inArray(issues.id, unique));
  return new Map((await summarize(db, control, rows)).map((s) => [s.id, s]));
}

/** How an issue is named in notification summaries: its key and (shortened) title. */
export function issueLabel(issue: { key: string; title: string }): string {
  const title = issue.title.length > 120 ? `${issue.title.slice(0, 119)}…` : issue.title;
  return `${issue.key} “${title}”`;
}
