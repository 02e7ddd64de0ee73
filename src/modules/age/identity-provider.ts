// Identity verification providers (본인인증). Shaped after the Korean providers PASS and NICE:
// the service starts a transaction (the member is sent to the provider's page), the provider calls
// back with the verified person — name, birth date and CI (연계정보, a stable per-person id) — signed
// so it cannot be forged. A PASS/NICE adapter implements this interface (decrypting their
// EncodeData with the site key) and is selected in src/config.ts; the sandbox is the default.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface VerificationStart {
  txId: string;
  userId: number;
  /** Where the provider sends its callback (our POST user/verification/callback/). */
  callbackUrl: string;
}

export interface VerificationRedirect {
  txId: string;
  /** Page the member opens to verify (the provider's), with the transaction in it. */
  url: string;
}

export interface VerifiedIdentity {
  txId: string;
  name: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** The provider's connecting information; hashed before it is stored. */
  ci: string;
}

/** A callback the provider reports as failed (cancelled by the member, wrong person…). */
export class VerificationFailed extends Error {
  constructor(
    readonly txId: string,
    readonly reason: string,
  ) {
    super(`verification failed: ${reason}`);
  }
}

/** A callback whose signature or shape is wrong: nobody should trust anything in it. */
export class InvalidCallback extends Error {}

export interface IdentityProvider {
  readonly name: string;
  start(request: VerificationStart): Promise<VerificationRedirect>;
  /** Checks the callback's signature and returns the verified identity (or throws VerificationFailed / InvalidCallback). */
  callback(payload: Record<string, unknown>): Promise<VerifiedIdentity>;
}

// ---- sandbox ------------------------------------------------------------------------------------

/** The fields the sandbox signs, in order. */
const SIGNED = ['tx_id', 'result', 'name', 'birth_date', 'ci'] as const;

export interface SandboxCallback {
  tx_id: string;
  result: 'success' | 'fail';
  name: string;
  birth_date: string;
  ci: string;
  signature?: string;
}

/** HMAC-SHA256 (hex) of the signed fields joined by "|" — what the sandbox "provider" sends. */
export function sandboxSignature(p: Omit<SandboxCallback, 'signature'>, secret: string): string {
  return createHmac('sha256', secret)
    .update(SIGNED.map((k) => String(p[k] ?? '')).join('|'))
    .digest('hex');
}

/** Test identities of the sandbox (birth dates fixed; ages follow the calendar). */
export const SANDBOX_IDENTITIES = {
  adult: { name: '홍길동', birth_date: '1990-05-15', ci: 'SANDBOX-CI-ADULT-0001' },
  teen: { name: '김청소', birth_date: '2012-03-01', ci: 'SANDBOX-CI-TEEN-0002' },
} as const;

/**
 * Deterministic provider for development and tests: its "verification page" is a URL carrying the
 * transaction; the callback must be signed with VERIFICATION_SECRET (sandboxSignature).
 */
export class SandboxIdentityProvider implements IdentityProvider {
  readonly name = 'sandbox';

  constructor(
    private readonly secret: string,
    private readonly pageUrl: (txId: string) => string,
  ) {}

  async start(request: VerificationStart): Promise<VerificationRedirect> {
    return { txId: request.txId, url: this.pageUrl(request.txId) };
  }

  async callback(payload: Record<string, unknown>): Promise<VerifiedIdentity> {
    for (const k of [...SIGNED, 'signature'] as const) {
      if (typeof payload[k] !== 'string' || (payload[k] as string).length > 200) throw new InvalidCallback(`missing or invalid ${k}`);
    }
    const p = payload as unknown as SandboxCallback;
    const expected = Buffer.from(sandboxSignature(p, this.secret), 'hex');
    const given = /^[0-9a-f]{64}$/i.test(p.signature!) ? Buffer.from(p.signature!, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCallback('bad signature');
    if (p.result !== 'success') throw new VerificationFailed(p.tx_id, p.result);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.birth_date) || Number.isNaN(Date.parse(`${p.birth_date}T00:00:00Z`))) throw new InvalidCallback('bad birth_date');
    return { txId: p.tx_id, name: p.name, birthDate: p.birth_date, ci: p.ci };
  }
}
