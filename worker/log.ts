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

export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, errorName: error.name, stack: error.stack };
  return { error: String(error) };
}
