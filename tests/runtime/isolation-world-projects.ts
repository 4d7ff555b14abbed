import type { UserContext } from "../../db/context";
import { openTenant } from "../../worker/data";
import { createIssue } from "../../worker/packages/projects/issues/create";
import { createProject } from "../../worker/packages/projects/projects/create";
import { createSavedFilter } from "../../worker/packages/projects/saved-filters/service";
import { seedSharedProjects } from "../../worker/seed/demo-issues";
import { userActor } from "../support/actors";
import type { BaseWorld } from "./isolation-world";
import { control, testEnv } from "./support";

/**
 * Organization A's objects of this part of the Projects package, for the isolation suite: return them with
 * the words that would show them leaking (names, ids) in `identifiers`.
 */
export async function buildProjectsWorld(world: BaseWorld) {
  const { a } = world;
  const ctx: UserContext = {
    db: openTenant(testEnv, a.tenant),
    control: control(),
    log: { warn: () => undefined },
    actor: userActor(a.user.id, { name: a.user.name, requestId: "isolation" }),
    tenant: { ...a.tenant, role: "owner", viaRoot: false },
  };
  const shared = await seedSharedProjects(ctx.control);
  const tag = crypto.randomUUID().slice(0, 6);
  const project = await createProject(ctx, {
    key: `ISO${tag.replace(/[^a-z0-9]/gi, "").slice(0, 5)}`.toUpperCase(),
    name: `Isolation project A ${tag}`,
  });
  const issue = await createIssue(ctx, {
    projectScope: "tenant",
    projectId: project.id,
    type: "incident",
    title: `Isolation incident A ${tag}`,
    description: `Only organization A may read this ${tag}`,
    impact: "high",
    urgency: "high",
  });
  const sharedIssue = await createIssue(ctx, {
    projectScope: "shared",
    projectId: shared.get("TECH")!.id,
    type: "repair",
    title: `Isolation shared repair A ${tag}`,
  });
  const savedFilter = await createSavedFilter(ctx, {
    name: `Isolation filter A ${tag}`,
    filters: { projectScope: "tenant", projectId: project.id },
  });
  return {
    project,
    issue,
    sharedIssue,
    savedFilter,
    // Shared projects themselves (ids, names, TECH-n keys) are everyone's: they are not A's words.
    identifiers: [
      project.id,
      project.key,
      project.name,
      issue.id,
      issue.key,
      issue.title,
      `Only organization A may read this ${tag}`,
      sharedIssue.id,
      sharedIssue.title,
      savedFilter.id,
      savedFilter.name,
    ],
  };
}
