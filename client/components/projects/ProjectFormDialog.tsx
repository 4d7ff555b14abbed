import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod/mini";
import type { Project } from "../../../shared/schemas/projects";
import { useTRPC } from "../../lib/trpc";
import { FormDialog, NameDescriptionFields, nameDescription, useRecordDialog } from "../FormDialog";
import { FormValue, TextField } from "../form";
import { type Assignee, AssigneePicker } from "./AssigneePicker";

const groupOf = (project: Project | undefined): Assignee =>
  project?.defaultAssigneeGroup
    ? {
        kind: "group",
        id: project.defaultAssigneeGroup.id,
        name: project.defaultAssigneeGroup.name ?? "Unknown group",
      }
    : null;

/** The project's key is checked by the server (its pattern's message is the server's to give). */
const projectForm = z.object({
  key: z.string().check(z.trim()),
  ...nameDescription(),
  defaultAssigneeGroupId: z.custom<Assignee>(),
});

/**
 * Creates a project of the organization, or (with `project`) renames it and changes its description and
 * default group. The key is chosen once: issue numbers (HELP-42) are made from it.
 */
export function ProjectFormDialog({
  project,
  trigger,
  open,
  onOpenChange,
}: {
  project?: Project | undefined;
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const { state, saved } = useRecordDialog<Project>({
    open,
    onOpenChange,
    noun: "Project",
    invalidate: trpc.projects.projects.pathFilter(),
    describe: (p) => `${p.name} (${p.key})`,
  });
  const create = useMutation({
    ...trpc.projects.projects.create.mutationOptions(),
    onSuccess: saved("created"),
  });
  const update = useMutation({
    ...trpc.projects.projects.update.mutationOptions(),
    onSuccess: saved("saved"),
  });
  const mutation = project ? update : create;

  return (
    <FormDialog
      state={state}
      trigger={trigger}
      title={project ? `Edit ${project.name}` : "New project"}
      formKey={project?.id ?? "new"}
      submission={mutation}
      submitLabel={project ? "Save" : "Create project"}
      schema={projectForm}
      defaultValues={{
        key: "",
        name: project?.name ?? "",
        description: project?.description ?? "",
        defaultAssigneeGroupId: groupOf(project),
      }}
      onSubmit={({ key, defaultAssigneeGroupId, ...rest }) => {
        const input = { ...rest, defaultAssigneeGroupId: defaultAssigneeGroupId?.id ?? null };
        if (project) update.mutate({ id: project.id, ...input });
        else create.mutate({ key, ...input });
      }}
    >
      {project ? null : (
        <TextField
          name="key"
          label="Key"
          hint="2 to 10 letters and digits, e.g. HELP. Issue numbers start with it; it cannot change later."
          className="input mono"
          required
          maxLength={10}
          autoCapitalize="characters"
          autoFocus
        />
      )}
      <NameDescriptionFields autoFocus={Boolean(project)} />
      <FormValue<Assignee>
        name="defaultAssigneeGroupId"
        label="Default group"
        hint="New issues nobody is assigned to go to this group."
      >
        {({ control, value, setValue }) => (
          <AssigneePicker
            id={control.id}
            label="Default group"
            accepts="group"
            placeholder="No default group"
            noneLabel="No default group"
            value={value}
            onChange={setValue}
          />
        )}
      </FormValue>
    </FormDialog>
  );
}
