/**
 * How the doctor walks the steps: each network step under its own time limit and the caller's cancel, the steps
 * recorded in the order of the flow, and the words for a connection that got no HTTP answer.
 */
import { STEP_TITLES, type DoctorStep, type NetworkFailure, type StepId } from './doctorTypes';

/** The first line of an error's message, as a step's evidence shows it. */
export const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

export type Timed<T> = { ok: true; value: T } | { ok: false; kind: 'timeout' | 'cancelled' };

/** Runs one step with its own limit; the step's signal aborts on the limit or the caller's cancel, inside the step. */
export async function timed<T>(ms: number, parent: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<Timed<T>> {
  if (parent?.aborted) return { ok: false, kind: 'cancelled' };
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  parent?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const stop = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => ac.abort(), ms);
    ac.signal.addEventListener('abort', () => resolve({ ok: false, kind: parent?.aborted ? 'cancelled' : 'timeout' }), { once: true });
  });
  try {
    return await Promise.race([fn(ac.signal).then((value): Timed<T> => ({ ok: true, value })), stop]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onAbort);
  }
}

export const NETWORK_WORDS: Record<NetworkFailure, string> = {
  tls: 'TLS failed (the certificate is not the one the kubeconfig trusts, or the name does not match)',
  timeout: 'no answer before the time limit (a private endpoint without a network path, a firewall that drops packets)',
  refused: 'the connection was refused (nothing listens at that address and port)',
  dns: 'the host name does not resolve',
  proxy: 'the proxy-url could not be used',
  reset: 'the connection was reset',
  other: 'the request failed',
};

export class Walk {
  readonly steps: DoctorStep[] = [];
  step(id: StepId): DoctorStep {
    const s: DoctorStep = { id, title: STEP_TITLES[id], status: 'pass', evidence: [], fixes: [] };
    this.steps.push(s);
    return s;
  }
  skipRest() {
    for (const id of Object.keys(STEP_TITLES) as StepId[]) if (!this.steps.some((s) => s.id === id)) this.steps.push({ id, title: STEP_TITLES[id], status: 'skip', evidence: ['Not checked: an earlier step failed.'], fixes: [] });
  }
}

/** The last lines a plugin wrote to stderr, which say why it failed (awscli, aws-vault and SSO errors go there). */
export function stderrTail(stderr: string): string[] {
  return stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).map((l) => `plugin stderr: ${l.slice(0, 300)}`);
}
