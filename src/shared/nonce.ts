import { randomUUID } from 'crypto';

/** A CSP nonce; randomUUID is a CSPRNG, unlike the samples' Math.random. */
export function makeNonce(): string {
  return randomUUID().replace(/-/g, '');
}
