import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** The AES-256-GCM key a ticket seals its data with: a hash of the ticket apart from its name. */
function ticketKey(ticket: string): Buffer {
  return createHash("sha256").update("switchboard.ticket.key:").update(ticket).digest();
}

/**
 * `data` sealed (AES-256-GCM, random IV) under a key derived from `ticket`, as a ticket store
 * keeps it: without the ticket, the stored record is unreadable.
 *
 * @example
 * ```ts
 * const sealed = sealTicketData(ticket, '{"n":1}');
 * openTicketData(ticket, sealed); // '{"n":1}'
 * ```
 */
export function sealTicketData(ticket: string, data: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ticketKey(ticket), iv);
  const body = Buffer.concat([cipher.update(data, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** What {@link sealTicketData} sealed under `ticket`; `null` when it was sealed otherwise or tampered with. */
export function openTicketData(ticket: string, sealed: string): string | null {
  const bytes = Buffer.from(sealed, "base64url");
  if (bytes.length < 28) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", ticketKey(ticket), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
