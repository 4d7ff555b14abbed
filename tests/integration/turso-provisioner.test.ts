import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TursoProvisioner } from "../../db/provisioning/turso";
import { ProvisioningError } from "../../db/provisioning/types";
import { startFakeTurso } from "../support/turso-server";

let turso: Awaited<ReturnType<typeof startFakeTurso>>;
const config = () => ({
  apiUrl: turso.url,
  organization: "district-ops",
  group: "default",
  apiToken: "platform-token",
});

beforeAll(async () => {
  turso = await startFakeTurso({ organization: "district-ops", token: "platform-token" });
});
afterAll(() => turso.close());

describe("the Turso provisioner", () => {
  it("creates a database in the configured group and returns its libsql URL", async () => {
    const { url } = await new TursoProvisioner(config()).createDatabase("tenant-riverton");
    expect(url).toBe("libsql://tenant-riverton-district-ops.turso.io");
    expect(turso.databases.get("tenant-riverton")?.group).toBe("default");
  });

  it("treats a name that is already taken as created and reads its URL back", async () => {
    const provisioner = new TursoProvisioner(config());
    await provisioner.createDatabase("tenant-again");
    const { url } = await provisioner.createDatabase("tenant-again");
    expect(url).toBe("libsql://tenant-again-district-ops.turso.io");
    expect(turso.databases.size).toBeGreaterThanOrEqual(1);
  });

  it("deletes a database, and deleting a missing one is not an error", async () => {
    const provisioner = new TursoProvisioner(config());
    await provisioner.createDatabase("tenant-gone");
    await provisioner.deleteDatabase("tenant-gone");
    expect(turso.databases.has("tenant-gone")).toBe(false);
    await expect(provisioner.deleteDatabase("tenant-gone")).resolves.toBeUndefined();
  });

  it("reports a rejected token as a provisioning error naming the database", async () => {
    const provisioner = new TursoProvisioner({ ...config(), apiToken: "wrong" });
    await expect(provisioner.createDatabase("tenant-denied")).rejects.toThrow(/tenant-denied.*401/);
  });

  it("reports a server failure as a provisioning error", async () => {
    turso.state.failNext = 1;
    await expect(new TursoProvisioner(config()).createDatabase("tenant-flaky")).rejects.toBeInstanceOf(
      ProvisioningError,
    );
    expect(turso.databases.has("tenant-flaky")).toBe(false);
  });
});
