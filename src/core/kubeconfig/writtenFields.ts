/**
 * The field names each cluster, user and context entry of a kubeconfig file is written with, every one of them (the
 * parsed model keeps only the fields the doctor reads: `extensions`, `disable-compression`, a user's `as` and
 * the like are dropped). Only names: values (tokens, keys) stay out of it. A fix that replaces a whole entry is
 * judged by them (updateKubeconfigLoss.ts).
 */
import { parse } from 'yaml';

export interface WrittenFields {
  /** The context entry's fields (`cluster`, `user`, `namespace`, `extensions`...). */
  context: string[];
  /** The cluster entry's fields (`server`, `certificate-authority-data`, `proxy-url`...). */
  cluster: string[];
  /** The user entry's fields (`exec`, `token`, `as`...). */
  user: string[];
  /** The exec block's fields (`apiVersion`, `command`, `args`, `env`, `interactiveMode`...). */
  exec: string[];
}

export interface FileFields {
  clusters: Map<string, string[]>;
  users: Map<string, { user: string[]; exec: string[] }>;
  contexts: Map<string, string[]>;
}

const keysOf = (v: unknown): string[] => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);

/** The first entry of each name wins, as in client-go's loader; an unparsable file gives no fields. */
export function fileFields(text: string): FileFields {
  const out: FileFields = { clusters: new Map(), users: new Map(), contexts: new Map() };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return out;
  }
  const list = (key: string): { name?: unknown; [k: string]: unknown }[] => {
    const v = (doc as Record<string, unknown> | null)?.[key];
    return Array.isArray(v) ? v.filter((e): e is { name?: unknown } => !!e && typeof e === 'object') : [];
  };
  for (const e of list('clusters')) if (typeof e.name === 'string' && !out.clusters.has(e.name)) out.clusters.set(e.name, keysOf(e.cluster));
  for (const e of list('users')) if (typeof e.name === 'string' && !out.users.has(e.name)) out.users.set(e.name, { user: keysOf(e.user), exec: keysOf((e.user as { exec?: unknown } | null)?.exec) });
  for (const e of list('contexts')) if (typeof e.name === 'string' && !out.contexts.has(e.name)) out.contexts.set(e.name, keysOf(e.context));
  return out;
}
