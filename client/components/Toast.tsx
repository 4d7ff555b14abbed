import { CircleCheck, Info, TriangleAlert, X } from "lucide-react";
import { Toast } from "radix-ui";
import { type ReactNode, useSyncExternalStore } from "react";

export type NoticeTone = "success" | "info" | "danger";

interface Notice {
  id: number;
  title: string;
  description?: ReactNode;
  tone: NoticeTone;
}

let notices: readonly Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

/**
 * Tells the user what just happened ("Invitation sent to …"), briefly, without moving focus. Announced
 * politely to screen readers; danger notices assertively.
 */
export function notify(title: string, options: { description?: ReactNode; tone?: NoticeTone } = {}): void {
  notices = [
    ...notices.slice(-3),
    { id: nextId++, title, description: options.description, tone: options.tone ?? "success" },
  ];
  emit();
}

function dismiss(id: number): void {
  notices = notices.filter((notice) => notice.id !== id);
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const icons = { success: CircleCheck, info: Info, danger: TriangleAlert } as const;

/** Where notices appear; rendered once, at the root. */
export function Toaster() {
  const current = useSyncExternalStore(subscribe, () => notices);
  return (
    <Toast.Provider swipeDirection="right" duration={5000}>
      {current.map((notice) => {
        const Icon = icons[notice.tone];
        return (
          <Toast.Root
            key={notice.id}
            className={`toast toast-${notice.tone}`}
            type={notice.tone === "danger" ? "foreground" : "background"}
            onOpenChange={(open) => {
              if (!open) dismiss(notice.id);
            }}
          >
            <Icon size={16} aria-hidden="true" className="toast-icon" />
            <div className="toast-text">
              <Toast.Title className="toast-title">{notice.title}</Toast.Title>
              {notice.description ? (
                <Toast.Description className="toast-description">{notice.description}</Toast.Description>
              ) : null}
            </div>
            <Toast.Close className="icon-button toast-close" aria-label="Dismiss">
              <X size={14} aria-hidden="true" />
            </Toast.Close>
          </Toast.Root>
        );
      })}
      <Toast.Viewport className="toast-viewport" />
    </Toast.Provider>
  );
}
