import type { ExtraField } from "../../../shared/schemas/issue-extras";
import { FormField } from "../FormField";

/** Answers as typed, by field key (numbers too are typed as text). */
export type AnswersDraft = Record<string, string>;

/** The typed answers of a form as the server takes them: numbers as numbers, blanks as null. */
export function answersFromDraft(
  fields: readonly ExtraField[],
  draft: AnswersDraft,
): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const field of fields) {
    const typed = (draft[field.key] ?? "").trim();
    if (!typed) out[field.key] = null;
    else if (field.kind === "number" && Number.isFinite(Number(typed))) out[field.key] = Number(typed);
    else out[field.key] = typed;
  }
  return out;
}

/** An issue's stored answers as a form shows them. */
export function draftOfAnswers(answers: Readonly<Record<string, string | number>> | undefined): AnswersDraft {
  return Object.fromEntries(Object.entries(answers ?? {}).map(([key, value]) => [key, String(value)]));
}

/**
 * The extra fields a request type asks for, each a labelled control of its kind (text, number, date,
 * select); the server's messages appear beside each (`answers.<key>`).
 */
export function AnswersFields({
  fields,
  draft,
  onChange,
  error,
  legend,
}: {
  fields: readonly ExtraField[];
  draft: AnswersDraft;
  onChange: (draft: AnswersDraft) => void;
  error: unknown;
  legend: string;
}) {
  if (fields.length === 0) return null;
  const set = (key: string, value: string) => onChange({ ...draft, [key]: value });
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      <div className="form-grid">
        {fields.map((field) => (
          <FormField
            key={field.key}
            label={field.required ? `${field.label} (required)` : field.label}
            name={`answers.${field.key}`}
            error={error}
          >
            {(control) =>
              field.kind === "select" ? (
                <select
                  {...control}
                  className="input"
                  required={field.required}
                  value={draft[field.key] ?? ""}
                  onChange={(event) => set(field.key, event.target.value)}
                >
                  <option value="">{field.required ? "Choose…" : "—"}</option>
                  {(field.options ?? []).map((option) => (
                    <option key={option} value={option}>
                      {option}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  {...control}
                  className="input"
                  type={field.kind === "number" ? "number" : field.kind === "date" ? "date" : "text"}
                  step={field.kind === "number" ? "any" : undefined}
                  maxLength={field.kind === "text" ? 2000 : undefined}
                  required={field.required}
                  value={draft[field.key] ?? ""}
                  onChange={(event) => set(field.key, event.target.value)}
                />
              )
            }
          </FormField>
        ))}
      </div>
    </fieldset>
  );
}
