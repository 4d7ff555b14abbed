import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";
import { type IssueType, issueTypes, type Priority } from "../../../shared/schemas/issue-model";
import type { CreateIssueInput } from "../../../shared/schemas/issues";
import { issueTypeLabels, splitTags } from "../../lib/issues";
import { useTRPC } from "../../lib/trpc";
import { DialogCancel, DialogFooter, Modal } from "../Dialogs";
import { FormError, FormField } from "../FormField";
import { notify } from "../Toast";
import { Spinner } from "../ui";
import { type AnswersDraft, AnswersFields, answersFromDraft } from "./AnswersFields";
import { type Assignee, AssigneePicker, assigneeChange } from "./AssigneePicker";
import {
  type DetailsDraft,
  DetailsFields,
  detailsFromDraft,
  emptyDetails,
  fromLocalInput,
} from "./DetailsFields";
import { type Level, PriorityFields } from "./PriorityFields";
import { SchoolSelect } from "./SchoolSelect";

/** Files a new issue of any subtype: the subtype's own fields appear once it is chosen. */
export function CreateIssueDialog({
  open,
  onOpenChange,
  initialType = "incident",
  initialRequestTypeId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  initialType?: IssueType;
  /** Opens on this request type of the catalog (its subtype, project and questions). */
  initialRequestTypeId?: string | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { tenant } = useParams({ from: "/_app/$tenant" });
  const projects =
    useQuery({ ...trpc.projects.projects.list.queryOptions(), enabled: open }).data?.items ?? [];
  const [type, setType] = useState<IssueType>(initialType);
  const [project, setProject] = useState("");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [impact, setImpact] = useState<Level>("medium");
  const [urgency, setUrgency] = useState<Level>("medium");
  const [priority, setPriority] = useState<Priority>("medium");
  const [details, setDetails] = useState<DetailsDraft>(emptyDetails);
  const [assignee, setAssignee] = useState<Assignee>(null);
  const [requester, setRequester] = useState<Assignee>(null);
  const [dueAt, setDueAt] = useState("");
  const [tags, setTags] = useState("");
  const [schoolId, setSchoolId] = useState("");
  const defaults = useQuery({ ...trpc.projects.issues.listDefaults.queryOptions(), enabled: open }).data;
  const [requestTypeId, setRequestTypeId] = useState("");
  const [answers, setAnswers] = useState<AnswersDraft>({});
  const catalog = useQuery({ ...trpc.projects.catalog.requestTypes.list.queryOptions({}), enabled: open });
  const categories = useQuery({ ...trpc.projects.catalog.categories.list.queryOptions({}), enabled: open });
  const requestType = catalog.data?.items.find((rt) => rt.id === requestTypeId) ?? null;
  const chooseRequestType = (id: string) => {
    setRequestTypeId(id);
    setAnswers({});
    const chosen = catalog.data?.items.find((rt) => rt.id === id);
    if (!chosen) return;
    setType(chosen.issueType);
    if (chosen.defaultProject && chosen.defaultProject.name !== null) {
      setProject(`${chosen.defaultProject.scope}:${chosen.defaultProject.id}`);
    }
  };
  const create = useMutation({
    ...trpc.projects.issues.create.mutationOptions(),
    onSettled: () => void queryClient.invalidateQueries(trpc.projects.issues.pathFilter()),
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the dialog opens.
  useEffect(() => {
    if (open) {
      setType(initialType);
      setTitle("");
      setDescription("");
      setDetails(emptyDetails);
      setAssignee(null);
      setRequester(null);
      setDueAt("");
      setTags("");
      setSchoolId("");
      setRequestTypeId("");
      setAnswers({});
      create.reset();
    }
  }, [open]);

  // Opened from the catalog: start on that request type once the catalog is at hand.
  const [applied, setApplied] = useState<string | null>(null);
  useEffect(() => {
    if (!open) setApplied(null);
    else if (initialRequestTypeId && applied !== initialRequestTypeId && catalog.data) {
      setApplied(initialRequestTypeId);
      chooseRequestType(initialRequestTypeId);
    }
  });

  // Untouched, the project and school are the ones remembered in My context, else the first project.
  const remembered = defaults?.project ? `${defaults.project.scope}:${defaults.project.id}` : "";
  const chosenProject =
    project ||
    (projects.some((p) => `${p.scope}:${p.id}` === remembered) ? remembered : "") ||
    (projects[0] ? `${projects[0].scope}:${projects[0].id}` : "");
  const chosenSchool = schoolId === "none" ? "" : schoolId || (defaults?.school?.id ?? "");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [scope, projectId] = chosenProject.split(":") as ["tenant" | "shared", string];
    const common = {
      projectScope: scope,
      projectId: projectId ?? "",
      title,
      ...(description.trim() ? { description } : {}),
      ...(assignee ? assigneeChange(assignee) : {}),
      ...(requester ? { requesterId: requester.id } : {}),
      ...(dueAt ? { dueAt: fromLocalInput(dueAt) } : {}),
      ...(tags.trim() ? { tags: splitTags(tags) } : {}),
      ...(chosenSchool ? { schoolId: chosenSchool } : {}),
      ...(requestType
        ? { requestTypeId: requestType.id, answers: answersFromDraft(requestType.fields, answers) }
        : {}),
    };
    const input = (
      type === "incident"
        ? { ...common, type, impact, urgency }
        : { ...common, type, priority, details: detailsFromDraft(type, details) }
    ) as CreateIssueInput;
    create.mutate(input, {
      onSuccess: (issue) => {
        onOpenChange(false);
        notify(`${issue.key} filed`, { description: issue.title });
        void navigate({
          to: "/$tenant/projects/issues/$issueId",
          params: { tenant, issueId: issue.id },
        });
      },
    });
  };

  return (
    <Modal open={open} onOpenChange={onOpenChange} title="New issue" size="wide">
      <form className="dialog-form" onSubmit={submit}>
        {(catalog.data?.items.length ?? 0) > 0 ? (
          <FormField
            label="Request type"
            name="requestTypeId"
            error={create.error}
            hint="From the catalog: sets the type and project, and asks what the team needs to know."
          >
            {(control) => (
              <select
                {...control}
                className="input"
                value={requestTypeId}
                onChange={(event) => chooseRequestType(event.target.value)}
              >
                <option value="">None (describe it yourself)</option>
                {(categories.data?.items ?? []).map((category) => {
                  const inCategory = (catalog.data?.items ?? []).filter(
                    (rt) => rt.categoryId === category.id,
                  );
                  return inCategory.length === 0 ? null : (
                    <optgroup key={category.id} label={category.name}>
                      {inCategory.map((rt) => (
                        <option key={rt.id} value={rt.id}>
                          {rt.name}
                        </option>
                      ))}
                    </optgroup>
                  );
                })}
              </select>
            )}
          </FormField>
        ) : null}
        <div className="form-grid">
          <FormField label="Type" name="type" error={create.error}>
            {(control) => (
              <select
                {...control}
                className="input"
                value={type}
                onChange={(event) => {
                  setType(event.target.value as IssueType);
                  if (requestType && requestType.issueType !== event.target.value) chooseRequestType("");
                }}
              >
                {issueTypes.map((t) => (
                  <option key={t} value={t}>
                    {issueTypeLabels[t]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label="Project" name="projectId" error={create.error}>
            {(control) => (
              <select
                {...control}
                className="input"
                value={chosenProject}
                onChange={(event) => setProject(event.target.value)}
              >
                {projects.map((p) => (
                  <option key={`${p.scope}:${p.id}`} value={`${p.scope}:${p.id}`}>
                    {p.name} ({p.key}){p.scope === "shared" ? " · shared" : ""}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <FormField
          label="School"
          name="schoolId"
          error={create.error}
          hint="The building it is about, if any."
        >
          {(control) => (
            <SchoolSelect
              control={control}
              enabled={open}
              value={chosenSchool}
              onChange={(next) => setSchoolId(next || "none")}
            />
          )}
        </FormField>
        <FormField label="Title" name="title" error={create.error}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={title}
              maxLength={200}
              onChange={(event) => setTitle(event.target.value)}
            />
          )}
        </FormField>
        <FormField label="Description" name="description" error={create.error}>
          {(control) => (
            <textarea
              {...control}
              className="input textarea"
              rows={4}
              value={description}
              onChange={(event) => setDescription(event.target.value)}
            />
          )}
        </FormField>
        <PriorityFields
          incident={type === "incident"}
          values={{ priority, impact, urgency }}
          onChange={(patch) => {
            if (patch.priority) setPriority(patch.priority);
            if (patch.impact) setImpact(patch.impact);
            if (patch.urgency) setUrgency(patch.urgency);
          }}
          error={create.error}
        />
        <div className="form-grid">
          <FormField
            label="Assignee"
            name="assigneeUserId"
            error={create.error}
            hint="Left empty: the project's default group."
          >
            {(control) => <AssigneePicker id={control.id} value={assignee} onChange={setAssignee} />}
          </FormField>
          <FormField
            label="Requester"
            name="requesterId"
            error={create.error}
            hint="Filing for someone else? Choose them."
          >
            {(control) => (
              <AssigneePicker
                id={control.id}
                label="Requester"
                accepts="user"
                placeholder="You"
                noneLabel="You"
                value={requester}
                onChange={setRequester}
              />
            )}
          </FormField>
          <FormField label="Due" name="dueAt" error={create.error} hint="Optional.">
            {(control) => (
              <input
                {...control}
                type="datetime-local"
                className="input"
                value={dueAt}
                onChange={(event) => setDueAt(event.target.value)}
              />
            )}
          </FormField>
          <FormField label="Tags" name="tags" error={create.error} hint="Separate tags with commas.">
            {(control) => (
              <input
                {...control}
                className="input"
                value={tags}
                onChange={(event) => setTags(event.target.value)}
              />
            )}
          </FormField>
        </div>
        {requestType ? (
          <AnswersFields
            legend={requestType.name}
            fields={requestType.fields}
            draft={answers}
            onChange={setAnswers}
            error={create.error}
          />
        ) : null}
        <DetailsFields type={type} draft={details} onChange={setDetails} error={create.error} />
        <FormError
          error={create.error}
          fields={[
            "title",
            "description",
            "projectId",
            "type",
            "priority",
            "impact",
            "urgency",
            "assigneeUserId",
            "assigneeGroupId",
            "requesterId",
            "schoolId",
            "dueAt",
            "tags",
            "details",
            "requestTypeId",
            "answers",
          ]}
        />
        <DialogFooter>
          <DialogCancel />
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? <Spinner size={14} /> : null}
            File {issueTypeLabels[type].toLowerCase()}
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}
