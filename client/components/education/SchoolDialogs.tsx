import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod/mini";
import type { LifecycleTransition } from "../../../shared/registry";
import type { School } from "../../../shared/schemas/education";
import { gradeLabel, levelLabel } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { FormDialog, useDialogState } from "../FormDialog";
import { optionalText, requiredText, SelectField, TextAreaField, TextField } from "../form";
import { notify } from "../Toast";

const levels = ["early_childhood", "elementary", "middle", "high", "k12", "alternative"] as const;
const grades = Array.from({ length: 14 }, (_, i) => i - 1);

/** Today where the browser is, as a day (YYYY-MM-DD): when a change takes effect unless told otherwise. */
const today = () => new Date().toLocaleDateString("en-CA");

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-08-17."));
const grade = z.pipe(z.string(), z.transform(Number));

/** A new school's details; the server checks the building code is free and the grades are in order. */
const openSchoolForm = z.object({
  code: z.string().check(z.trim(), z.minLength(1, "Enter the building code."), z.maxLength(16)),
  name: requiredText(200),
  level: z.enum(levels),
  lowGrade: grade,
  highGrade: grade,
  principal: optionalText(200),
  address: optionalText(300),
  city: optionalText(100),
  phone: optionalText(40),
  on: day,
  reason: optionalText(500),
});

/** A school's close or reopen: from which day, and why (kept in the audit log). */
const changeForm = z.object({ on: day, reason: requiredText(500, "Say why, for the record.") });

const gradeOptions = grades.map((g) => (
  <option key={g} value={String(g)}>
    {g === -1 ? "Pre-kindergarten (PK)" : g === 0 ? "Kindergarten (K)" : `Grade ${gradeLabel(g)}`}
  </option>
));

/** Opens a new school of the district on a day (education administrators). */
export function OpenSchoolDialog({ trigger }: { trigger: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const open = useMutation(trpc.education.schools.open.mutationOptions());
  const state = useDialogState();
  return (
    <FormDialog
      state={state}
      trigger={trigger}
      title="Open a school"
      description="A school or building the district runs from the day it opens. Its building code cannot be used twice."
      formKey="open-school"
      submission={open}
      submitLabel="Open school"
      schema={openSchoolForm}
      defaultValues={{
        code: "",
        name: "",
        level: "elementary" as (typeof levels)[number],
        lowGrade: "0",
        highGrade: "5",
        principal: "",
        address: "",
        city: "",
        phone: "",
        on: today(),
        reason: "",
      }}
      onSubmit={({ reason, ...input }) =>
        open.mutate(
          { ...input, ...(reason ? { reason } : {}) },
          {
            onSuccess: (school) => {
              void queryClient.invalidateQueries(trpc.education.schools.pathFilter());
              state.setOpen(false);
              notify("School opened", { description: `${school.name} (${school.code})` });
            },
          },
        )
      }
    >
      <TextField name="name" label="Name" required maxLength={200} autoFocus />
      <TextField
        name="code"
        label="Building code"
        hint="Letters, digits and dashes."
        required
        maxLength={16}
      />
      <SelectField name="level" label="Level">
        {levels.map((l) => (
          <option key={l} value={l}>
            {levelLabel(l)}
          </option>
        ))}
      </SelectField>
      <div className="form-grid">
        <SelectField name="lowGrade" label="Lowest grade">
          {gradeOptions}
        </SelectField>
        <SelectField name="highGrade" label="Highest grade">
          {gradeOptions}
        </SelectField>
      </div>
      <TextField name="principal" label="Principal" hint="Optional." maxLength={200} />
      <TextField name="address" label="Street address" hint="Optional." maxLength={300} />
      <div className="form-grid">
        <TextField name="city" label="City" hint="Optional." maxLength={100} />
        <TextField name="phone" label="Phone" hint="Optional." maxLength={40} type="tel" />
      </div>
      <TextField name="on" label="Opens on" type="date" required />
      <TextAreaField
        name="reason"
        label="Why"
        hint="Optional; kept in the audit log."
        rows={2}
        maxLength={500}
      />
    </FormDialog>
  );
}

/**
 * Closes or reopens a school (the registry's change `transition`) from a day, for a reason; the school's
 * row and inspector follow once the server has it.
 */
export function SchoolChangeDialog({
  school,
  transition,
  onClose,
}: {
  school: School;
  transition: LifecycleTransition | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const close = useMutation(trpc.education.schools.close.mutationOptions());
  const reopen = useMutation(trpc.education.schools.reopen.mutationOptions());
  const mutation = transition?.name === "reopen" ? reopen : close;
  return (
    <FormDialog
      state={{ isOpen: transition !== null, setOpen: (open) => (open ? undefined : onClose()) }}
      title={`${transition?.label ?? "Change school"}: ${school.name}`}
      description={
        transition?.name === "close"
          ? "From that day it takes no new issues; its issues stay as they are."
          : "From that day issues can be filed for it again."
      }
      formKey={`${school.id}:${transition?.name ?? ""}`}
      submission={mutation}
      submitLabel={transition?.label ?? "Save"}
      schema={changeForm}
      defaultValues={{ on: today(), reason: "" }}
      onSubmit={(input) =>
        mutation.mutate(
          { id: school.id, ...input },
          {
            onSuccess: (changed) => {
              void queryClient.invalidateQueries(trpc.education.schools.pathFilter());
              onClose();
              notify(changed.status === "closed" ? "School closed" : "School reopened", {
                description: changed.name,
              });
            },
          },
        )
      }
    >
      <TextField
        name="on"
        label={transition?.name === "close" ? "Closes on" : "Reopens on"}
        type="date"
        required
      />
      <TextAreaField
        name="reason"
        label="Why"
        hint="Kept in the audit log with the change."
        rows={3}
        required
        maxLength={500}
        autoFocus
      />
    </FormDialog>
  );
}
