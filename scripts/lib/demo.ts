import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** The demo accounts' password: made at random on first run and kept beside the local data, never in code. */
export function demoPassword(file: string): string {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { password?: string };
    if (saved.password) return saved.password;
  }
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  const password = `demo-${encodeBase32LowerCaseNoPadding(bytes)}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ password }, null, 2)}\n`, { mode: 0o600 });
  return password;
}
