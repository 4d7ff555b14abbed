import { and, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { issues } from "../../../../db/tenant/schema";
import type { IssueType } from "../../../../shared/schemas/issue-model";
import { issueTypeLabels, statusDef } from "../../../../shared/schemas/workflows";
import { cleanText, type SearchText, textOf } from "../../../search/documents";
import { defineSearchType, type SearchPresentation } from "../../../search/registry";
import { projectRefsOf, refKey, unknownProject } from "../projects/views";
import { issueKey } from "./views";

export interface IssueDocumentSource {
  /** e.g. "TECH-42", or the SQL that computes it in the batch that assigns the number. */
  reference: SearchText;
  type: IssueType;
  title: string;
  description: string | null;
  tags: readonly string[];
  details: Record<string, unknown>;
  /** Answers to the request type's extra fields. */
  answers: Readonly<Record<string, string | number>>;
  /** The school the issue is about… */
  schoolId: string | null;
  /**
   * …and its name when the writer has it at hand (it checked the school, or a loader read the names).
   * Otherwise the document reads the name in its own statement, in the write's batch: no extra query.
   */
  schoolName?: string | null;
}

/** Indexed parts, one per line; an SQL part that finds nothing (a school gone) is left out. */
function lines(parts: readonly SearchText[]): SearchText {
  if (parts.every((p): p is string => typeof p === "string")) return parts.join("\n");
  return sql.join(
    parts.map((p, i) => {
      const text = i === 0 ? p : typeof p === "string" ? `\n${p}` : sql`${"\n"} || ${p}`;
      return typeof p === "string" ? sql`${text}` : sql`coalesce(${text}, '')`;
    }),
    sql` || `,
  );
}

/**
 * Issues in the organization's search index: title; body = reference, school name, subtype, description,
 * tags, details, answers to the request type's extra fields.
 */
export const issueSearchType = defineSearchType<IssueDocumentSource>({
  objectType: "issue",
  label: "Issues",
  permission: "projects.read",
  toDocument(source) {
    const rest = cleanText(
      [
        issueTypeLabels[source.type],
        source.description ?? "",
        source.tags.join(" "),
        textOf(source.details),
        textOf(source.answers),
      ]
        .filter(Boolean)
        .join("\n"),
      100_000,
    );
    const school: SearchText | null = !source.schoolId
      ? null
      : typeof source.schoolName === "string"
        ? cleanText(source.schoolName, 200)
        : (sql`(SELECT name FROM schools WHERE id = ${source.schoolId})` as SQL);
    const body = lines([source.reference, ...(school === null ? [] : [school]), rest]);
    return { title: source.title, body };
  },
  async present(db, ids, { control }) {
    const out = new Map<string, SearchPresentation>();
    if (ids.length === 0) return out;
    const rows = await db
      .select({
        id: issues.id,
        number: issues.number,
        projectScope: issues.projectScope,
        projectId: issues.projectId,
        type: issues.type,
        status: issues.status,
        title: issues.title,
      })
      .from(issues)
      .where(and(inArray(issues.id, [...ids]), isNull(issues.archivedAt)));
    const refs = await projectRefsOf(
      db,
      control,
      rows.map((r) => ({ scope: r.projectScope, id: r.projectId })),
    );
    for (const r of rows) {
      const project =
        refs.get(refKey(r.projectScope, r.projectId)) ?? unknownProject(r.projectScope, r.projectId);
      const status = statusDef(r.type, r.status)?.label ?? r.status;
      out.set(r.id, {
        title: r.title,
        subtitle: `${issueKey(project, r.number)} · ${issueTypeLabels[r.type]} · ${status}`,
        path: `/projects/issues/${r.id}`,
      });
    }
    return out;
  },
});
