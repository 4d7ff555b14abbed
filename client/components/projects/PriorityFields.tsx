import type { Priority } from "../../../shared/schemas/issue-model";
import { priorities } from "../../../shared/schemas/issue-model";
import { priorityOf } from "../../../shared/schemas/workflows";
import { priorityLabels, priorityTones } from "../../lib/issues";
import { FormField } from "../FormField";
import { Badge } from "../ui";

export type Level = "high" | "medium" | "low";

export interface PriorityValues {
  priority: Priority;
  impact: Level;
  urgency: Level;
}

/**
 * How an issue's priority is set: incidents choose impact and urgency and show the priority the matrix gives
 * (the server computes it); every other subtype chooses the priority itself. Shared by filing and editing.
 */
export function PriorityFields({
  incident,
  values,
  onChange,
  error,
}: {
  incident: boolean;
  values: PriorityValues;
  onChange: (patch: Partial<PriorityValues>) => void;
  error: unknown;
}) {
  if (incident) {
    const computed = priorityOf(values.impact, values.urgency);
    return (
      <div className="form-grid">
        <LevelField
          label="Impact"
          name="impact"
          value={values.impact}
          onChange={(impact) => onChange({ impact })}
          error={error}
        />
        <LevelField
          label="Urgency"
          name="urgency"
          value={values.urgency}
          onChange={(urgency) => onChange({ urgency })}
          error={error}
        />
        <div className="field">
          <span className="field-label">Priority</span>
          <p aria-live="polite">
            <Badge tone={priorityTones[computed]}>{priorityLabels[computed]}</Badge>{" "}
            <span className="muted small">from impact × urgency</span>
          </p>
        </div>
      </div>
    );
  }
  return (
    <FormField label="Priority" name="priority" error={error}>
      {(control) => (
        <select
          {...control}
          className="input input-narrow"
          value={values.priority}
          onChange={(event) => onChange({ priority: event.target.value as Priority })}
        >
          {priorities.map((p) => (
            <option key={p} value={p}>
              {priorityLabels[p]}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

function LevelField({
  label,
  name,
  value,
  onChange,
  error,
}: {
  label: string;
  name: string;
  value: Level;
  onChange: (value: Level) => void;
  error: unknown;
}) {
  return (
    <FormField label={label} name={name} error={error}>
      {(control) => (
        <select
          {...control}
          className="input"
          value={value}
          onChange={(event) => onChange(event.target.value as Level)}
        >
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>
      )}
    </FormField>
  );
}
