import { ChevronRight, Ellipsis, type LucideIcon } from "lucide-react";
import { DropdownMenu } from "radix-ui";

export type RowAction =
  | {
      label: string;
      icon?: LucideIcon;
      onSelect: () => void;
      danger?: boolean;
      disabled?: boolean;
      /** Marks the current choice of a group (e.g. the role a user has). */
      checked?: boolean;
    }
  | { label: string; icon?: LucideIcon; submenu: readonly RowAction[]; disabled?: boolean }
  | { separator: true };

function Items({ actions }: { actions: readonly RowAction[] }) {
  return (
    <>
      {actions.map((action, index) => {
        if ("separator" in action) {
          // biome-ignore lint/suspicious/noArrayIndexKey: separators have no identity.
          return <DropdownMenu.Separator key={`separator-${index}`} className="menu-separator" />;
        }
        const Icon = action.icon;
        if ("submenu" in action) {
          return (
            <DropdownMenu.Sub key={action.label}>
              <DropdownMenu.SubTrigger className="menu-item" disabled={action.disabled}>
                {Icon ? <Icon size={14} aria-hidden="true" /> : null}
                <span className="menu-item-grow">{action.label}</span>
                <ChevronRight size={14} aria-hidden="true" />
              </DropdownMenu.SubTrigger>
              <DropdownMenu.Portal>
                <DropdownMenu.SubContent className="menu" sideOffset={4}>
                  <Items actions={action.submenu} />
                </DropdownMenu.SubContent>
              </DropdownMenu.Portal>
            </DropdownMenu.Sub>
          );
        }
        return (
          <DropdownMenu.Item
            key={action.label}
            className={action.danger ? "menu-item menu-item-danger" : "menu-item"}
            disabled={action.disabled}
            onSelect={action.onSelect}
          >
            {Icon ? <Icon size={14} aria-hidden="true" /> : null}
            <span className="menu-item-grow">{action.label}</span>
            {action.checked ? <span className="menu-item-hint">current</span> : null}
          </DropdownMenu.Item>
        );
      })}
    </>
  );
}

/** A row's "…" menu: what can be done to one record. `label` names the record for screen readers. */
export function RowActions({ label, actions }: { label: string; actions: readonly RowAction[] }) {
  if (actions.length === 0) return null;
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="icon-button" aria-label={`Actions for ${label}`}>
        <Ellipsis size={16} aria-hidden="true" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <Items actions={actions} />
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** A button opening a menu of choices (export formats, a role for the selected rows). */
export function MenuButton({
  label,
  icon: Icon,
  actions,
  disabled,
}: {
  label: string;
  icon?: LucideIcon;
  actions: readonly RowAction[];
  disabled?: boolean;
}) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="button" disabled={disabled}>
        {Icon ? <Icon size={14} aria-hidden="true" /> : null}
        {label}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <Items actions={actions} />
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
