/** Structured JSON logs: one object per line, always with the request, user and tenant when known. */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogFields {
  requestId?: string;
  userId?: string;
  tenantId?: string;
  [key: string]: unknown;
}

export class Logger {
  constructor(private readonly fields: LogFields = {}) {}

  /** Adds fields to every later line of this logger (e.g. the user once the session is known). */
  bind(fields: LogFields): void {
    Object.assign(this.fields, fields);
  }

  child(fields: LogFields): Logger {
    return new Logger({ ...this.fields, ...fields });
  }

  log(level: LogLevel, message: string, extra: Record<string, unknown> = {}): void {
    const line = JSON.stringify({ level, message, at: new Date().toISOString(), ...this.fields, ...extra });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  }

  info(message: string, extra?: Record<string, unknown>) {
    this.log("info", message, extra);
  }
  warn(message: string, extra?: Record<string, unknown>) {
    this.log("warn", message, extra);
  }
  error(message: string, extra?: Record<string, unknown>) {
    this.log("error", message, extra);
  }
}

/** A drizzle query error's message names the SQL and its parameters; the parameters may hold personal data. */
function messageOf(error: Error): string {
  if ("query" in error && "params" in error) return `Failed query: ${String(error.query)}`;
  return error.message;
}

/**
 * An error as log fields, for operators only (never sent to a client): its name, message and code, the
 * chain of causes (a libSQL error under drizzle's, say) and the stack. Query parameters are left out.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const causes: Record<string, unknown>[] = [];
  for (
    let e: unknown = error.cause, depth = 0;
    e && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (!(e instanceof Error)) {
      causes.push({ error: String(e) });
      break;
    }
    const code = (e as { code?: unknown }).code;
    causes.push({ error: messageOf(e), errorName: e.name, ...(code !== undefined ? { code } : {}) });
  }
  const code = (error as { code?: unknown }).code;
  const message = messageOf(error);
  return {
    error: message,
    errorName: error.name,
    ...(code !== undefined ? { code } : {}),
    ...(causes.length > 0 ? { causes } : {}),
    stack: error.stack?.replace(error.message, message),
  };
}
