import { useQuery } from "@tanstack/react-query";
import type { IssueType } from "../../../shared/schemas/issue-model";
import type { Issue } from "../../../shared/schemas/issues";
import { useTRPC } from "../../lib/trpc";
import { FormField } from "../FormField";
import {
  type ActionDraft,
  ActionsEditor,
  rowKey,
  type TimelineDraft,
  TimelineEditor,
} from "./AnalysisFields";

/** The subtype fields of an issue form, as typed (strings); turned into `details` on submit. */
export interface DetailsDraft {
  risk: "low" | "medium" | "high";
  plannedStart: string;
  plannedEnd: string;
  symptom: string;
  cause: string;
  workaround: string;
  incidentId: string;
  timeline: TimelineDraft[];
  actions: ActionDraft[];
  fault: string;
  assetId: string;
}

export const emptyDetails: DetailsDraft = {
  risk: "medium",
  plannedStart: "",
  plannedEnd: "",
  symptom: "",
  cause: "",
  workaround: "",
  incidentId: "",
  timeline: [],
  actions: [],
  fault: "",
  assetId: "",
};

/** `datetime-local` value (local time, minutes) of an ISO date-time. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): string {
  return value ? new Date(value).toISOString() : "";
}

export function draftOf(issue: Issue): DetailsDraft {
  const nameOf = (id: string) => issue.names.others.find((p) => p.id === id)?.name ?? "Unknown user";
  switch (issue.type) {
    case "change":
      return {
        ...emptyDetails,
        risk: issue.details.risk,
        plannedStart: toLocalInput(issue.details.plannedStart),
        plannedEnd: toLocalInput(issue.details.plannedEnd),
      };
    case "known_problem":
      return {
        ...emptyDetails,
        symptom: issue.details.symptom,
        cause: issue.details.cause ?? "",
        workaround: issue.details.workaround ?? "",
      };
    case "post_incident_analysis":
      return {
        ...emptyDetails,
        incidentId: issue.details.incidentId,
        timeline: issue.details.timeline.map((t) => ({
          key: rowKey(),
          at: toLocalInput(t.at),
          note: t.note,
        })),
        actions: issue.details.actions.map((a) => ({
          key: rowKey(),
          description: a.description,
          owner: a.ownerId ? { kind: "user", id: a.ownerId, name: nameOf(a.ownerId) } : null,
          done: a.done,
        })),
      };
    case "repair":
      return { ...emptyDetails, fault: issue.details.fault ?? "", assetId: issue.details.assetId ?? "" };
    default:
      return emptyDetails;
  }
}

const orNull = (value: string) => (value.trim() ? value.trim() : null);

/** The `details` of a subtype from the form; what the form does not edit is kept from `base`. */
export function detailsFromDraft(
  type: IssueType,
  draft: DetailsDraft,
  base?: Record<string, unknown>,
): Record<string, unknown> {
  switch (type) {
    case "change":
      return {
        ...base,
        risk: draft.risk,
        plannedStart: fromLocalInput(draft.plannedStart),
        plannedEnd: fromLocalInput(draft.plannedEnd),
      };
    case "known_problem":
      return {
        ...base,
        symptom: draft.symptom,
        cause: orNull(draft.cause),
        workaround: orNull(draft.workaround),
      };
    case "post_incident_analysis":
      return {
        ...base,
        incidentId: draft.incidentId,
        timeline: draft.timeline.map((t) => ({ at: fromLocalInput(t.at), note: t.note })),
        actions: draft.actions.map((a) => ({
          description: a.description,
          ownerId: a.owner?.id ?? null,
          done: a.done,
        })),
      };
    case "repair":
      return { ...base, fault: orNull(draft.fault), assetId: orNull(draft.assetId) };
    default:
      return {};
  }
}

/** The fields a subtype adds to the issue form. */
export function DetailsFields({
  type,
  draft,
  onChange,
  error,
}: {
  type: IssueType;
  draft: DetailsDraft;
  onChange: (draft: DetailsDraft) => void;
  error: unknown;
}) {
  const set = (patch: Partial<DetailsDraft>) => onChange({ ...draft, ...patch });
  switch (type) {
    case "change":
      return (
        <fieldset className="fieldset">
          <legend>Change</legend>
          <div className="form-grid">
            <FormField label="Risk" name="details.risk" error={error}>
              {(control) => (
                <select
                  {...control}
                  className="input"
                  value={draft.risk}
                  onChange={(event) => set({ risk: event.target.value as DetailsDraft["risk"] })}
                >
                  <option value="low">Low</option>
                  <option value="medium">Medium</option>
                  <option value="high">High</option>
                </select>
              )}
            </FormField>
            <FormField label="Planned start" name="details.plannedStart" error={error}>
              {(control) => (
                <input
                  {...control}
                  type="datetime-local"
                  className="input"
                  value={draft.plannedStart}
                  onChange={(event) => set({ plannedStart: event.target.value })}
                />
              )}
            </FormField>
            <FormField label="Planned end" name="details.plannedEnd" error={error}>
              {(control) => (
                <input
                  {...control}
                  type="datetime-local"
                  className="input"
                  value={draft.plannedEnd}
                  onChange={(event) => set({ plannedEnd: event.target.value })}
                />
              )}
            </FormField>
          </div>
          <p className="field-hint">Approval is decided by moving the change to Approved or Rejected.</p>
        </fieldset>
      );
    case "known_problem":
      return (
        <fieldset className="fieldset">
          <legend>Known problem</legend>
          <TextArea
            label="Symptom"
            name="details.symptom"
            value={draft.symptom}
            onChange={(v) => set({ symptom: v })}
            error={error}
          />
          <TextArea
            label="Cause"
            name="details.cause"
            value={draft.cause}
            onChange={(v) => set({ cause: v })}
            error={error}
          />
          <TextArea
            label="Workaround"
            name="details.workaround"
            value={draft.workaround}
            onChange={(v) => set({ workaround: v })}
            error={error}
          />
        </fieldset>
      );
    case "post_incident_analysis":
      return (
        <fieldset className="fieldset">
          <legend>Post-incident analysis</legend>
          <IncidentPicker value={draft.incidentId} onChange={(v) => set({ incidentId: v })} error={error} />
          <TimelineEditor rows={draft.timeline} onChange={(timeline) => set({ timeline })} error={error} />
          <ActionsEditor rows={draft.actions} onChange={(actions) => set({ actions })} error={error} />
        </fieldset>
      );
    case "repair":
      return (
        <fieldset className="fieldset">
          <legend>Repair</legend>
          <TextArea
            label="Fault"
            name="details.fault"
            value={draft.fault}
            onChange={(v) => set({ fault: v })}
            error={error}
          />
          <FormField
            label="Asset tag or reference"
            name="details.assetId"
            error={error}
            hint="Linked to Assets once that package exists."
          >
            {(control) => (
              <input
                {...control}
                className="input"
                value={draft.assetId}
                maxLength={64}
                onChange={(event) => set({ assetId: event.target.value })}
              />
            )}
          </FormField>
        </fieldset>
      );
    default:
      return null;
  }
}

function TextArea({
  label,
  name,
  value,
  onChange,
  error,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error: unknown;
}) {
  return (
    <FormField label={label} name={name} error={error}>
      {(control) => (
        <textarea
          {...control}
          className="input textarea"
          rows={3}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FormField>
  );
}

/** The incident a post-incident analysis is about: chosen among the organization's incidents. */
function IncidentPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: unknown;
}) {
  const trpc = useTRPC();
  const incidents =
    useQuery(
      trpc.projects.issues.list.queryOptions({
        filters: { type: ["incident"] },
        sort: { field: "updatedAt", direction: "desc" },
        limit: 100,
      }),
    ).data?.items ?? [];
  return (
    <FormField label="Incident" name="details.incidentId" error={error}>
      {(control) => (
        <select
          {...control}
          className="input"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">Choose an incident…</option>
          {incidents.map((i) => (
            <option key={i.id} value={i.id}>
              {i.key} {i.title}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
