import {
  Archive,
  ArchiveRestore,
  Ban,
  DoorClosed,
  DoorOpen,
  type LucideIcon,
  Pencil,
  Send,
  UserCheck,
  UserMinus,
} from "lucide-react";
import {
  type Lifecycle,
  type LifecycleTransition,
  type ObjectDef,
  transitionsFrom,
} from "../../../shared/registry";
import type { RowAction } from "../RowActions";
import { Spinner } from "../ui";

/** The icon of each lifecycle change the registry declares (a change without one shows none). */
const icons: Record<string, LucideIcon> = {
  archive: Archive,
  restore: ArchiveRestore,
  deactivate: UserMinus,
  reactivate: UserCheck,
  revoke: Ban,
  resend: Send,
  close: DoorClosed,
  reopen: DoorOpen,
};

const lifecycleOf = (of: ObjectDef | Lifecycle): Lifecycle | undefined =>
  "states" in of ? of : of.lifecycle;

/**
 * A record's row menu from the registry: Edit while it is in its lifecycle's first (live) state, then each
 * change its state allows that the page can make (`run`, by the change's name), in the registry's order.
 */
export function lifecycleActions(
  of: ObjectDef | Lifecycle,
  state: string,
  handlers: { onEdit?: (() => void) | undefined; run: Partial<Record<string, () => void>> },
): RowAction[] {
  const lifecycle = lifecycleOf(of);
  if (!lifecycle) return [];
  const changes = lifecycle.transitions.filter((t) => t.from.includes(state));
  return [
    ...(handlers.onEdit && state === lifecycle.states[0]
      ? [{ label: "Edit", icon: Pencil, onSelect: handlers.onEdit }]
      : []),
    ...changes.flatMap((t) => {
      const run = handlers.run[t.name];
      return run ? [{ label: t.label, icon: icons[t.name], danger: t.danger, onSelect: run }] : [];
    }),
  ];
}

/**
 * The buttons of the changes a record in `state` can go through (an inspector's footer): each calls `run`
 * with the change, and shows progress while `pending` names it.
 */
export function LifecycleButtons({
  object,
  state,
  run,
  pending,
  disabled,
}: {
  object: ObjectDef;
  state: string;
  run: (transition: LifecycleTransition) => void;
  pending?: string | null | undefined;
  disabled?: boolean;
}) {
  const changes = transitionsFrom(object, state);
  if (changes.length === 0) return null;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of buttons, not a form's fieldset.
    <div className="button-row" role="group" aria-label={`Change this ${object.label.toLowerCase()}`}>
      {changes.map((t) => {
        const Icon = icons[t.name];
        return (
          <button
            key={t.name}
            type="button"
            className={t.danger ? "button button-danger-outline" : "button"}
            disabled={disabled || Boolean(pending)}
            onClick={() => run(t)}
          >
            {pending === t.name ? <Spinner size={14} /> : Icon ? <Icon size={14} aria-hidden="true" /> : null}
            {t.label}
          </button>
        );
      })}
    </div>
  );
}
