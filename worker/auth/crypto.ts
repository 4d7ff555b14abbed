import { sha256 } from "@oslojs/crypto/sha2";
import {
  decodeBase64,
  encodeBase32LowerCaseNoPadding,
  encodeBase64,
  encodeHexLowerCase,
} from "@oslojs/encoding";

/** SHA-256 of a string, hex: how every bearer credential and recovery code is stored. */
export function sha256Hex(value: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(value)));
}

/** `bytes` random bytes from the platform's CSPRNG. */
export function randomBytes(bytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  crypto.getRandomValues(out);
  return out;
}

/** A copy backed by a plain ArrayBuffer, as Web Crypto wants. */
function bytesOf(value: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(value);
}

/** A credential the client holds: a recognisable prefix and 160 random bits in lower-case base32. */
export function generatePrefixedToken(prefix: string): string {
  return `${prefix}${encodeBase32LowerCaseNoPadding(randomBytes(20))}`;
}

const keys = new Map<string, Promise<CryptoKey>>();

function encryptionKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret) throw new Error("ENCRYPTION_KEY is not set; it must be base64 of 32 random bytes");
  let key = keys.get(secret);
  if (!key) {
    const raw = bytesOf(decodeBase64(secret));
    if (raw.byteLength !== 32) throw new Error("ENCRYPTION_KEY must be base64 of exactly 32 bytes");
    key = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    keys.set(secret, key);
  }
  return key;
}

/**
 * Encrypts `plaintext` with AES-256-GCM under the Worker's ENCRYPTION_KEY. `context` is bound as
 * additional data (e.g. the user id), so a ciphertext copied to another row does not decrypt there.
 * Format: `v1.<iv base64>.<ciphertext base64>`.
 */
export async function encryptSecret(
  secret: string | undefined,
  plaintext: Uint8Array,
  context: string,
): Promise<string> {
  const iv = randomBytes(12);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
    await encryptionKey(secret),
    bytesOf(plaintext),
  );
  return `v1.${encodeBase64(iv)}.${encodeBase64(new Uint8Array(ciphertext))}`;
}

/** Reverses encryptSecret; throws when the value was tampered with, moved, or made under another key. */
export async function decryptSecret(
  secret: string | undefined,
  stored: string,
  context: string,
): Promise<Uint8Array> {
  const [version, iv, ciphertext] = stored.split(".");
  if (version !== "v1" || !iv || !ciphertext) throw new Error("unknown encrypted value format");
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytesOf(decodeBase64(iv)), additionalData: new TextEncoder().encode(context) },
    await encryptionKey(secret),
    bytesOf(decodeBase64(ciphertext)),
  );
  return new Uint8Array(plaintext);
}

const derivedKeys = new Map<string, Promise<CryptoKey>>();

/**
 * An HMAC-SHA-256 key for one purpose, derived with HKDF-SHA-256 from the Worker's ENCRYPTION_KEY (the
 * purpose is HKDF's `info`), so one secret serves every signed value without any two purposes sharing a key
 * and without the AES key itself ever signing anything. Throws like the encryption key when the secret is
 * missing or not 32 bytes.
 */
export function derivedHmacKey(secret: string | undefined, purpose: string): Promise<CryptoKey> {
  if (!secret) throw new Error("ENCRYPTION_KEY is not set; it must be base64 of 32 random bytes");
  const cacheKey = `${purpose}\n${secret}`;
  let key = derivedKeys.get(cacheKey);
  if (!key) {
    const raw = bytesOf(decodeBase64(secret));
    if (raw.byteLength !== 32) throw new Error("ENCRYPTION_KEY must be base64 of exactly 32 bytes");
    key = crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]).then((base) =>
      crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new TextEncoder().encode("nexus"),
          info: new TextEncoder().encode(purpose),
        },
        base,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign", "verify"],
      ),
    );
    // A failed derivation is not remembered, so a corrected secret is picked up.
    key.catch(() => derivedKeys.delete(cacheKey));
    derivedKeys.set(cacheKey, key);
  }
  return key;
}
