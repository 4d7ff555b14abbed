import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod/mini";
import type { CatalogCategory } from "../../../../shared/schemas/issue-extras";
import { useTRPC } from "../../../lib/trpc";
import { FormDialog, NameDescriptionFields, nameDescription, useRecordDialog } from "../../FormDialog";

const categoryForm = z.object(nameDescription());

/** Creates a catalog category, or (with `category`) renames it and changes its description. */
export function CategoryFormDialog({
  category,
  trigger,
  open,
  onOpenChange,
}: {
  category?: CatalogCategory | undefined;
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const { state, saved } = useRecordDialog<CatalogCategory>({
    open,
    onOpenChange,
    noun: "Category",
    invalidate: trpc.projects.catalog.pathFilter(),
    describe: (c) => c.name,
  });
  const create = useMutation({
    ...trpc.projects.catalog.categories.create.mutationOptions(),
    onSuccess: saved("created"),
  });
  const update = useMutation({
    ...trpc.projects.catalog.categories.update.mutationOptions(),
    onSuccess: saved("saved"),
  });
  const mutation = category ? update : create;

  return (
    <FormDialog
      state={state}
      trigger={trigger}
      title={category ? `Edit ${category.name}` : "New category"}
      formKey={category?.id ?? "new"}
      submission={mutation}
      submitLabel={category ? "Save" : "Create category"}
      schema={categoryForm}
      defaultValues={{ name: category?.name ?? "", description: category?.description ?? "" }}
      onSubmit={(input) => {
        if (category) update.mutate({ id: category.id, ...input });
        else create.mutate(input);
      }}
    >
      <NameDescriptionFields nameHint="Unique in the organization, e.g. “Devices” or “Accounts and access”." />
    </FormDialog>
  );
}
