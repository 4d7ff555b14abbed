import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RefreshCw, TriangleAlert } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import type { priorities } from "../../../shared/schemas/issue-model";
import type { Issue, UpdateIssueInput } from "../../../shared/schemas/issues";
import { errorCode, reasonOf } from "../../lib/errors";
import { splitTags } from "../../lib/issues";
import { useTRPC } from "../../lib/trpc";
import { FormError, FormField } from "../FormField";
import { Sheet } from "../Sheet";
import { notify } from "../Toast";
import { Spinner } from "../ui";
import { type AnswersDraft, AnswersFields, answersFromDraft, draftOfAnswers } from "./AnswersFields";
import { type Assignee, AssigneePicker, assigneeChange, assigneeOf } from "./AssigneePicker";
import {
  type DetailsDraft,
  DetailsFields,
  detailsFromDraft,
  draftOf,
  fromLocalInput,
  toLocalInput,
} from "./DetailsFields";
import { type Level, PriorityFields } from "./PriorityFields";
import { SchoolSelect } from "./SchoolSelect";

interface Draft {
  title: string;
  description: string;
  priority: (typeof priorities)[number];
  impact: Level;
  urgency: Level;
  tags: string;
  assignee: Assignee;
  requester: Assignee;
  dueAt: string;
  schoolId: string;
  answers: AnswersDraft;
  details: DetailsDraft;
}

function draftFrom(issue: Issue): Draft {
  return {
    title: issue.title,
    description: issue.description ?? "",
    priority: issue.priority,
    impact: issue.impact ?? "medium",
    urgency: issue.urgency ?? "medium",
    tags: issue.tags.join(", "),
    assignee: assigneeOf(issue),
    requester: issue.names.requester ? { kind: "user", ...issue.names.requester } : null,
    dueAt: toLocalInput(issue.dueAt),
    schoolId: issue.schoolId ?? "",
    answers: draftOfAnswers(issue.answers),
    details: draftOf(issue),
  };
}

const sameAssignee = (a: Assignee, b: Assignee) => a?.kind === b?.kind && a?.id === b?.id;

/**
 * The inspector: edits an issue read at its version. If someone else changed it meanwhile the server answers
 * CONFLICT: the sheet says so and keeps what was typed; "Reload" takes the newer version as the base and the
 * typed changes are sent again on top of it.
 */
export function IssueEditSheet({
  issue,
  open,
  onOpenChange,
}: {
  issue: Issue;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftFrom(issue));
  const [baseVersion, setBaseVersion] = useState(issue.version);
  const update = useMutation(trpc.projects.issues.update.mutationOptions());
  const requestType =
    useQuery({
      ...trpc.projects.catalog.requestTypes.get.queryOptions({ id: issue.requestTypeId ?? "" }),
      enabled: open && issue.requestTypeId !== null,
    }).data ?? null;
  const [reloading, setReloading] = useState(false);
  const stale = errorCode(update.error) === "CONFLICT" && reasonOf(update.error) === "stale_version";

  // Opening starts from the issue as shown.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the sheet opens.
  useEffect(() => {
    if (open) {
      setDraft(draftFrom(issue));
      setBaseVersion(issue.version);
      setTouched(new Set());
      update.reset();
    }
  }, [open]);

  // What the user changed: kept over a newer version on reload; everything else follows the newer version.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setTouched((t) => new Set([...t, ...Object.keys(patch)]));
  };
  const setDetails = (details: DetailsDraft) => {
    const changed = (Object.keys(details) as (keyof DetailsDraft)[]).filter(
      (k) => details[k] !== draft.details[k],
    );
    setDraft((d) => ({ ...d, details }));
    setTouched((t) => new Set([...t, ...changed.map((k) => `details.${k}`)]));
  };

  const reload = async () => {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({
        ...trpc.projects.issues.get.queryOptions({ id: issue.id }),
        staleTime: 0,
      });
      const rebased = draftFrom(fresh);
      setDraft((mine) => {
        const next: Draft = { ...rebased, details: { ...rebased.details } };
        for (const key of touched) {
          if (key.startsWith("details.")) {
            const k = key.slice("details.".length) as keyof DetailsDraft;
            (next.details as unknown as Record<string, unknown>)[k] = mine.details[k];
          } else {
            (next as unknown as Record<string, unknown>)[key] = mine[key as keyof Draft];
          }
        }
        return next;
      });
      setBaseVersion(fresh.version);
      update.reset();
    } finally {
      setReloading(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const original = draftFrom(issue);
    const input: UpdateIssueInput = { id: issue.id, version: baseVersion };
    if (touched.has("title") && draft.title !== original.title) input.title = draft.title;
    if (touched.has("description") && draft.description !== original.description)
      input.description = draft.description.trim() || null;
    if (issue.type === "incident") {
      if (touched.has("impact") && draft.impact !== original.impact) input.impact = draft.impact;
      if (touched.has("urgency") && draft.urgency !== original.urgency) input.urgency = draft.urgency;
    } else if (touched.has("priority") && draft.priority !== original.priority) {
      input.priority = draft.priority;
    }
    const tags = splitTags(draft.tags);
    if (touched.has("tags") && tags.join(",") !== issue.tags.join(",")) input.tags = tags;
    if (touched.has("assignee") && !sameAssignee(draft.assignee, original.assignee)) {
      Object.assign(input, assigneeChange(draft.assignee));
    }
    if (touched.has("requester") && draft.requester && !sameAssignee(draft.requester, original.requester)) {
      input.requesterId = draft.requester.id;
    }
    if (
      touched.has("answers") &&
      requestType &&
      JSON.stringify(draft.answers) !== JSON.stringify(original.answers)
    ) {
      input.answers = answersFromDraft(requestType.fields, draft.answers);
    }
    if (touched.has("schoolId") && draft.schoolId !== original.schoolId) {
      input.schoolId = draft.schoolId || null;
    }
    if (touched.has("dueAt") && draft.dueAt !== original.dueAt) {
      input.dueAt = draft.dueAt ? fromLocalInput(draft.dueAt) : null;
    }
    if (
      [...touched].some((k) => k.startsWith("details.")) &&
      JSON.stringify(detailsFromDraft(issue.type, draft.details)) !==
        JSON.stringify(detailsFromDraft(issue.type, original.details))
    ) {
      input.details = detailsFromDraft(issue.type, draft.details, issue.details as Record<string, unknown>);
    }
    if (Object.keys(input).length === 2) {
      onOpenChange(false);
      return;
    }
    update.mutate(input, {
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.projects.issues.get.queryKey({ id: next.id }), next);
        void queryClient.invalidateQueries(trpc.projects.pathFilter());
        onOpenChange(false);
        notify(`${next.key} saved`);
      },
    });
  };

  return (
    <Sheet
      open={open}
      onOpenChange={onOpenChange}
      title={`Edit ${issue.key}`}
      description="Changes are saved together. Escape closes without saving."
    >
      <form className="dialog-form" onSubmit={submit} id="issue-edit-form">
        {stale ? (
          <div className="notice notice-warning" role="alert">
            <TriangleAlert size={16} aria-hidden="true" />
            <div>
              <p className="strong">This issue was changed by someone else.</p>
              <p>
                Your changes are still here. Reload to take the newer version as the base, then save again.
              </p>
              <button type="button" className="button" onClick={() => void reload()} disabled={reloading}>
                {reloading ? <Spinner size={14} /> : <RefreshCw size={14} aria-hidden="true" />}
                Reload
              </button>
            </div>
          </div>
        ) : null}
        <FormField label="Title" name="title" error={update.error}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={draft.title}
              maxLength={200}
              onChange={(event) => set({ title: event.target.value })}
            />
          )}
        </FormField>
        <FormField label="Description" name="description" error={update.error}>
          {(control) => (
            <textarea
              {...control}
              className="input textarea"
              rows={5}
              value={draft.description}
              onChange={(event) => set({ description: event.target.value })}
            />
          )}
        </FormField>
        <PriorityFields
          incident={issue.type === "incident"}
          values={draft}
          onChange={set}
          error={update.error}
        />
        <FormField label="Assignee" name="assigneeUserId" error={update.error}>
          {(control) => (
            <AssigneePicker
              id={control.id}
              value={draft.assignee}
              onChange={(assignee) => set({ assignee })}
            />
          )}
        </FormField>
        <div className="form-grid">
          <FormField label="Requester" name="requesterId" error={update.error}>
            {(control) => (
              <AssigneePicker
                id={control.id}
                label="Requester"
                accepts="user"
                allowNone={false}
                placeholder="Choose a person"
                value={draft.requester}
                onChange={(requester) => set({ requester })}
              />
            )}
          </FormField>
          <FormField label="School" name="schoolId" error={update.error}>
            {(control) => (
              <SchoolSelect
                control={control}
                enabled={open}
                value={draft.schoolId}
                onChange={(schoolId) => set({ schoolId })}
              />
            )}
          </FormField>
          <FormField
            label="Due"
            name="dueAt"
            error={update.error}
            hint="Optional; separate from the targets."
          >
            {(control) => (
              <input
                {...control}
                type="datetime-local"
                className="input"
                value={draft.dueAt}
                onChange={(event) => set({ dueAt: event.target.value })}
              />
            )}
          </FormField>
        </div>
        <FormField label="Tags" name="tags" error={update.error} hint="Separate tags with commas.">
          {(control) => (
            <input
              {...control}
              className="input"
              value={draft.tags}
              onChange={(event) => set({ tags: event.target.value })}
            />
          )}
        </FormField>
        {requestType ? (
          <AnswersFields
            legend={requestType.name}
            fields={requestType.fields}
            draft={draft.answers}
            onChange={(answers) => set({ answers })}
            error={update.error}
          />
        ) : null}
        <DetailsFields type={issue.type} draft={draft.details} onChange={setDetails} error={update.error} />
        {stale ? null : (
          <FormError
            error={update.error}
            fields={[
              "title",
              "description",
              "priority",
              "impact",
              "urgency",
              "assigneeUserId",
              "assigneeGroupId",
              "requesterId",
              "schoolId",
              "dueAt",
              "answers",
              "tags",
              "details",
            ]}
          />
        )}
        <div className="sheet-actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={update.isPending || stale}>
            {update.isPending ? <Spinner size={14} /> : null}
            Save changes
          </button>
        </div>
      </form>
    </Sheet>
  );
}
