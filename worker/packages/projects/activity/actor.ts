import { type ProjectsActor, projectsActorOf, projectsAudit } from "../actor";

/** The projects actor plus the name notification summaries quote. */
export interface IssueActor extends ProjectsActor {
  name: string;
}

export function issueActorOf(
  ctx: Parameters<typeof projectsActorOf>[0] & { user: { id: string; name: string } },
): IssueActor {
  return { ...projectsActorOf(ctx), name: ctx.user.name };
}

/** The audit fields of a change around an issue: the same shape as every Projects change. */
export const issueAudit = projectsAudit;
