import { namespaceHeader } from "../client";
import { type DatabaseProvisioner, describeFailure, ProvisioningError } from "./types";

/**
 * Local data plane: one sqld, one namespace per database, created through sqld's admin API
 * (`POST /v1/namespaces/<name>/create`; an existing namespace answers 400, which we treat as done).
 * sqld may answer the create before the namespace serves queries (seen under load: a 404 just after), so
 * when the HTTP URL is known, creation waits until the namespace answers.
 */
export class LocalProvisioner implements DatabaseProvisioner {
  readonly kind = "local";
  constructor(
    private readonly adminUrl: string,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
    private readonly httpUrl?: string,
  ) {}

  async createDatabase(name: string): Promise<{ url: null }> {
    const response = await this.fetcher(`${this.adminUrl}/v1/namespaces/${encodeURIComponent(name)}/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    if (!response.ok) {
      const reason = await describeFailure(response);
      if (!(response.status === 400 && /already exists/i.test(reason))) {
        throw new ProvisioningError(`sqld could not create namespace ${name}: ${reason}`);
      }
    } else {
      await response.body?.cancel();
    }
    if (this.httpUrl) await this.untilServing(name);
    return { url: null };
  }

  /** Polls the namespace with an empty Hrana pipeline until it answers (at most ~5 s). */
  private async untilServing(name: string): Promise<void> {
    for (let attempt = 0, delay = 10; attempt < 20; attempt++, delay = Math.min(delay * 2, 500)) {
      const probe = await this.fetcher(`${this.httpUrl}/v2/pipeline`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-namespace-bin": namespaceHeader(name) },
        body: JSON.stringify({ requests: [{ type: "close" }] }),
      });
      await probe.body?.cancel();
      if (probe.ok) return;
      if (probe.status !== 404)
        throw new ProvisioningError(`sqld namespace ${name} answered ${probe.status}`);
      await new Promise((r) => setTimeout(r, delay));
    }
    throw new ProvisioningError(`sqld namespace ${name} was created but does not serve queries`);
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
