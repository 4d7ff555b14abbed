import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { Bookmark, Trash2 } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useState } from "react";
import { z } from "zod/mini";
import { filtersOf, type IssueSearch, searchOf } from "../../lib/issues";
import { useTRPC } from "../../lib/trpc";
import { FormDialog } from "../FormDialog";
import { requiredText, TextField } from "../form";
import { notify } from "../Toast";

const savedFilterForm = z.object({ name: requiredText(100) });

/** The user's own named filter presets for the issue list (projects.savedFilters): apply, save, delete. */
export function SavedFilters({
  search,
  onApply,
}: {
  search: IssueSearch;
  onApply: (search: Record<string, string | undefined>) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useRouteContext({ from: "/_app" });
  const presets = useQuery(trpc.projects.savedFilters.list.queryOptions()).data?.items ?? [];
  const settle = {
    onSettled: () => void queryClient.invalidateQueries(trpc.projects.savedFilters.pathFilter()),
  };
  const create = useMutation({ ...trpc.projects.savedFilters.create.mutationOptions(), ...settle });
  const remove = useMutation({ ...trpc.projects.savedFilters.delete.mutationOptions(), ...settle });
  const [saving, setSaving] = useState(false);

  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger className="button">
          <Bookmark size={14} aria-hidden="true" />
          Saved filters
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
            {presets.length === 0 ? (
              <DropdownMenu.Label className="menu-label">No saved filters yet</DropdownMenu.Label>
            ) : (
              presets.map((preset) => (
                <DropdownMenu.Item
                  key={preset.id}
                  className="menu-item"
                  onSelect={() =>
                    onApply(
                      searchOf(preset.filters, preset.sort, me.user.id) as Record<string, string | undefined>,
                    )
                  }
                >
                  {preset.name}
                </DropdownMenu.Item>
              ))
            )}
            <DropdownMenu.Separator className="menu-separator" />
            <DropdownMenu.Item className="menu-item" onSelect={() => setSaving(true)}>
              Save the current filters…
            </DropdownMenu.Item>
            {presets.length > 0 ? (
              <DropdownMenu.Sub>
                <DropdownMenu.SubTrigger className="menu-item">
                  <Trash2 size={14} aria-hidden="true" />
                  Delete a saved filter
                </DropdownMenu.SubTrigger>
                <DropdownMenu.Portal>
                  <DropdownMenu.SubContent className="menu">
                    {presets.map((preset) => (
                      <DropdownMenu.Item
                        key={preset.id}
                        className="menu-item menu-item-danger"
                        onSelect={() =>
                          remove.mutate(
                            { id: preset.id },
                            { onSuccess: () => notify("Saved filter deleted", { description: preset.name }) },
                          )
                        }
                      >
                        {preset.name}
                      </DropdownMenu.Item>
                    ))}
                  </DropdownMenu.SubContent>
                </DropdownMenu.Portal>
              </DropdownMenu.Sub>
            ) : null}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <FormDialog
        state={{ isOpen: saving, setOpen: setSaving }}
        title="Save these filters"
        formKey="save"
        submission={create}
        submitLabel="Save"
        schema={savedFilterForm}
        defaultValues={{ name: "" }}
        onSubmit={({ name }) => {
          const { filters, sort } = filtersOf(search, me.user.id);
          create.mutate(
            { name, filters, sort },
            {
              onSuccess: (saved) => {
                setSaving(false);
                notify("Filters saved", { description: saved.name });
              },
            },
          );
        }}
      >
        <TextField name="name" label="Name" required maxLength={100} />
      </FormDialog>
    </>
  );
}
