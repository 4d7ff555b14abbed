import { useQuery } from "@tanstack/react-query";
import { type TenantApi, useTRPC } from "../../lib/trpc";
import type { ControlProps } from "../FormField";

/** The query of the organization's schools for pickers and filters (a loader can warm it). */
export const schoolChoices = (trpc: TenantApi["trpc"]) => ({
  ...trpc.education.schools.list.queryOptions({ limit: 100 }),
  staleTime: 60_000,
});

/** The organization's schools for pickers and filters: open ones, by name (one query, cached). */
export function useSchools(enabled = true) {
  const trpc = useTRPC();
  return useQuery({ ...schoolChoices(trpc), enabled }).data?.items ?? [];
}

/**
 * Which school (building) an issue is about: one of the organization's open schools, or none. A school
 * that has closed since stays offered while it is the current value, marked closed.
 */
export function SchoolSelect({
  control,
  value,
  onChange,
  enabled = true,
}: {
  control: ControlProps;
  value: string;
  onChange: (schoolId: string) => void;
  enabled?: boolean;
}) {
  const schools = useSchools(enabled);
  const offered = schools.filter((s) => s.status === "open" || s.id === value);
  return (
    <select {...control} className="input" value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">No particular school</option>
      {offered.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
          {s.status === "closed" ? " (closed)" : ""}
        </option>
      ))}
    </select>
  );
}
