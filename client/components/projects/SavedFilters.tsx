import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { Bookmark, Trash2 } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useState } from "react";
import { filtersOf, type IssueSearch, searchOf } from "../../lib/issues";
import { useTRPC } from "../../lib/trpc";
import { DialogCancel, DialogFooter, Modal } from "../Dialogs";
import { FormError, FormField } from "../FormField";
import { notify } from "../Toast";

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
  const [name, setName] = useState("");

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
      <Modal open={saving} onOpenChange={setSaving} title="Save these filters">
        <form
          className="dialog-form"
          onSubmit={(event) => {
            event.preventDefault();
            const { filters, sort } = filtersOf(search, me.user.id);
            create.mutate(
              { name, filters, sort },
              {
                onSuccess: (saved) => {
                  setSaving(false);
                  setName("");
                  notify("Filters saved", { description: saved.name });
                },
              },
            );
          }}
        >
          <FormField label="Name" name="name" error={create.error}>
            {(control) => (
              <input
                {...control}
                className="input"
                value={name}
                maxLength={100}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </FormField>
          <FormError error={create.error} fields={["name"]} />
          <DialogFooter>
            <DialogCancel />
            <button type="submit" className="button button-primary" disabled={create.isPending}>
              Save
            </button>
          </DialogFooter>
        </form>
      </Modal>
    </>
  );
}
