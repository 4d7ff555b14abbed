import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import type { RouterOutputs } from "../lib/api-types";
import { useTRPC } from "../lib/trpc";
import { DialogCancel, DialogFooter, Modal } from "./Dialogs";
import { FormError, FormField } from "./FormField";
import { notify } from "./Toast";
import { Spinner } from "./ui";

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
  const queryClient = useQueryClient();
  const [internalOpen, setInternalOpen] = useState(false);
  const isOpen = open ?? internalOpen;
  const setOpen = (next: boolean) => {
    setInternalOpen(next);
    onOpenChange?.(next);
  };
  const done = (saved: Group, verb: string) => {
    void queryClient.invalidateQueries(trpc.system.groups.pathFilter());
    setOpen(false);
    notify(`Group ${verb}`, { description: saved.name });
  };
  const create = useMutation({
    ...trpc.system.groups.create.mutationOptions(),
    onSuccess: (g) => done(g, "created"),
  });
  const update = useMutation({
    ...trpc.system.groups.update.mutationOptions(),
    onSuccess: (g) => done(g, "saved"),
  });
  const mutation = group ? update : create;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "");
    const description = String(form.get("description") ?? "").trim();
    if (group) update.mutate({ id: group.id, name, description: description || null });
    else create.mutate({ name, description: description || null });
  };

  return (
    <Modal
      open={isOpen}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) mutation.reset();
      }}
      trigger={trigger}
      title={group ? `Edit ${group.name}` : "New group"}
    >
      <form className="form" onSubmit={onSubmit} key={group?.id ?? "new"}>
        <FormField label="Name" name="name" error={mutation.error} hint="Unique in the organization.">
          {(control) => (
            <input
              {...control}
              className="input"
              required
              maxLength={100}
              defaultValue={group?.name ?? ""}
              // biome-ignore lint/a11y/noAutofocus: the dialog's first field.
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
              maxLength={1000}
              defaultValue={group?.description ?? ""}
            />
          )}
        </FormField>
        <FormError error={mutation.error} fields={["name", "description"]} />
        <DialogFooter>
          <DialogCancel />
          <button type="submit" className="button button-primary" disabled={mutation.isPending}>
            {mutation.isPending ? <Spinner size={14} /> : null}
            {group ? "Save" : "Create group"}
          </button>
        </DialogFooter>
      </form>
    </Modal>
  );
}
