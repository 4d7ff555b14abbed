import {
  catalogCategories,
  issueAttachments,
  issueComments,
  issueLinks,
  issueWatchers,
  notifications,
  requestTypes,
} from "../../db/tenant/schema";
import { newId } from "../../shared/ids";
import { openTenant } from "../../worker/data";
import { attachmentKey } from "../../worker/packages/projects/attachments/views";
import { insertIssue } from "../support/issues";
import type { BaseWorld } from "./isolation-world";
import { testEnv } from "./support";

/**
 * Organization A's objects of this part of the Projects package, for the isolation suite: return them with
 * the words that would show them leaking (names, ids) in `identifiers`.
 */
export async function buildIssueExtrasWorld(world: BaseWorld) {
  const { a } = world;
  const db = openTenant(testEnv, a.tenant);
  const now = new Date();
  const issue = await insertIssue(db, { title: "Isolation issue A: boiler room flooding" });
  const other = await insertIssue(db, { title: "Isolation issue A2: pump failure" });
  const comment = {
    id: newId(),
    issueId: issue.id,
    authorId: a.user.id,
    body: "Isolation comment A: the valve behind the boiler is stuck",
    visibility: "internal" as const,
    createdAt: now,
  };
  const link = {
    id: newId(),
    fromIssueId: other.id,
    toIssueId: issue.id,
    kind: "caused_by" as const,
    createdById: a.user.id,
    createdAt: now,
  };
  const attachmentId = newId();
  const bytes = new TextEncoder().encode("Isolation attachment A: meter readings\n");
  const attachment = {
    id: attachmentId,
    issueId: issue.id,
    r2Key: attachmentKey(a.tenant.id, issue.id, attachmentId),
    filename: "isolation-a-meter-readings.txt",
    contentType: "text/plain",
    size: bytes.byteLength,
    sha256: "isolation-a-sha256-not-checked",
    uploadedById: a.user.id,
    createdAt: now,
  };
  const notification = {
    id: newId(),
    userId: a.user.id,
    kind: "mentioned" as const,
    issueId: issue.id,
    actorId: a.user.id,
    summary: "Isolation notification A: you were mentioned",
    createdAt: now,
  };
  const category = { id: newId(), name: "Isolation Category A", createdAt: now, updatedAt: now };
  const requestType = {
    id: newId(),
    categoryId: category.id,
    name: "Isolation Request Type A",
    issueType: "service_request" as const,
    defaultAssigneeGroupId: a.group.id,
    fields: [{ key: "isolation_room", label: "Isolation room A", kind: "text", required: true }],
    createdAt: now,
    updatedAt: now,
  };
  await testEnv.ATTACHMENTS.put(attachment.r2Key, bytes, { httpMetadata: { contentType: "text/plain" } });
  await db.batch([
    db.insert(issueComments).values(comment),
    db.insert(issueLinks).values(link),
    db.insert(issueAttachments).values(attachment),
    db.insert(issueWatchers).values({ issueId: issue.id, userId: a.user.id, createdAt: now }),
    db.insert(notifications).values(notification),
    db.insert(catalogCategories).values(category),
    db.insert(requestTypes).values(requestType),
  ]);
  return {
    issue,
    other,
    comment,
    link,
    attachment,
    notification,
    category,
    requestType,
    identifiers: [
      issue.id,
      issue.title,
      other.id,
      other.title,
      comment.id,
      comment.body,
      link.id,
      attachment.id,
      attachment.filename,
      attachment.r2Key,
      notification.id,
      notification.summary,
      category.id,
      category.name,
      requestType.id,
      requestType.name,
      "Isolation room A",
    ],
  };
}
