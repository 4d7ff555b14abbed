import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { Eye, EyeOff, Paperclip, Trash2, Upload } from "lucide-react";
import { type FormEvent, useId, useRef, useState } from "react";
import {
  allowedAttachmentExtensions,
  type Comment,
  MAX_ATTACHMENT_BYTES,
} from "../../../shared/schemas/issue-extras";
import { issueLinkKinds } from "../../../shared/schemas/issue-model";
import { TENANT_HEADER } from "../../../shared/transport";
import { HttpError, httpErrorFrom } from "../../lib/errors";
import { formatDateTime, formatNumber, humanize } from "../../lib/format";
import { issueTypeLabels, linkKindLabels, statusLabel } from "../../lib/issues";
import { useTRPC } from "../../lib/trpc";
import { FormError, FormField } from "../FormField";
import { notify } from "../Toast";
import { Badge, EmptyState, Spinner } from "../ui";

const when = (iso: string) => <time dateTime={iso}>{formatDateTime(iso)}</time>;

function PaneLoading({ label }: { label: string }) {
  return (
    <div className="pane-loading" role="status" aria-label={label}>
      <div className="skeleton skeleton-line" />
      <div className="skeleton skeleton-line short" />
    </div>
  );
}

// ——— Comments ————————————————————————————————————————————————————————————————————————————————

/** Comments, oldest first; a new one appears at once (optimistically) and is replaced by the server's. */
export function CommentsPane({ issueId, canWrite }: { issueId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.projects.comments.list.queryOptions({ issueId, limit: 100 });
  const { data, isPending } = useQuery(listOptions);
  const [body, setBody] = useState("");
  const [visibility, setVisibility] = useState<"internal" | "public">("internal");
  const create = useMutation(
    trpc.projects.comments.create.mutationOptions({
      onMutate: async (input) => {
        await queryClient.cancelQueries({ queryKey: listOptions.queryKey });
        const previous = queryClient.getQueryData(listOptions.queryKey);
        const pending: Comment = {
          id: `pending-${Date.now()}`,
          issueId,
          author: { id: "me", name: "You" },
          body: input.body,
          visibility: input.visibility ?? "internal",
          createdAt: new Date().toISOString(),
          editedAt: null,
          deletedAt: null,
        };
        queryClient.setQueryData(listOptions.queryKey, (old) =>
          old ? { ...old, items: [...old.items, pending] } : { items: [pending], nextCursor: null },
        );
        return { previous };
      },
      onError: (_error, _input, context) => {
        if (context?.previous) queryClient.setQueryData(listOptions.queryKey, context.previous);
      },
      onSettled: () => {
        void queryClient.invalidateQueries(trpc.projects.comments.pathFilter());
        void queryClient.invalidateQueries(trpc.projects.activity.pathFilter());
      },
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = body;
    create.mutate(
      { issueId, body: text, visibility },
      {
        onSuccess: () => setBody(""),
        onError: () => setBody(text),
      },
    );
  };

  const comments = data?.items ?? [];
  return (
    <div className="pane">
      {isPending ? (
        <PaneLoading label="Loading comments" />
      ) : comments.length === 0 ? (
        <EmptyState compact title="No comments yet">
          {canWrite ? (
            <p>Write the first one below. Mention someone with @ and their email address.</p>
          ) : null}
        </EmptyState>
      ) : (
        <ol className="comment-list">
          {comments.map((c) => (
            <li
              key={c.id}
              className="comment"
              data-pending={c.id.startsWith("pending-") ? "true" : undefined}
            >
              <div className="comment-meta">
                <span className="strong">{c.author.name}</span>
                <Badge tone={c.visibility === "public" ? "accent" : "neutral"}>
                  {c.visibility === "public" ? "Public" : "Internal"}
                </Badge>
                <span className="muted small">{when(c.createdAt)}</span>
              </div>
              <p className="comment-body">{c.body ?? <span className="muted">Comment deleted</span>}</p>
            </li>
          ))}
        </ol>
      )}
      {canWrite ? (
        <form className="comment-form" onSubmit={submit}>
          <FormField
            label="Add a comment"
            name="body"
            error={create.error}
            hint="Mention people as @name@example.org; they are notified."
          >
            {(control) => (
              <textarea
                {...control}
                className="input textarea"
                rows={3}
                value={body}
                onChange={(event) => setBody(event.target.value)}
              />
            )}
          </FormField>
          <div className="form-row">
            <label className="inline-select">
              <span>Visibility</span>
              <select
                className="input input-narrow"
                value={visibility}
                onChange={(event) => setVisibility(event.target.value as "internal" | "public")}
              >
                <option value="internal">Internal</option>
                <option value="public">Public</option>
              </select>
            </label>
            <button
              type="submit"
              className="button button-primary"
              disabled={create.isPending || !body.trim()}
            >
              {create.isPending ? <Spinner size={14} /> : null}
              Comment
            </button>
          </div>
          <FormError error={create.error} fields={["body"]} />
        </form>
      ) : null}
    </div>
  );
}

// ——— Attachments —————————————————————————————————————————————————————————————————————————————

/** Sends one file to the attachments endpoint; the server checks its type by content and its size. */
async function uploadFile(tenant: string, issueId: string, file: File): Promise<void> {
  const form = new FormData();
  form.append("file", file, file.name);
  const response = await fetch(`/api/v1/attachments?issueId=${encodeURIComponent(issueId)}`, {
    method: "POST",
    body: form,
    credentials: "same-origin",
    headers: { [TENANT_HEADER]: tenant },
  });
  if (!response.ok) throw await httpErrorFrom(response);
}

/** What the client can tell before sending: too big, or a type issues do not accept. */
function checkFile(file: File): string | null {
  const extension = file.name.includes(".") ? (file.name.split(".").pop() ?? "").toLowerCase() : "";
  if (!(allowedAttachmentExtensions as readonly string[]).includes(extension)) {
    return `${file.name}: this type of file cannot be attached. Use ${allowedAttachmentExtensions.join(", ")}.`;
  }
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return `${file.name} is ${formatSize(file.size)}; files can be at most ${formatSize(MAX_ATTACHMENT_BYTES)}.`;
  }
  return null;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function AttachmentsPane({ issueId, canWrite }: { issueId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { tenant } = useParams({ from: "/_app/$tenant" });
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const { data, isPending } = useQuery(trpc.projects.attachments.list.queryOptions({ issueId }));
  const [error, setError] = useState<unknown>(null);
  const [uploading, setUploading] = useState(false);
  const remove = useMutation({
    ...trpc.projects.attachments.delete.mutationOptions(),
    onSettled: () => void queryClient.invalidateQueries(trpc.projects.attachments.pathFilter()),
  });

  const upload = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setError(null);
    setUploading(true);
    try {
      for (const file of Array.from(files)) {
        const problem = checkFile(file);
        if (problem) throw new HttpError(400, problem, "BAD_REQUEST");
        await uploadFile(tenant, issueId, file);
        notify("File attached", { description: file.name });
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setUploading(false);
      if (input.current) input.current.value = "";
      void queryClient.invalidateQueries(trpc.projects.attachments.pathFilter());
      void queryClient.invalidateQueries(trpc.projects.activity.pathFilter());
    }
  };

  const items = data?.items ?? [];
  return (
    <div className="pane">
      {isPending ? (
        <PaneLoading label="Loading attachments" />
      ) : items.length === 0 ? (
        <EmptyState compact icon={<Paperclip size={18} aria-hidden="true" />} title="No files attached">
          {canWrite ? <p>Attach a screenshot, a log or a document below.</p> : null}
        </EmptyState>
      ) : (
        <ul className="attachment-list">
          {items.map((a) => (
            <li key={a.id} className="attachment">
              <Paperclip size={14} aria-hidden="true" />
              <a
                className="text-link"
                href={`${a.downloadUrl}?tenant=${encodeURIComponent(tenant)}`}
                download={a.filename}
              >
                {a.filename}
              </a>
              <span className="muted small">
                {formatSize(a.size)} · {a.uploadedBy.name} · {when(a.createdAt)}
              </span>
              {canWrite ? (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${a.filename}`}
                  onClick={() => remove.mutate({ id: a.id })}
                >
                  <Trash2 size={14} aria-hidden="true" />
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canWrite ? (
        <div className="upload">
          <label htmlFor={inputId} className="button">
            {uploading ? <Spinner size={14} /> : <Upload size={14} aria-hidden="true" />}
            Attach a file
          </label>
          <input
            id={inputId}
            ref={input}
            type="file"
            className="visually-hidden"
            accept={allowedAttachmentExtensions.map((e) => `.${e}`).join(",")}
            onChange={(event) => void upload(event.target.files)}
            disabled={uploading}
          />
          <span className="muted small">
            Up to {formatSize(MAX_ATTACHMENT_BYTES)}: images, PDF, text, CSV, Office documents, ZIP.
          </span>
        </div>
      ) : null}
      <FormError error={error} title="The file was not attached" />
      <FormError error={remove.error} />
    </div>
  );
}

// ——— Links ———————————————————————————————————————————————————————————————————————————————————

export function LinksPane({ issueId, canWrite }: { issueId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { tenant } = useParams({ from: "/_app/$tenant" });
  const { data, isPending } = useQuery(trpc.projects.links.list.queryOptions({ issueId }));
  const [kind, setKind] = useState<(typeof issueLinkKinds)[number]>("relates_to");
  const [query, setQuery] = useState("");
  const [target, setTarget] = useState("");
  const term = query.trim();
  const candidates = useQuery({
    ...trpc.projects.issues.list.queryOptions({ filters: { search: term || "x" }, limit: 10 }),
    enabled: term.length >= 2,
  });
  const settle = () => {
    void queryClient.invalidateQueries(trpc.projects.links.pathFilter());
    void queryClient.invalidateQueries(trpc.projects.activity.pathFilter());
  };
  const create = useMutation({ ...trpc.projects.links.create.mutationOptions(), onSettled: settle });
  const remove = useMutation({ ...trpc.projects.links.delete.mutationOptions(), onSettled: settle });
  const options = (candidates.data?.items ?? []).filter((i) => i.id !== issueId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = target || options[0]?.id;
    if (!chosen) return;
    create.mutate(
      { fromIssueId: issueId, toIssueId: chosen, kind },
      {
        onSuccess: () => {
          setQuery("");
          setTarget("");
          notify("Link added");
        },
      },
    );
  };

  const items = data?.items ?? [];
  return (
    <div className="pane">
      {isPending ? (
        <PaneLoading label="Loading links" />
      ) : items.length === 0 ? (
        <EmptyState compact title="No linked issues">
          {canWrite ? <p>Link duplicates, blockers and causes below.</p> : null}
        </EmptyState>
      ) : (
        <ul className="link-list">
          {items.map((link) => (
            <li key={link.id} className="issue-link">
              <span className="muted small">{linkKindLabels[link.kind][link.direction]}</span>
              <Link
                to="/$tenant/projects/issues/$issueId"
                params={{ tenant, issueId: link.issue.id }}
                className="text-link"
              >
                <span className="mono">{link.issue.key}</span> {link.issue.title}
              </Link>
              <Badge>{statusLabel(link.issue.type, link.issue.status)}</Badge>
              {canWrite ? (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove the link to ${link.issue.key}`}
                  onClick={() => remove.mutate({ id: link.id })}
                >
                  <Trash2 size={14} aria-hidden="true" />
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canWrite ? (
        <form className="link-form" onSubmit={submit}>
          <div className="form-grid">
            <FormField label="Kind" name="kind" error={create.error}>
              {(control) => (
                <select
                  {...control}
                  className="input"
                  value={kind}
                  onChange={(event) => setKind(event.target.value as typeof kind)}
                >
                  {issueLinkKinds.map((k) => (
                    <option key={k} value={k}>
                      {linkKindLabels[k].outgoing}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label="Find an issue" name="query" hint="Its number or words of its title.">
              {(control) => (
                <input
                  {...control}
                  type="search"
                  className="input"
                  value={query}
                  onChange={(event) => {
                    setQuery(event.target.value);
                    setTarget("");
                  }}
                />
              )}
            </FormField>
            <FormField label="Issue to link" name="toIssueId" error={create.error}>
              {(control) => (
                <select
                  {...control}
                  className="input"
                  value={target || options[0]?.id || ""}
                  onChange={(event) => setTarget(event.target.value)}
                  disabled={options.length === 0}
                >
                  {options.length === 0 ? (
                    <option value="">{term.length < 2 ? "Type to find issues" : "No matching issues"}</option>
                  ) : (
                    options.map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.key} {i.title} ({issueTypeLabels[i.type]})
                      </option>
                    ))
                  )}
                </select>
              )}
            </FormField>
          </div>
          <button type="submit" className="button" disabled={create.isPending || options.length === 0}>
            Add link
          </button>
          <FormError error={create.error} fields={["kind", "toIssueId"]} />
        </form>
      ) : null}
    </div>
  );
}

// ——— Watchers ————————————————————————————————————————————————————————————————————————————————

/** Watch or stop watching; the button flips at once and settles with the server's answer. */
export function WatchButton({ issueId }: { issueId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.projects.watchers.list.queryOptions({ issueId });
  const { data } = useQuery(listOptions);
  const optimistic = () => ({
    onMutate: async () => {
      await queryClient.cancelQueries({ queryKey: listOptions.queryKey });
      const previous = queryClient.getQueryData(listOptions.queryKey);
      queryClient.setQueryData(listOptions.queryKey, (old) =>
        old ? { ...old, watching: !old.watching } : old,
      );
      return { previous };
    },
    onError: (_e: unknown, _v: unknown, context: { previous: typeof data } | undefined) => {
      if (context?.previous) queryClient.setQueryData(listOptions.queryKey, context.previous);
      notify("Could not change watching", { tone: "danger" });
    },
    onSettled: () => void queryClient.invalidateQueries(trpc.projects.watchers.pathFilter()),
  });
  const watch = useMutation(trpc.projects.watchers.watch.mutationOptions(optimistic()));
  const unwatch = useMutation(trpc.projects.watchers.unwatch.mutationOptions(optimistic()));
  const watching = data?.watching ?? false;
  const count = data?.items.length ?? 0;
  return (
    <button
      type="button"
      className="button"
      aria-pressed={watching}
      disabled={!data}
      onClick={() => (watching ? unwatch.mutate({ issueId }) : watch.mutate({ issueId }))}
      title={`${count} watching`}
    >
      {watching ? <EyeOff size={14} aria-hidden="true" /> : <Eye size={14} aria-hidden="true" />}
      {watching ? "Unwatch" : "Watch"}
      <span className="count-pill" aria-hidden="true">
        {count}
      </span>
      <span className="visually-hidden">({count} watching)</span>
    </button>
  );
}

// ——— Activity ————————————————————————————————————————————————————————————————————————————————

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "nothing";
  if (typeof value === "string") return isoPattern.test(value) ? formatDateTime(value) : humanize(value);
  if (Array.isArray(value)) return value.join(", ") || "nothing";
  if (typeof value === "object") {
    const link = value as { kind?: string; direction?: "outgoing" | "incoming"; number?: number };
    if (link.kind && link.direction && link.kind in linkKindLabels) {
      const label = linkKindLabels[link.kind as keyof typeof linkKindLabels][link.direction];
      return `${label.toLowerCase()} issue ${link.number ?? ""}`.trim();
    }
    if ("excerpt" in value) {
      const comment = value as { excerpt: string | null; visibility?: string };
      if (comment.excerpt) return `“${comment.excerpt}”`;
      return comment.visibility === "internal" ? "an internal comment" : "a comment";
    }
    const named = value as { filename?: string; key?: string; title?: string };
    return named.filename ?? named.key ?? named.title ?? "a change";
  }
  return String(value);
}

/** "assigneeUserId" → "assignee", "resolvedAt" → "resolved at". */
function fieldLabel(field: string): string {
  return field
    .replace(/(UserId|GroupId|Id)$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

/** History and comments in one feed, newest first. */
export function ActivityPane({ issueId }: { issueId: string }) {
  const trpc = useTRPC();
  const { data, isPending } = useQuery(
    trpc.projects.activity.list.queryOptions({ issueId, order: "desc", limit: 100 }),
  );
  if (isPending) return <PaneLoading label="Loading activity" />;
  const items = data?.items ?? [];
  if (items.length === 0) return <EmptyState compact title="Nothing has happened yet" />;
  return (
    <ol className="activity-list">
      {items.map((item) => (
        <li key={`${item.kind}-${item.id}`} className="activity">
          <span className="strong">{item.actor?.name ?? "Nexus"}</span>{" "}
          {item.kind === "comment" ? (
            <>commented{item.comment.visibility === "public" ? " publicly" : ""}</>
          ) : item.before === null ? (
            <>
              added {fieldLabel(item.field)} <span className="strong">{show(item.after)}</span>
            </>
          ) : item.after === null && ["attachment", "link", "comment"].includes(item.field) ? (
            <>
              removed {fieldLabel(item.field)} <span className="strong">{show(item.before)}</span>
            </>
          ) : (
            <>
              changed {fieldLabel(item.field)} from {show(item.before)} to{" "}
              <span className="strong">{show(item.after)}</span>
            </>
          )}{" "}
          <span className="muted small">{when(item.at)}</span>
        </li>
      ))}
    </ol>
  );
}
