import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type {
  CreateRequestTypeInput,
  ProjectRef,
  RequestType,
} from "../../../../shared/schemas/issue-extras";
import { type IssueType, issueTypes } from "../../../../shared/schemas/issue-model";
import { issueTypeLabels } from "../../../lib/issues";
import { useTRPC } from "../../../lib/trpc";
import { FormError, FormField } from "../../FormField";
import { Sheet } from "../../Sheet";
import { notify } from "../../Toast";
import { Spinner } from "../../ui";
import { ExtraFieldsEditor } from "./ExtraFieldsEditor";
import { draftOfField, type FieldDraft, fieldOfDraft } from "./extra-fields";

interface Draft {
  name: string;
  description: string;
  categoryId: string;
  issueType: IssueType;
  /** `<scope>:<id>`, or "" for none. */
  defaultProject: string;
  /** A group's id, or "" for none. */
  defaultAssigneeGroupId: string;
  fields: FieldDraft[];
}

function draftOf(requestType: RequestType | undefined, categoryId: string): Draft {
  if (!requestType) {
    return {
      name: "",
      description: "",
      categoryId,
      issueType: "service_request",
      defaultProject: "",
      defaultAssigneeGroupId: "",
      fields: [],
    };
  }
  return {
    name: requestType.name,
    description: requestType.description ?? "",
    categoryId: requestType.categoryId,
    issueType: requestType.issueType,
    defaultProject: requestType.defaultProject
      ? `${requestType.defaultProject.scope}:${requestType.defaultProject.id}`
      : "",
    defaultAssigneeGroupId: requestType.defaultAssigneeGroup?.id ?? "",
    fields: requestType.fields.map(draftOfField),
  };
}

function projectRefOf(value: string): ProjectRef | null {
  const at = value.indexOf(":");
  if (at < 0) return null;
  const scope = value.slice(0, at);
  return scope === "tenant" || scope === "shared" ? { scope, id: value.slice(at + 1) } : null;
}

/**
 * The fields the form shows (with `fields`, the extra fields: a message about a field removed since is moot);
 * the server's messages for any other are shown above the buttons.
 */
const formFields = [
  "name",
  "description",
  "categoryId",
  "issueType",
  "defaultProject",
  "defaultAssigneeGroupId",
] as const;

/**
 * Creates a request type in a category, or (with `requestType`) changes one: its name, category, the issue
 * type it files, the project and group new issues go to by default, and the extra fields it asks for. An
 * inspector sheet; what was typed stays when the server refuses it, with its messages beside each field.
 */
export function RequestTypeSheet({
  open,
  onOpenChange,
  requestType,
  categoryId = "",
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  requestType?: RequestType | undefined;
  /** The category a new request type goes in. */
  categoryId?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(requestType, categoryId));
  const [submitted, setSubmitted] = useState<readonly string[]>([]);
  const categories = useQuery({
    ...trpc.projects.catalog.categories.list.queryOptions({ includeArchived: true }),
    enabled: open,
  });
  const projects = useQuery({ ...trpc.projects.projects.list.queryOptions(), enabled: open });
  const groups = useQuery({
    ...trpc.system.groups.list.queryOptions({ limit: 100 }),
    enabled: open,
  });
  const done = (saved: RequestType, verb: string) => {
    void queryClient.invalidateQueries(trpc.projects.catalog.pathFilter());
    onOpenChange(false);
    notify(`Request type ${verb}`, { description: saved.name });
  };
  const create = useMutation({
    ...trpc.projects.catalog.requestTypes.create.mutationOptions(),
    onSuccess: (saved) => done(saved, "created"),
  });
  const update = useMutation({
    ...trpc.projects.catalog.requestTypes.update.mutationOptions(),
    onSuccess: (saved) => done(saved, "saved"),
  });
  const mutation = requestType ? update : create;
  const form = useRef<HTMLFormElement>(null);

  // A refused save takes the focus to the first field the server (or the key check) complained about.
  useEffect(() => {
    if (mutation.error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [mutation.error]);

  // Opening starts from the request type as shown (or an empty one in the chosen category).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the sheet opens.
  useEffect(() => {
    if (open) {
      setDraft(draftOf(requestType, categoryId));
      setSubmitted([]);
      create.reset();
      update.reset();
    }
  }, [open]);

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mutation.isPending) return;
    setSubmitted(draft.fields.map((f) => f.uid));
    const input: CreateRequestTypeInput = {
      categoryId: draft.categoryId,
      name: draft.name,
      description: draft.description.trim() || null,
      issueType: draft.issueType,
      defaultProject: projectRefOf(draft.defaultProject),
      defaultAssigneeGroupId: draft.defaultAssigneeGroupId || null,
      fields: draft.fields.map(fieldOfDraft),
    };
    if (requestType) update.mutate({ id: requestType.id, ...input });
    else create.mutate(input);
  };

  // Choices: what can be chosen now, plus whatever is set already (an archived category, a gone project).
  const categoryOptions = (categories.data?.items ?? []).filter(
    (c) => !c.archived || c.id === draft.categoryId,
  );
  const ownProjects = (projects.data?.items ?? []).filter((p) => p.scope === "tenant");
  const sharedProjects = (projects.data?.items ?? []).filter((p) => p.scope === "shared");
  const projectKnown = (projects.data?.items ?? []).some(
    (p) => `${p.scope}:${p.id}` === draft.defaultProject,
  );
  const groupOptions = groups.data?.items ?? [];
  const groupKnown = groupOptions.some((g) => g.id === draft.defaultAssigneeGroupId);

  return (
    <Sheet
      open={open}
      onOpenChange={onOpenChange}
      title={requestType ? `Edit ${requestType.name}` : "New request type"}
      description="What people choose when they file: the issue it becomes, where it goes, who picks it up and what it asks."
    >
      <form className="dialog-form" onSubmit={submit} noValidate ref={form}>
        <FormField label="Name" name="name" error={mutation.error} hint="Unique in its category.">
          {(control) => (
            <input
              {...control}
              className="input"
              required
              maxLength={100}
              value={draft.name}
              onChange={(event) => set({ name: event.target.value })}
              // biome-ignore lint/a11y/noAutofocus: the sheet's first field.
              autoFocus
            />
          )}
        </FormField>
        <FormField label="Description" name="description" error={mutation.error} hint="Optional.">
          {(control) => (
            <textarea
              {...control}
              className="input textarea"
              rows={3}
              maxLength={2000}
              value={draft.description}
              onChange={(event) => set({ description: event.target.value })}
            />
          )}
        </FormField>
        <div className="form-grid">
          <FormField label="Category" name="categoryId" error={mutation.error}>
            {(control) => (
              <select
                {...control}
                className="input select select-block"
                value={draft.categoryId}
                onChange={(event) => set({ categoryId: event.target.value })}
              >
                {draft.categoryId === "" ? <option value="">Choose a category</option> : null}
                {categoryOptions.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.archived ? `${c.name} (archived)` : c.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label="Issue type" name="issueType" error={mutation.error}>
            {(control) => (
              <select
                {...control}
                className="input select select-block"
                value={draft.issueType}
                onChange={(event) => set({ issueType: event.target.value as IssueType })}
              >
                {issueTypes.map((t) => (
                  <option key={t} value={t}>
                    {issueTypeLabels[t]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <FormField
          label="Default project"
          name="defaultProject"
          error={mutation.error}
          hint="Where issues of this type are filed unless the person filing chooses another."
        >
          {(control) => (
            <select
              {...control}
              className="input select select-block"
              value={draft.defaultProject}
              onChange={(event) => set({ defaultProject: event.target.value })}
            >
              <option value="">No default project</option>
              {draft.defaultProject && !projectKnown ? (
                <option value={draft.defaultProject}>
                  {requestType?.defaultProject?.name ?? "A project that no longer exists"}
                  {projects.isSuccess ? " (unavailable)" : ""}
                </option>
              ) : null}
              {ownProjects.length > 0 ? (
                <optgroup label="This organization's projects">
                  {ownProjects.map((p) => (
                    <option key={p.id} value={`${p.scope}:${p.id}`}>
                      {p.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              {sharedProjects.length > 0 ? (
                <optgroup label="Shared service desks">
                  {sharedProjects.map((p) => (
                    <option key={p.id} value={`${p.scope}:${p.id}`}>
                      {p.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </select>
          )}
        </FormField>
        <FormField
          label="Default assignee group"
          name="defaultAssigneeGroupId"
          error={mutation.error}
          hint="New issues of this type go to this group until someone takes them."
        >
          {(control) => (
            <select
              {...control}
              className="input select select-block"
              value={draft.defaultAssigneeGroupId}
              onChange={(event) => set({ defaultAssigneeGroupId: event.target.value })}
            >
              <option value="">No default group</option>
              {draft.defaultAssigneeGroupId && !groupKnown ? (
                <option value={draft.defaultAssigneeGroupId}>
                  {requestType?.defaultAssigneeGroup?.name ?? "A group that no longer exists"}
                  {groups.isSuccess ? " (unavailable)" : ""}
                </option>
              ) : null}
              {groupOptions.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <ExtraFieldsEditor
          fields={draft.fields}
          onChange={(fields) => set({ fields })}
          error={mutation.error}
          submitted={submitted}
        />
        <FormError error={mutation.error} fields={[...formFields, "fields"]} />
        <div className="sheet-actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={mutation.isPending}>
            {mutation.isPending ? <Spinner size={14} /> : null}
            {requestType ? "Save changes" : "Create request type"}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
