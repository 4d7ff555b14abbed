/**
 * The client's address, from `CF-Connecting-IP` alone (ADR 0010): Cloudflare's edge sets it on every request
 * from the internet, replacing whatever the client sent; `wrangler dev` sets it to the peer's address
 * (127.0.0.1) when absent. `X-Forwarded-For`, `X-Real-IP` and `Forwarded` are never read: anyone can write
 * them. A value that is not shaped like an IPv4 or IPv6 address counts as none, so junk can name no
 * rate-limit bucket.
 */
export function clientAddress(headers: { get(name: string): string | null | undefined }): string | null {
  const value = headers.get("cf-connecting-ip")?.trim();
  if (!value || value.length > 45) return null;
  if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(value)) {
    return value.split(".").every((octet) => Number(octet) <= 255) ? value : null;
  }
  if (/^[0-9a-fA-F:.]+$/.test(value) && value.includes(":")) {
    return value.toLowerCase();
  }
  return null;
}
