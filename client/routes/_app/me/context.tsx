import { useMutation, useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { Compass } from "lucide-react";
import { useId } from "react";
import { FormError } from "../../../components/FormField";
import { notify } from "../../../components/Toast";
import { Badge, PageHeader, Spinner } from "../../../components/ui";
import { capitalize } from "../../../lib/format";
import { useDocumentTitle } from "../../../lib/hooks";
import { queryClient } from "../../../lib/query-client";
import { sessionClient, sessionTrpc, tenantApi } from "../../../lib/trpc";

export const Route = createFileRoute("/_app/me/context")({
  loader: ({ context }) => context.queryClient.ensureQueryData(sessionTrpc.system.profile.get.queryOptions()),
  component: ContextPage,
});

type SetInput = Parameters<typeof sessionClient.system.profile.context.set.mutate>[0];

function useSetContext() {
  return useMutation({
    mutationFn: (input: SetInput) => sessionClient.system.profile.context.set.mutate(input),
    onSuccess: () => void queryClient.invalidateQueries(sessionTrpc.system.profile.pathFilter()),
  });
}

function ContextPage() {
  const { data: me } = useSuspenseQuery(sessionTrpc.system.me.queryOptions());
  const { data: profile } = useSuspenseQuery(sessionTrpc.system.profile.get.queryOptions());
  const memberships = me.memberships.filter((m) => m.tenant.status === "ready");
  const defaultSlug = profile.defaultTenant?.slug ?? "";
  const setDefault = useSetContext();
  const selectId = useId();
  useDocumentTitle("Default context");

  return (
    <div className="page page-narrow">
      <PageHeader
        title="Default context"
        icon={<Compass size={20} aria-hidden="true" />}
        description="Where Nexus opens for you, and the school it starts with in each organization."
      />

      <section className="panel" aria-labelledby="default-org-title">
        <h2 id="default-org-title" className="panel-title">
          Default organization
        </h2>
        <p className="muted">Opening Nexus without a specific address takes you here.</p>
        <div className="field">
          <label htmlFor={selectId}>Organization</label>
          <div className="inline-controls">
            <select
              id={selectId}
              className="input select select-block"
              value={defaultSlug}
              disabled={setDefault.isPending}
              onChange={(event) => {
                const slug = event.target.value;
                if (!slug) return;
                setDefault.mutate(
                  { tenantSlug: slug, makeDefault: true },
                  {
                    onSuccess: (result) =>
                      notify("Default organization saved", { description: result.tenant?.name }),
                  },
                );
              }}
            >
              {defaultSlug ? null : <option value="">Not chosen (the one used last)</option>}
              {memberships.map((m) => (
                <option key={m.tenant.id} value={m.tenant.slug}>
                  {m.tenant.name}
                </option>
              ))}
            </select>
            {setDefault.isPending ? <Spinner size={14} /> : null}
          </div>
        </div>
        <FormError error={setDefault.error} />
      </section>

      <section className="panel" aria-labelledby="schools-title">
        <h2 id="schools-title" className="panel-title">
          School in each organization
        </h2>
        <p className="muted">Lists and forms that work with one school start with this one.</p>
        <ul className="context-list">
          {memberships.map((m) => (
            <SchoolChoice
              key={m.tenant.id}
              tenant={m.tenant}
              role={m.role}
              isDefault={m.tenant.slug === defaultSlug}
              schoolId={profile.preferences.contexts[m.tenant.id]?.schoolId ?? null}
            />
          ))}
        </ul>
      </section>
    </div>
  );
}

function SchoolChoice({
  tenant,
  role,
  isDefault,
  schoolId,
}: {
  tenant: { id: string; slug: string; name: string };
  role: string;
  isDefault: boolean;
  schoolId: string | null;
}) {
  const selectId = useId();
  const { trpc } = tenantApi(tenant.slug);
  const schools = useQuery(trpc.education.schools.list.queryOptions({ status: "open", limit: 100 }));
  const save = useMutation({
    // Remembering a school leaves the default organization as it is (no `makeDefault`).
    mutationFn: (next: string | null) =>
      sessionClient.system.profile.context.set.mutate({ tenantSlug: tenant.slug, schoolId: next }),
    onSuccess: () => {
      void queryClient.invalidateQueries(sessionTrpc.system.profile.pathFilter());
      notify("School saved", { description: tenant.name });
    },
  });

  return (
    <li className="context-row">
      <div className="context-row-text">
        <span className="strong">{tenant.name}</span>
        <span className="muted small">
          {capitalize(role)}
          {isDefault ? (
            <>
              {" "}
              · <Badge tone="accent">Default</Badge>
            </>
          ) : null}
        </span>
      </div>
      <div className="field">
        <label htmlFor={selectId} className="visually-hidden">
          School in {tenant.name}
        </label>
        {schools.isPending ? (
          <Spinner size={14} />
        ) : schools.error ? (
          <span className="cell-error">The schools could not be loaded.</span>
        ) : (
          <select
            id={selectId}
            className="input select"
            value={schoolId ?? ""}
            disabled={save.isPending}
            onChange={(event) => save.mutate(event.target.value || null)}
          >
            <option value="">No school</option>
            {schools.data.items.map((school) => (
              <option key={school.id} value={school.id}>
                {school.name}
              </option>
            ))}
          </select>
        )}
        <FormError error={save.error} />
      </div>
    </li>
  );
}
