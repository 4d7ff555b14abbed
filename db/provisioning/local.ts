import { type DatabaseProvisioner, describeFailure, ProvisioningError } from "./types";

/**
 * Local data plane: one sqld, one namespace per database, created through sqld's admin API
 * (`POST /v1/namespaces/<name>/create`; an existing namespace answers 400, which we treat as done).
 */
export class LocalProvisioner implements DatabaseProvisioner {
  readonly kind = "local";
  constructor(
    private readonly adminUrl: string,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  async createDatabase(name: string): Promise<{ url: null }> {
    const response = await this.fetcher(`${this.adminUrl}/v1/namespaces/${encodeURIComponent(name)}/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    if (response.ok) return { url: null };
    const reason = await describeFailure(response);
    if (response.status === 400 && /already exists/i.test(reason)) return { url: null };
    throw new ProvisioningError(`sqld could not create namespace ${name}: ${reason}`);
  }

  async deleteDatabase(name: string): Promise<void> {
    const response = await this.fetcher(`${this.adminUrl}/v1/namespaces/${encodeURIComponent(name)}`, {
      method: "DELETE",
    });
    if (response.ok || response.status === 404) return;
    const reason = await describeFailure(response);
    if (/does not exist|not found/i.test(reason)) return;
    throw new ProvisioningError(`sqld could not delete namespace ${name}: ${reason}`);
  }
}
