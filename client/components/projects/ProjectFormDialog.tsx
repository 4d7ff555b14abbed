import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import type { Project } from "../../../shared/schemas/projects";
import { useTRPC } from "../../lib/trpc";
import { FormDialog, NameDescriptionFields, optionalText, useRecordDialog } from "../FormDialog";
import { FormField } from "../FormField";
import { type Assignee, AssigneePicker } from "./AssigneePicker";

const groupOf = (project: Project | undefined): Assignee =>
  project?.defaultAssigneeGroup
    ? {
        kind: "group",
        id: project.defaultAssigneeGroup.id,
        name: project.defaultAssigneeGroup.name ?? "Unknown group",
      }
    : null;

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
  const [group, setGroup] = useState<Assignee>(() => groupOf(project));
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
      fields={["key", "name", "description", "defaultAssigneeGroupId"]}
      submitLabel={project ? "Save" : "Create project"}
      onOpen={() => setGroup(groupOf(project))}
      onSubmit={(form) => {
        const input = {
          name: String(form.get("name") ?? ""),
          description: optionalText(form, "description"),
          defaultAssigneeGroupId: group?.id ?? null,
        };
        if (project) update.mutate({ id: project.id, ...input });
        else create.mutate({ key: String(form.get("key") ?? ""), ...input });
      }}
    >
      {project ? null : (
        <FormField
          label="Key"
          name="key"
          error={mutation.error}
          hint="2 to 10 letters and digits, e.g. HELP. Issue numbers start with it; it cannot change later."
        >
          {(control) => (
            <input
              {...control}
              className="input mono"
              required
              maxLength={10}
              autoCapitalize="characters"
              // biome-ignore lint/a11y/noAutofocus: the dialog's first field.
              autoFocus
            />
          )}
        </FormField>
      )}
      <NameDescriptionFields
        error={mutation.error}
        name={project?.name}
        description={project?.description}
        autoFocus={Boolean(project)}
      />
      <FormField
        label="Default group"
        name="defaultAssigneeGroupId"
        error={mutation.error}
        hint="New issues nobody is assigned to go to this group."
      >
        {(control) => (
          <AssigneePicker
            id={control.id}
            label="Default group"
            accepts="group"
            placeholder="No default group"
            noneLabel="No default group"
            value={group}
            onChange={setGroup}
          />
        )}
      </FormField>
    </FormDialog>
  );
}
