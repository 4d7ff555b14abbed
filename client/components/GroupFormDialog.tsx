import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod/mini";
import type { RouterOutputs } from "../lib/api-types";
import { useTRPC } from "../lib/trpc";
import { FormDialog, NameDescriptionFields, nameDescription, useRecordDialog } from "./FormDialog";

type Group = RouterOutputs["system"]["groups"]["list"]["items"][number];

const groupForm = z.object(nameDescription(100, 1000));

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
      submitLabel={group ? "Save" : "Create group"}
      schema={groupForm}
      defaultValues={{ name: group?.name ?? "", description: group?.description ?? "" }}
      onSubmit={(input) => {
        if (group) update.mutate({ id: group.id, ...input });
        else create.mutate(input);
      }}
    >
      <NameDescriptionFields nameHint="Unique in the organization." descriptionMaxLength={1000} />
    </FormDialog>
  );
}
