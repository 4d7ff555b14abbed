import {
  type ExtraField,
  extraField,
  type extraFieldKinds,
  MAX_EXTRA_FIELDS,
} from "../../../../shared/schemas/issue-extras";

export type ExtraFieldKind = (typeof extraFieldKinds)[number];

export const extraFieldKindLabels: Record<ExtraFieldKind, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  select: "Choice from a list",
};

export { MAX_EXTRA_FIELDS };

/** One extra field as the editor holds it: options as typed (one per line), the key's origin remembered. */
export interface FieldDraft {
  /** The row's identity in the editor (stable across reordering); never sent. */
  uid: string;
  label: string;
  key: string;
  /** The key was typed (or stored) rather than suggested from the label: the label no longer changes it. */
  keyEdited: boolean;
  kind: ExtraFieldKind;
  options: string;
  required: boolean;
}

let nextUid = 1;
const uid = () => `field-${nextUid++}`;

/** The longest key the schema accepts. */
const KEY_MAX = 40;

/**
 * A key suggested for a label: lower-case letters, digits and `_`, starting with a letter ("Room number"
 * → `room_number`, "2nd contact" → `field_2nd_contact`), different from the keys already `taken`.
 */
export function suggestKey(label: string, taken: readonly string[] = []): string {
  let base = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!base) return "";
  if (!/^[a-z]/.test(base)) base = `field_${base}`;
  base = base.slice(0, KEY_MAX).replace(/_+$/, "");
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = `${base.slice(0, KEY_MAX - suffix.length).replace(/_+$/, "")}${suffix}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** The schema's own check of a key: its message, or null when the key is acceptable (or still empty). */
export function keyProblem(key: string): string | null {
  if (key === "") return null;
  const parsed = extraField.shape.key.safeParse(key);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "This key is not allowed.");
}

export function emptyField(): FieldDraft {
  return { uid: uid(), label: "", key: "", keyEdited: false, kind: "text", options: "", required: false };
}

/** A stored field in the editor: its key is kept as it is (answers already filed are stored under it). */
export function draftOfField(field: ExtraField): FieldDraft {
  return {
    uid: uid(),
    label: field.label,
    key: field.key,
    keyEdited: true,
    kind: field.kind,
    options: (field.options ?? []).join("\n"),
    required: field.required,
  };
}

/** The options typed for a select field, one per line, blank lines left out. */
export function optionsOf(draft: FieldDraft): string[] {
  return draft.options
    .split("\n")
    .map((option) => option.trim())
    .filter(Boolean);
}

/**
 * The field as the API takes it. Nothing is dropped or fixed silently: what is wrong (an empty label, a bad
 * key, a select without options) is the server's to say, next to the field it concerns.
 */
export function fieldOfDraft(draft: FieldDraft): ExtraField {
  const options = optionsOf(draft);
  return {
    key: draft.key.trim(),
    label: draft.label,
    kind: draft.kind,
    required: draft.required,
    ...(draft.kind === "select" && options.length > 0 ? { options } : {}),
  };
}
