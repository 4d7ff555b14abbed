/** Creates and drops tenant databases. Both operations are idempotent. */
export interface DatabaseProvisioner {
  readonly kind: "local" | "turso";
  /** Creates the database if it does not exist. Returns its URL when it has one of its own (Turso). */
  createDatabase(name: string): Promise<{ url: string | null }>;
  /** Drops the database if it exists. */
  deleteDatabase(name: string): Promise<void>;
}

export class ProvisioningError extends Error {
  override readonly name = "ProvisioningError";
}

/** Reads an error body for a message, bounded so a hostile or broken peer cannot flood our logs. */
export async function describeFailure(response: Response): Promise<string> {
  const text = (await response.text().catch(() => "")).slice(0, 500);
  return `${response.status} ${response.statusText}${text ? `: ${text}` : ""}`;
}
