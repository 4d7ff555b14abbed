import { z } from "zod";
import { type DatabaseProvisioner, describeFailure, ProvisioningError } from "./types";

export interface TursoConfig {
  /** https://api.turso.tech in production; a local server in tests. */
  apiUrl: string;
  organization: string;
  group: string;
  apiToken: string;
}

const databaseResponse = z.object({
  database: z.object({ Name: z.string(), Hostname: z.string() }).loose(),
});

/**
 * Production data plane: one Turso database per tenant, created through the Platform API
 * (`POST /v1/organizations/{org}/databases`). A 409 (name taken) is read back with GET, so creation is
 * idempotent. Tenant databases are opened with a group token held as a Worker secret.
 */
export class TursoProvisioner implements DatabaseProvisioner {
  readonly kind = "turso";
  constructor(
    private readonly config: TursoConfig,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  private endpoint(path: string): string {
    return `${this.config.apiUrl}/v1/organizations/${encodeURIComponent(this.config.organization)}${path}`;
  }

  private request(path: string, init: RequestInit = {}): Promise<Response> {
    return this.fetcher(this.endpoint(path), {
      ...init,
      headers: { authorization: `Bearer ${this.config.apiToken}`, "content-type": "application/json" },
    });
  }

  private async hostnameOf(response: Response, name: string): Promise<{ url: string }> {
    const parsed = databaseResponse.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new ProvisioningError(`Turso answered an unexpected body for database ${name}`);
    return { url: `libsql://${parsed.data.database.Hostname}` };
  }

  async createDatabase(name: string): Promise<{ url: string }> {
    const created = await this.request("/databases", {
      method: "POST",
      body: JSON.stringify({ name, group: this.config.group }),
    });
    if (created.ok) return this.hostnameOf(created, name);
    if (created.status !== 409) {
      throw new ProvisioningError(
        `Turso could not create database ${name}: ${await describeFailure(created)}`,
      );
    }
    const existing = await this.request(`/databases/${encodeURIComponent(name)}`);
    if (!existing.ok) {
      throw new ProvisioningError(
        `Turso could not read database ${name}: ${await describeFailure(existing)}`,
      );
    }
    return this.hostnameOf(existing, name);
  }

  async deleteDatabase(name: string): Promise<void> {
    const response = await this.request(`/databases/${encodeURIComponent(name)}`, { method: "DELETE" });
    if (response.ok || response.status === 404) return;
    throw new ProvisioningError(
      `Turso could not delete database ${name}: ${await describeFailure(response)}`,
    );
  }
}
