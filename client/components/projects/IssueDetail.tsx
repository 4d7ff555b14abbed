import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { Archive, ArchiveRestore, Pencil, UserRoundCheck } from "lucide-react";
import { Tabs } from "radix-ui";
import { type ReactNode, useState } from "react";
import type { Issue } from "../../../shared/schemas/issues";
import { formatDate, formatDateTime } from "../../lib/format";
import { useDocumentTitle } from "../../lib/hooks";
import {
  issueTypeLabels,
  priorityLabels,
  priorityTones,
  slaLabels,
  slaTones,
  statusLabel,
  statusTone,
} from "../../lib/issues";
import { useTenantPermissions } from "../../lib/permissions";
import { useTRPC } from "../../lib/trpc";
import { ConfirmDialog } from "../Dialogs";
import { FormError } from "../FormField";
import { notify } from "../Toast";
import { Badge, Spinner } from "../ui";
import { IssueEditSheet } from "./IssueEditSheet";
import { ActivityPane, AttachmentsPane, CommentsPane, LinksPane, WatchButton } from "./IssuePanes";

/** The detail of one issue: its state, lifecycle buttons, fields and everything around it. */
export function IssueDetail({ issueId }: { issueId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useRouteContext({ from: "/_app" });
  const canWrite = useTenantPermissions().has("projects.write");
  const { data: issue } = useSuspenseQuery(trpc.projects.issues.get.queryOptions({ id: issueId }));
  const [editing, setEditing] = useState(false);
  const [archiving, setArchiving] = useState(false);
  useDocumentTitle(`${issue.key} ${issue.title}`, "Issues");

  const refresh = () => void queryClient.invalidateQueries(trpc.projects.pathFilter());
  // Never optimistic: the workflow and the version decide, and the server answers the new issue.
  const transition = useMutation({
    ...trpc.projects.issues.transition.mutationOptions(),
    onSuccess: (next) => {
      queryClient.setQueryData(trpc.projects.issues.get.queryKey({ id: next.id }), next);
      notify(`${next.key} is now ${statusLabel(next.type, next.status)}`);
    },
    onSettled: refresh,
  });
  const archive = useMutation({ ...trpc.projects.issues.archive.mutationOptions(), onSettled: refresh });
  const assign = useMutation({
    ...trpc.projects.issues.update.mutationOptions(),
    onSuccess: (next) => {
      queryClient.setQueryData(trpc.projects.issues.get.queryKey({ id: next.id }), next);
      notify(`${next.key} is assigned to you`);
    },
    onSettled: refresh,
  });
  const restore = useMutation({ ...trpc.projects.issues.restore.mutationOptions(), onSettled: refresh });

  return (
    <article className="issue-detail" aria-labelledby="issue-title" data-issue-key={issue.key}>
      <header className="issue-header">
        <p className="muted small mono">
          {issue.key} · {issueTypeLabels[issue.type]} · {issue.project.name}
          {issue.project.scope === "shared" ? " (shared)" : ""}
        </p>
        <h2 id="issue-title" className="issue-title">
          {issue.title}
        </h2>
        <div className="badge-row">
          <Badge tone={statusTone(issue.type, issue.status)}>{statusLabel(issue.type, issue.status)}</Badge>
          <Badge tone={priorityTones[issue.priority]}>{priorityLabels[issue.priority]} priority</Badge>
          <Badge tone={slaTones[issue.sla.response]}>Response: {slaLabels[issue.sla.response]}</Badge>
          <Badge tone={slaTones[issue.sla.resolution]}>Resolution: {slaLabels[issue.sla.resolution]}</Badge>
          {issue.archived ? <Badge tone="warning">Archived</Badge> : null}
        </div>
      </header>

      {canWrite ? (
        <fieldset className="issue-actions">
          <legend className="visually-hidden">Actions</legend>
          {!issue.archived && issue.allowedTransitions.length > 0 ? (
            <fieldset className="lifecycle">
              <legend className="visually-hidden">Move to</legend>
              {issue.allowedTransitions.map((to) => (
                <button
                  key={to}
                  type="button"
                  className="button"
                  disabled={transition.isPending}
                  onClick={() => transition.mutate({ id: issue.id, version: issue.version, to })}
                >
                  {transition.isPending && transition.variables?.to === to ? <Spinner size={14} /> : null}
                  {statusLabel(issue.type, to)}
                </button>
              ))}
            </fieldset>
          ) : null}
          <div className="issue-actions-end">
            <WatchButton issueId={issue.id} />
            {!issue.archived && issue.assigneeUserId !== me.user.id ? (
              <button
                type="button"
                className="button"
                disabled={assign.isPending}
                onClick={() =>
                  assign.mutate({ id: issue.id, version: issue.version, assigneeUserId: me.user.id })
                }
              >
                <UserRoundCheck size={14} aria-hidden="true" />
                Assign to me
              </button>
            ) : null}
            {!issue.archived ? (
              <button type="button" className="button" onClick={() => setEditing(true)}>
                <Pencil size={14} aria-hidden="true" />
                Edit
              </button>
            ) : null}
            {issue.archived ? (
              <button
                type="button"
                className="button"
                disabled={restore.isPending}
                onClick={() =>
                  restore.mutate({ id: issue.id }, { onSuccess: () => notify(`${issue.key} restored`) })
                }
              >
                <ArchiveRestore size={14} aria-hidden="true" />
                Restore
              </button>
            ) : (
              <button type="button" className="button" onClick={() => setArchiving(true)}>
                <Archive size={14} aria-hidden="true" />
                Archive
              </button>
            )}
          </div>
        </fieldset>
      ) : (
        <div className="issue-actions">
          <WatchButton issueId={issue.id} />
        </div>
      )}
      <FormError error={transition.error} title="The issue was not moved" />
      <FormError error={restore.error} />
      <FormError error={assign.error} title="The issue was not assigned" />

      {issue.description ? <p className="issue-description">{issue.description}</p> : null}

      <IssueFields issue={issue} meId={me.user.id} />

      <Tabs.Root defaultValue="comments" className="tabs">
        <Tabs.List className="tab-list" aria-label="Around this issue">
          <Tabs.Trigger value="comments" className="tab">
            Comments
          </Tabs.Trigger>
          <Tabs.Trigger value="attachments" className="tab">
            Attachments
          </Tabs.Trigger>
          <Tabs.Trigger value="links" className="tab">
            Links
          </Tabs.Trigger>
          <Tabs.Trigger value="activity" className="tab">
            Activity
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="comments" className="tab-panel">
          <CommentsPane issueId={issue.id} canWrite={canWrite && !issue.archived} />
        </Tabs.Content>
        <Tabs.Content value="attachments" className="tab-panel">
          <AttachmentsPane issueId={issue.id} canWrite={canWrite && !issue.archived} />
        </Tabs.Content>
        <Tabs.Content value="links" className="tab-panel">
          <LinksPane issueId={issue.id} canWrite={canWrite && !issue.archived} />
        </Tabs.Content>
        <Tabs.Content value="activity" className="tab-panel">
          <ActivityPane issueId={issue.id} />
        </Tabs.Content>
      </Tabs.Root>

      {canWrite ? <IssueEditSheet issue={issue} open={editing} onOpenChange={setEditing} /> : null}
      <ConfirmDialog
        open={archiving}
        onOpenChange={setArchiving}
        title={`Archive ${issue.key}?`}
        confirmLabel="Archive"
        tone="danger"
        onConfirm={async () => {
          await archive.mutateAsync({ id: issue.id });
          notify(`${issue.key} archived`, {
            description: "It is read-only and out of lists; restore it any time.",
          });
        }}
      >
        <p>It becomes read-only and leaves the default lists and search. You can restore it later.</p>
      </ConfirmDialog>
    </article>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="detail-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The request type the issue was filed through, and the answers to its extra fields. */
function RequestAnswers({ issue }: { issue: Issue }) {
  const trpc = useTRPC();
  const { data } = useQuery(
    trpc.projects.catalog.requestTypes.get.queryOptions({ id: issue.requestTypeId ?? "" }),
  );
  const answered = (data?.fields ?? []).filter((f) => issue.answers[f.key] !== undefined);
  return (
    <>
      <Field label="Request type">{data?.name ?? "…"}</Field>
      {answered.map((field) => (
        <Field key={field.key} label={field.label}>
          {field.kind === "date"
            ? formatDate(String(issue.answers[field.key]))
            : String(issue.answers[field.key])}
        </Field>
      ))}
    </>
  );
}

const when = (iso: string | null) => (iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : "—");

function IssueFields({ issue, meId }: { issue: Issue; meId: string }) {
  const person = (ref: { id: string; name: string } | null) =>
    ref === null ? "—" : ref.id === meId ? `${ref.name} (you)` : ref.name;
  return (
    <dl className="detail-fields">
      {issue.type === "incident" ? (
        <>
          <Field label="Impact">{issue.impact ? priorityLabels[issue.impact] : "—"}</Field>
          <Field label="Urgency">{issue.urgency ? priorityLabels[issue.urgency] : "—"}</Field>
        </>
      ) : null}
      <Field label="Assignee">
        {issue.names.assignee ? person(issue.names.assignee) : issue.names.assigneeGroup ? "—" : "Unassigned"}
      </Field>
      {issue.names.assigneeGroup ? <Field label="Group">{issue.names.assigneeGroup.name}</Field> : null}
      <Field label="Requester">{person(issue.names.requester)}</Field>
      <Field label="School">{issue.names.school?.name ?? "—"}</Field>
      <Field label="Respond by">{when(issue.responseDueAt)}</Field>
      <Field label="Resolve by">{when(issue.resolutionDueAt)}</Field>
      <Field label="Due">{when(issue.dueAt)}</Field>
      <Field label="Created">{when(issue.createdAt)}</Field>
      <Field label="Updated">{when(issue.updatedAt)}</Field>
      {issue.resolvedAt ? <Field label="Resolved">{when(issue.resolvedAt)}</Field> : null}
      {issue.tags.length > 0 ? <Field label="Tags">{issue.tags.join(", ")}</Field> : null}
      {issue.requestTypeId ? <RequestAnswers issue={issue} /> : null}
      {issue.type === "change" ? (
        <>
          <Field label="Risk">{priorityLabels[issue.details.risk]}</Field>
          <Field label="Planned window">
            {when(issue.details.plannedStart)} – {when(issue.details.plannedEnd)}
          </Field>
          <Field label="Approval">
            <Badge
              tone={
                issue.details.approval === "approved"
                  ? "success"
                  : issue.details.approval === "rejected"
                    ? "danger"
                    : "neutral"
              }
            >
              {issue.details.approval === "approved"
                ? "Approved"
                : issue.details.approval === "rejected"
                  ? "Rejected"
                  : "Pending"}
            </Badge>
            {issue.details.approverId
              ? ` by ${issue.names.others.find((p) => p.id === issue.details.approverId)?.name ?? "Unknown user"}`
              : null}
          </Field>
        </>
      ) : null}
      {issue.type === "known_problem" ? (
        <>
          <Field label="Symptom">{issue.details.symptom}</Field>
          <Field label="Cause">{issue.details.cause || "—"}</Field>
          <Field label="Workaround">{issue.details.workaround || "—"}</Field>
        </>
      ) : null}
      {issue.type === "post_incident_analysis" ? (
        <>
          <Field label="Timeline">
            {issue.details.timeline.length === 0 ? (
              "—"
            ) : (
              <ol className="plain-list">
                {issue.details.timeline.map((entry) => (
                  <li key={`${entry.at}-${entry.note}`}>
                    {when(entry.at)}: {entry.note}
                  </li>
                ))}
              </ol>
            )}
          </Field>
          <Field label="Actions">
            {issue.details.actions.length === 0 ? (
              "—"
            ) : (
              <ul className="plain-list">
                {issue.details.actions.map((action, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: actions have no id; their order is theirs.
                  <li key={index}>
                    {action.done ? "Done: " : "To do: "}
                    {action.description}
                    {action.ownerId
                      ? ` (${issue.names.others.find((p) => p.id === action.ownerId)?.name ?? "Unknown user"})`
                      : ""}
                  </li>
                ))}
              </ul>
            )}
          </Field>
        </>
      ) : null}
      {issue.type === "repair" ? (
        <>
          <Field label="Fault">{issue.details.fault || "—"}</Field>
          <Field label="Asset">{issue.details.assetId || "—"}</Field>
        </>
      ) : null}
    </dl>
  );
}
