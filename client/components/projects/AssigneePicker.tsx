import { useQuery } from "@tanstack/react-query";
import { ChevronsUpDown, Users } from "lucide-react";
import { Popover } from "radix-ui";
import { type KeyboardEvent, useDeferredValue, useId, useState } from "react";
import { messageOf } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Spinner } from "../ui";

/** Whom an issue is assigned to: a person, a group, or nobody (null). */
export type Assignee = { kind: "user" | "group"; id: string; name: string } | null;

interface Option {
  key: string;
  value: Assignee;
  label: string;
  hint?: string;
}

/** What a picker offers: people and groups (an assignee), people only (a requester), groups only. */
export type PickerAccepts = "any" | "user" | "group";

const findLabel: Record<PickerAccepts, string> = {
  any: "Find a person or group",
  user: "Find a person",
  group: "Find a group",
};
const findPlaceholder: Record<PickerAccepts, string> = {
  any: "Name, e-mail or group",
  user: "Name or e-mail",
  group: "Group name",
};

/**
 * A searchable picker of people and groups (an assignee, a requester, a default group): a button opening
 * a popover with a combobox and its listbox. Type to filter, ↑ ↓ to move, Enter to choose, Escape to
 * close without changing anything.
 */
export function AssigneePicker({
  value,
  onChange,
  label = "Assignee",
  id,
  disabled,
  allowNone = true,
  placeholder = "Unassigned",
  noneLabel = "Unassigned",
  accepts = "any",
}: {
  value: Assignee;
  onChange: (value: Assignee) => void;
  label?: string;
  id?: string;
  disabled?: boolean;
  /** Offer "Unassigned" (clearing the assignee). */
  allowNone?: boolean;
  /** What the button says while nothing is chosen. */
  placeholder?: string;
  /** The option that clears the choice (with `allowNone`). */
  noneLabel?: string;
  accepts?: PickerAccepts;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [active, setActive] = useState(0);
  const deferred = useDeferredValue(q.trim());
  const baseId = useId();
  const listId = `${baseId}-list`;
  const people = useQuery({
    ...trpc.projects.people.search.queryOptions({ q: deferred || undefined, limit: 10 }),
    enabled: open,
    staleTime: 30_000,
  });

  const options: Option[] = [
    ...(allowNone && !deferred ? [{ key: "none", value: null, label: noneLabel }] : []),
    ...(accepts === "group" ? [] : (people.data?.users ?? [])).map((u) => ({
      key: `user:${u.id}`,
      value: { kind: "user" as const, id: u.id, name: u.name },
      label: u.name,
      hint: u.email,
    })),
    ...(accepts === "user" ? [] : (people.data?.groups ?? [])).map((g) => ({
      key: `group:${g.id}`,
      value: { kind: "group" as const, id: g.id, name: g.name },
      label: g.name,
      hint: "Group",
    })),
  ];
  const current = Math.min(active, Math.max(options.length - 1, 0));

  const choose = (option: Option | undefined) => {
    if (!option) return;
    onChange(option.value);
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((current + 1) % Math.max(options.length, 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((current - 1 + options.length) % Math.max(options.length, 1));
    } else if (event.key === "Home") {
      event.preventDefault();
      setActive(0);
    } else if (event.key === "End") {
      event.preventDefault();
      setActive(Math.max(options.length - 1, 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(options[current]);
    }
  };

  const optionId = (index: number) => `${baseId}-option-${index}`;
  const selectedKey = value ? `${value.kind}:${value.id}` : "none";

  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setQ("");
          setActive(0);
        }
      }}
    >
      <Popover.Trigger
        id={id}
        className="input assignee-trigger"
        disabled={disabled}
        aria-label={
          value
            ? `${label}: ${value.name}`
            : placeholder === noneLabel
              ? `${label}: ${placeholder}`
              : placeholder
        }
        style={{ display: "inline-flex", alignItems: "center", gap: 6, justifyContent: "space-between" }}
      >
        <span>
          {value?.kind === "group" ? <Users size={14} aria-hidden="true" /> : null}{" "}
          {value ? value.name : placeholder}
        </span>
        <ChevronsUpDown size={14} aria-hidden="true" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className="popover"
          align="start"
          sideOffset={4}
          aria-label={`Choose the ${label.toLowerCase()}`}
        >
          <input
            className="input"
            role="combobox"
            aria-label={`${findLabel[accepts]} (${label.toLowerCase()})`}
            aria-expanded="true"
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={options.length ? optionId(current) : undefined}
            placeholder={findPlaceholder[accepts]}
            value={q}
            maxLength={100}
            onChange={(event) => {
              setQ(event.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          <div aria-live="polite" className="muted small" style={{ margin: "6px 0" }}>
            {people.isPending ? (
              <Spinner size={14} />
            ) : people.error ? (
              messageOf(people.error)
            ) : options.length === 0 ? (
              `Nobody matches “${deferred}”.`
            ) : null}
          </div>
          <div id={listId} role="listbox" aria-label={label}>
            {options.map((option, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keyboard.
              <div
                key={option.key}
                id={optionId(index)}
                role="option"
                tabIndex={-1}
                aria-selected={option.key === selectedKey}
                data-active={index === current ? "true" : undefined}
                className="search-hit"
                style={{
                  cursor: "pointer",
                  background: index === current ? "var(--accent-subtle)" : undefined,
                }}
                onMouseEnter={() => setActive(index)}
                onClick={() => choose(option)}
              >
                <span className="strong">{option.label}</span>
                {option.hint ? <span className="muted small">{option.hint}</span> : null}
              </div>
            ))}
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** The assignee an issue names, as the picker shows it. */
export function assigneeOf(issue: {
  names: {
    assignee: { id: string; name: string } | null;
    assigneeGroup: { id: string; name: string } | null;
  };
}): Assignee {
  if (issue.names.assignee) return { kind: "user", ...issue.names.assignee };
  if (issue.names.assigneeGroup) return { kind: "group", ...issue.names.assigneeGroup };
  return null;
}

/** The update fields that assign to `to`: a person (keeping the group), a group (no person) or nobody. */
export function assigneeChange(to: Assignee): {
  assigneeUserId?: string | null;
  assigneeGroupId?: string | null;
} {
  if (!to) return { assigneeUserId: null, assigneeGroupId: null };
  return to.kind === "user" ? { assigneeUserId: to.id } : { assigneeUserId: null, assigneeGroupId: to.id };
}
