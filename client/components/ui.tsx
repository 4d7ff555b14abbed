import { Link, useRouter } from "@tanstack/react-router";
import { ArrowLeft, LoaderCircle, RefreshCw, SearchX, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { messageOf, requestIdOf } from "../lib/errors";
import { useDocumentTitle } from "../lib/hooks";
import { Logo } from "./icons";

export function PageHeader({
  title,
  description,
  actions,
  icon,
  id,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  icon?: ReactNode;
  id?: string;
}) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1 id={id} className="page-title">
          {icon ? <span className="page-title-icon">{icon}</span> : null}
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
  compact = false,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  /** A one-line state inside a page section rather than a whole page's. */
  compact?: boolean;
}) {
  if (compact) {
    return (
      <div className="empty-state empty-state-compact">
        {icon ? <div className="empty-state-icon">{icon}</div> : null}
        <div>
          <h3 className="empty-state-title">{title}</h3>
          {children ? <div className="empty-state-text">{children}</div> : null}
        </div>
      </div>
    );
  }
  return (
    <div className="empty-state">
      {icon ? <div className="empty-state-icon">{icon}</div> : null}
      <h2 className="empty-state-title">{title}</h2>
      {children ? <div className="empty-state-text">{children}</div> : null}
      {action ? <div className="empty-state-action">{action}</div> : null}
    </div>
  );
}

export type Tone = "neutral" | "success" | "danger" | "warning" | "accent";

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Spinner({ size = 16 }: { size?: number }) {
  return <LoaderCircle size={size} className="spin" aria-hidden="true" />;
}

export function Pending() {
  return (
    <div className="pending" role="status">
      <Spinner />
      <span>Loading…</span>
    </div>
  );
}

/** A route's error: the server's message (written for the user), its reference, and a retry. */
export function ErrorView({ error, reset }: { error: unknown; reset?: () => void }) {
  const router = useRouter();
  const requestId = requestIdOf(error);
  useDocumentTitle("Something went wrong");
  return (
    <div className="error-view" role="alert">
      <TriangleAlert size={20} aria-hidden="true" className="error-view-icon" />
      <div>
        <h2 className="error-view-title">This page could not be loaded</h2>
        <p>{messageOf(error)}</p>
        {requestId ? <p className="muted small">Reference: {requestId}</p> : null}
        <button
          type="button"
          className="button"
          onClick={() => {
            reset?.();
            void router.invalidate();
          }}
        >
          <RefreshCw size={14} aria-hidden="true" />
          Try again
        </button>
      </div>
    </div>
  );
}

/** Not found inside the shell (an unknown package or object): links back to the organization's home. */
export function NotFoundInShell({ tenant }: { tenant: string }) {
  useDocumentTitle("Not found");
  return (
    <EmptyState
      icon={<SearchX size={28} aria-hidden="true" />}
      title="This page does not exist"
      action={
        <Link to="/$tenant" params={{ tenant }} className="button">
          <ArrowLeft size={14} aria-hidden="true" />
          Back to home
        </Link>
      }
    >
      <p>Check the address, or find what you need in the navigation.</p>
    </EmptyState>
  );
}

/** Not found outside any organization: an unknown address, or an organization the user is not a member of. */
export function NotFoundPage() {
  useDocumentTitle("Not found");
  return (
    <main className="standalone" id="main">
      <div className="standalone-card">
        <Logo size={32} />
        <h1 className="standalone-title">We could not find that page</h1>
        <p className="muted">
          The organization or page does not exist, or your account does not have access to it.
        </p>
        <Link to="/" className="button button-primary">
          <ArrowLeft size={14} aria-hidden="true" />
          Back to your organization
        </Link>
      </div>
    </main>
  );
}
