import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { RouterOutputs } from "../lib/api-types";
import { useTRPC } from "../lib/trpc";
import { FormDialog, NameDescriptionFields, optionalText, useRecordDialog } from "./FormDialog";

type Group = RouterOutputs["system"]["groups"]["list"]["items"][number];

/** Creates a group, or (with `group`) renames it and changes its description. */
export function GroupFormDialog({
  group,
  trigger,
  open,
  onOpenChange,
}: {
  group?: Group | undefined;
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const { state, saved } = useRecordDialog<Group>({
    open,
    onOpenChange,
    noun: "Group",
    invalidate: trpc.system.groups.pathFilter(),
    describe: (g) => g.name,
  });
  const create = useMutation({ ...trpc.system.groups.create.mutationOptions(), onSuccess: saved("created") });
  const update = useMutation({ ...trpc.system.groups.update.mutationOptions(), onSuccess: saved("saved") });
  const mutation = group ? update : create;

  return (
    <FormDialog
      state={state}
      trigger={trigger}
      title={group ? `Edit ${group.name}` : "New group"}
      formKey={group?.id ?? "new"}
      submission={mutation}
      fields={["name", "description"]}
      submitLabel={group ? "Save" : "Create group"}
      onSubmit={(form) => {
        const input = {
          name: String(form.get("name") ?? ""),
          description: optionalText(form, "description"),
        };
        if (group) update.mutate({ id: group.id, ...input });
        else create.mutate(input);
      }}
    >
      <NameDescriptionFields
        error={mutation.error}
        name={group?.name}
        description={group?.description}
        nameHint="Unique in the organization."
        descriptionMaxLength={1000}
      />
    </FormDialog>
  );
}
