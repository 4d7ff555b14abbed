import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { Plus, Timer, X } from "lucide-react";
import { type FormEvent, useId, useMemo, useState } from "react";
import { type Priority, priorities } from "../../../../../shared/schemas/issue-model";
import {
  defaultServiceLevels,
  dueDatesFor,
  isTimeZone,
  minutesOfClock,
  type ServiceClock,
  type ServiceLevels,
  type Weekday,
  weekdays,
} from "../../../../../shared/schemas/service-time";
import { FieldErrors, FormError, FormField } from "../../../../components/FormField";
import { notify } from "../../../../components/Toast";
import { PageHeader, Spinner } from "../../../../components/ui";
import { formatDate } from "../../../../lib/format";
import { useDocumentTitle } from "../../../../lib/hooks";
import { priorityLabels } from "../../../../lib/issues";
import { useTenantPermissions } from "../../../../lib/permissions";
import { useTRPC } from "../../../../lib/trpc";

/** The organization's service levels: working hours, holidays and the targets by priority. */
export const Route = createFileRoute("/_app/$tenant/projects/service-levels")({
  loader: ({ context }) =>
    context.queryClient.ensureQueryData(context.api.trpc.projects.serviceLevels.get.queryOptions()),
  component: ServiceLevelsPage,
});

const dayNames: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

const clockLabels: Record<ServiceClock, string> = {
  business: "Working hours",
  always: "Around the clock",
};

/** A duration as typed: whole hours and minutes (strings, as the inputs hold them). */
interface Duration {
  hours: string;
  minutes: string;
}

interface Draft {
  timeZone: string;
  workingDays: Weekday[];
  dayStart: string;
  /** As the time input shows it: "00:00" is midnight at the end of the day ("24:00" on the server). */
  dayEnd: string;
  holidays: string[];
  targets: Record<Priority, { response: Duration; resolution: Duration; clock: ServiceClock }>;
}

const durationOf = (total: number): Duration => ({
  hours: String(Math.floor(total / 60)),
  minutes: String(total % 60),
});

/** Minutes of a typed duration; empty parts count as zero, anything else that is not a number is NaN. */
function minutesOf(duration: Duration): number {
  const part = (value: string) => (value.trim() === "" ? 0 : Number(value));
  return part(duration.hours) * 60 + part(duration.minutes);
}

function draftOf(policy: ServiceLevels): Draft {
  const targets = {} as Draft["targets"];
  for (const priority of priorities) {
    const target = policy.targets[priority];
    targets[priority] = {
      response: durationOf(target.responseMinutes),
      resolution: durationOf(target.resolutionMinutes),
      clock: target.clock,
    };
  }
  return {
    timeZone: policy.timeZone,
    workingDays: [...policy.workingDays],
    dayStart: policy.dayStart,
    dayEnd: policy.dayEnd === "24:00" ? "00:00" : policy.dayEnd,
    holidays: [...policy.holidays],
    targets,
  };
}

/** The policy the draft describes, as the server takes it (it checks every field). */
function policyOf(draft: Draft): ServiceLevels {
  const targets = {} as ServiceLevels["targets"];
  for (const priority of priorities) {
    const target = draft.targets[priority];
    targets[priority] = {
      responseMinutes: minutesOf(target.response),
      resolutionMinutes: minutesOf(target.resolution),
      clock: target.clock,
    };
  }
  return {
    timeZone: draft.timeZone,
    workingDays: weekdays.filter((day) => draft.workingDays.includes(day)),
    dayStart: draft.dayStart,
    dayEnd: draft.dayEnd === "00:00" ? "24:00" : draft.dayEnd,
    holidays: [...draft.holidays].sort(),
    targets,
  };
}

/** Whether the preview can be computed (the server's checks decide what is saved). */
function previewable(policy: ServiceLevels): boolean {
  const clock = /^\d\d:\d\d$/;
  return (
    isTimeZone(policy.timeZone) &&
    policy.workingDays.length > 0 &&
    clock.test(policy.dayStart) &&
    clock.test(policy.dayEnd) &&
    minutesOfClock(policy.dayEnd) > minutesOfClock(policy.dayStart) &&
    priorities.every((p) => {
      const t = policy.targets[p];
      return (
        Number.isInteger(t.responseMinutes) &&
        t.responseMinutes > 0 &&
        t.resolutionMinutes >= t.responseMinutes
      );
    })
  );
}

function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes(current) ? zones : [current, ...zones];
}

function ServiceLevelsPage() {
  const { tenant } = Route.useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: policy } = useSuspenseQuery(trpc.projects.serviceLevels.get.queryOptions());
  const canEdit = useTenantPermissions().has("projects.admin");
  const [draft, setDraft] = useState(() => draftOf(policy));
  const [holiday, setHoliday] = useState("");
  const zones = useMemo(() => timeZones(draft.timeZone), [draft.timeZone]);
  const ids = useId();
  useDocumentTitle("Service levels", "Projects");

  const update = useMutation({
    ...trpc.projects.serviceLevels.update.mutationOptions(),
    onSuccess: (next) => {
      queryClient.setQueryData(trpc.projects.serviceLevels.get.queryKey(), next);
      setDraft(draftOf(next));
      notify("Service levels saved", {
        description: "Issues filed from now on, and issues whose priority changes, get these targets.",
      });
    },
  });

  const next = policyOf(draft);
  const changed = JSON.stringify(next) !== JSON.stringify(policyOf(draftOf(policy)));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setTarget = (priority: Priority, patch: Partial<Draft["targets"][Priority]>) =>
    setDraft((d) => ({ ...d, targets: { ...d.targets, [priority]: { ...d.targets[priority], ...patch } } }));
  const toggleDay = (day: Weekday, on: boolean) =>
    set({ workingDays: on ? [...draft.workingDays, day] : draft.workingDays.filter((d) => d !== day) });
  const addHoliday = () => {
    if (!holiday) return;
    if (!draft.holidays.includes(holiday)) set({ holidays: [...draft.holidays, holiday].sort() });
    setHoliday("");
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(next);
  };

  return (
    <div className="page page-narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/$tenant/projects" params={{ tenant }}>
          Projects
        </Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">Service levels</span>
      </nav>
      <PageHeader
        title="Service levels"
        icon={<Timer size={20} aria-hidden="true" />}
        description={
          <>
            When the help desk works, and how long it has to respond to and resolve issues of each priority.
            {canEdit ? null : " Only project administrators can change them."}
          </>
        }
      />
      <form className="form" onSubmit={onSubmit} aria-label="Service levels">
        <fieldset className="fieldset-plain" disabled={!canEdit}>
          <section className="panel" aria-labelledby={`${ids}-hours`}>
            <h2 id={`${ids}-hours`} className="panel-title">
              Working hours
            </h2>
            <FormField
              label="Time zone"
              name="timeZone"
              error={update.error}
              hint="The working hours and holidays are in this time zone."
            >
              {(control) => (
                <select
                  {...control}
                  className="input select"
                  value={draft.timeZone}
                  onChange={(event) => set({ timeZone: event.target.value })}
                >
                  {zones.map((zone) => (
                    <option key={zone} value={zone}>
                      {zone.replaceAll("_", " ")}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <fieldset className="fieldset">
              <legend>Working days</legend>
              <div className="inline-controls" style={{ flexWrap: "wrap", gap: "8px 16px" }}>
                {weekdays.map((day) => (
                  <label key={day} className="checkbox-row">
                    <input
                      type="checkbox"
                      className="checkbox"
                      name="workingDays"
                      value={day}
                      checked={draft.workingDays.includes(day)}
                      onChange={(event) => toggleDay(day, event.target.checked)}
                    />
                    {dayNames[day]}
                  </label>
                ))}
              </div>
              <FieldErrors error={update.error} name="workingDays" />
            </fieldset>
            <div className="form-grid">
              <FormField label="Day starts" name="dayStart" error={update.error}>
                {(control) => (
                  <input
                    {...control}
                    type="time"
                    className="input input-date"
                    required
                    value={draft.dayStart}
                    onChange={(event) => set({ dayStart: event.target.value })}
                  />
                )}
              </FormField>
              <FormField
                label="Day ends"
                name="dayEnd"
                error={update.error}
                hint="00:00 means midnight at the end of the day."
              >
                {(control) => (
                  <input
                    {...control}
                    type="time"
                    className="input input-date"
                    required
                    value={draft.dayEnd}
                    onChange={(event) => set({ dayEnd: event.target.value })}
                  />
                )}
              </FormField>
            </div>
            <fieldset className="fieldset">
              <legend>Holidays</legend>
              {draft.holidays.length === 0 ? (
                <p className="muted small">No holidays: every working day counts.</p>
              ) : (
                <ul
                  className="chips"
                  aria-label="Holidays"
                  style={{ margin: 0, padding: 0, listStyle: "none" }}
                >
                  {draft.holidays.map((day) => (
                    <li key={day} className="chip inline-controls">
                      <span>{formatDate(day)}</span>
                      {canEdit ? (
                        <button
                          type="button"
                          className="icon-button"
                          aria-label={`Remove ${formatDate(day)}`}
                          onClick={() => set({ holidays: draft.holidays.filter((d) => d !== day) })}
                        >
                          <X size={12} aria-hidden="true" />
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
              {canEdit ? (
                <div className="form-inline inline-controls">
                  <label className="visually-hidden" htmlFor={`${ids}-holiday`}>
                    Add a holiday
                  </label>
                  <input
                    id={`${ids}-holiday`}
                    type="date"
                    className="input input-date"
                    value={holiday}
                    onChange={(event) => setHoliday(event.target.value)}
                    onKeyDown={(event) => {
                      if (event.key === "Enter") {
                        event.preventDefault();
                        addHoliday();
                      }
                    }}
                  />
                  <button type="button" className="button" onClick={addHoliday} disabled={!holiday}>
                    <Plus size={14} aria-hidden="true" />
                    Add holiday
                  </button>
                </div>
              ) : null}
              <FieldErrors error={update.error} name="holidays" />
            </fieldset>
          </section>

          <section className="panel" aria-labelledby={`${ids}-targets`}>
            <h2 id={`${ids}-targets`} className="panel-title">
              Targets by priority
            </h2>
            <p className="muted small">
              Counted from when an issue is filed. Working hours count only the hours above; around the clock
              counts every minute (critical issues usually do).
            </p>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Response and resolution targets by priority</caption>
                <thead>
                  <tr>
                    <th scope="col">Priority</th>
                    <th scope="col">Response within</th>
                    <th scope="col">Resolution within</th>
                    <th scope="col">Clock</th>
                  </tr>
                </thead>
                <tbody>
                  {priorities.map((priority) => (
                    <tr key={priority}>
                      <th scope="row">{priorityLabels[priority]}</th>
                      <td>
                        <DurationInput
                          label={`${priorityLabels[priority]} response`}
                          value={draft.targets[priority].response}
                          onChange={(response) => setTarget(priority, { response })}
                        />
                        <FieldErrors error={update.error} name={`targets.${priority}.responseMinutes`} />
                      </td>
                      <td>
                        <DurationInput
                          label={`${priorityLabels[priority]} resolution`}
                          value={draft.targets[priority].resolution}
                          onChange={(resolution) => setTarget(priority, { resolution })}
                        />
                        <FieldErrors error={update.error} name={`targets.${priority}.resolutionMinutes`} />
                      </td>
                      <td>
                        <label className="visually-hidden" htmlFor={`${ids}-${priority}-clock`}>
                          {priorityLabels[priority]} clock
                        </label>
                        <select
                          id={`${ids}-${priority}-clock`}
                          className="input select"
                          value={draft.targets[priority].clock}
                          onChange={(event) =>
                            setTarget(priority, { clock: event.target.value as ServiceClock })
                          }
                        >
                          {(["business", "always"] as const).map((clock) => (
                            <option key={clock} value={clock}>
                              {clockLabels[clock]}
                            </option>
                          ))}
                        </select>
                        <FieldErrors error={update.error} name={`targets.${priority}.clock`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Preview policy={next} />
          </section>
        </fieldset>
        <FormError
          error={update.error}
          fields={["timeZone", "workingDays", "dayStart", "dayEnd", "holidays", "targets"]}
        />
        {canEdit ? (
          <div className="form-actions">
            <button
              type="button"
              className="button button-ghost"
              onClick={() => setDraft(draftOf(defaultServiceLevels))}
            >
              Use the defaults
            </button>
            <button type="submit" className="button button-primary" disabled={!changed || update.isPending}>
              {update.isPending ? <Spinner size={14} /> : null}
              Save service levels
            </button>
          </div>
        ) : null}
        <p className="page-footnote muted small">
          Issues already filed keep their due dates; changes apply to issues filed, or whose priority changes,
          from now on.
        </p>
      </form>
    </div>
  );
}

/** Whole hours and minutes, each with its own label (`<label> hours`, `<label> minutes`). */
function DurationInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Duration;
  onChange: (next: Duration) => void;
}) {
  const id = useId();
  const part = (key: "hours" | "minutes", unit: string, max: number, width: string) => (
    <>
      <label className="visually-hidden" htmlFor={`${id}-${key}`}>
        {label} {key}
      </label>
      <input
        id={`${id}-${key}`}
        type="number"
        inputMode="numeric"
        className="input"
        style={{ width }}
        min={0}
        max={max}
        step={1}
        value={value[key]}
        onChange={(event) => onChange({ ...value, [key]: event.target.value })}
      />
      <span className="muted small" aria-hidden="true">
        {unit}
      </span>
    </>
  );
  return (
    <div className="inline-controls">
      {part("hours", "h", 2160, "5.5em")}
      {part("minutes", "min", 59, "4.5em")}
    </div>
  );
}

/** When each priority's targets would fall for an issue filed now, with the policy as it stands in the form. */
function Preview({ policy }: { policy: ServiceLevels }) {
  const id = useId();
  if (!previewable(policy)) return null;
  const now = new Date();
  let rows: { priority: Priority; response: Date; resolution: Date }[];
  try {
    rows = priorities.map((priority) => {
      const due = dueDatesFor(policy, priority, now);
      return { priority, response: due.responseDueAt, resolution: due.resolutionDueAt };
    });
  } catch {
    return null;
  }
  const format = new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone: policy.timeZone,
    timeZoneName: "short",
  });
  const high = rows.find((r) => r.priority === "high")!;
  return (
    <section className="section" aria-labelledby={`${id}-preview`}>
      <h3 id={`${id}-preview`} className="section-title">
        Preview
      </h3>
      <p>A high issue filed now is due for a response by {format.format(high.response)}.</p>
      <dl className="key-values">
        {rows.map((row) => (
          <div key={row.priority}>
            <dt className="muted">{priorityLabels[row.priority]}</dt>
            <dd>
              response by {format.format(row.response)} · resolution by {format.format(row.resolution)}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
