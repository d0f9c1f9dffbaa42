/**
 * Terraform's JSON plan (`terraform show -json PLANFILE`, format 1.x) as hashicorp/terraform
 * `internal/command/jsonplan/plan.go` writes it: the `Change` of each resource (`marshalResourceChange`,
 * `omitUnknowns`, `unknownAsBool`, `actionString`), the `configuration` block (`internal/command/jsonconfig/config.go`)
 * and `prior_state`. Only what the EKS readers (terraformPlan.ts) need is read.
 */

export interface ResourceChange {
  address?: string;
  module_address?: string;
  mode?: string;
  type?: string;
  name?: string;
  deposed?: string;
  action_reason?: string;
  change?: { actions?: string[]; before?: unknown; after?: unknown; after_unknown?: unknown; before_sensitive?: unknown; after_sensitive?: unknown };
}

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Terraform writes nested blocks as lists of objects. */
export const block = (v: unknown): Obj | undefined => obj(Array.isArray(v) ? v[0] : v);
export const blocks = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj).filter((o): o is Obj => !!o) : []);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/**
 * Whether `after_unknown` marks this attribute unknown. `unknownAsBool` writes `true` only for an unknown value; a
 * known map or object becomes a nested object (`{}` when nothing in it is unknown) and a known leaf is omitted.
 */
export const unknownAt = (u: unknown, key: string): boolean => obj(u)?.[key] === true;

export interface Actions {
  creates: boolean;
  deletes: boolean;
  replaced: boolean;
  /** ["forget"]: Terraform drops the object from its state but leaves it in the cluster. */
  forgets: boolean;
}
export const actionsOf = (ch: ResourceChange): Actions => {
  const a = ch.change?.actions ?? [];
  // plan.go: the three replace actions all list "delete", so scanning for it finds every deletion.
  return { creates: a.includes('create'), deletes: a.includes('delete'), replaced: a.includes('delete') && a.includes('create'), forgets: a.includes('forget') };
};

/** The object before and after, as the plan says the cluster will hold it. */
export function sides(ch: ResourceChange): { before?: Obj; after?: Obj; afterUnknown: unknown } {
  const { forgets, creates } = actionsOf(ch);
  const before = obj(ch.change?.before);
  // Forgetting leaves the real object as it was.
  const after = forgets && !creates ? before : obj(ch.change?.after);
  return { before, after, afterUnknown: forgets && !creates ? {} : ch.change?.after_unknown };
}

/**
 * Whether the plan marks an attribute (or anything in it) sensitive. The values are in the plan all the same (plan.go
 * marshals `before`/`after` whole and the sensitivity beside them), so they are compared; the note tells the reader
 * that the report names principals taken from them.
 */
export function sensitive(ch: ResourceChange, key: string): boolean {
  const marked = (v: unknown): boolean => v === true || (Array.isArray(v) ? v.some(marked) : !!obj(v) && Object.values(obj(v)!).some(marked));
  return [ch.change?.before_sensitive, ch.change?.after_sensitive].some((s) => s === true || marked(obj(s)?.[key]));
}

/** The `configuration` resource for a change, to follow its expressions' references (jsonconfig/config.go). */
export function configResource(plan: Obj, ch: ResourceChange): Obj | undefined {
  let mod = obj(obj(plan.configuration)?.root_module);
  const modulePath = (ch.module_address ?? '').match(/module\.[^.[]+/g) ?? [];
  for (const m of modulePath) mod = obj(obj(obj(mod?.module_calls)?.[m.slice('module.'.length)])?.module);
  return blocks(mod?.resources).find((r) => r.type === ch.type && r.name === ch.name && (r.mode ?? 'managed') === (ch.mode ?? 'managed'));
}

/** The resource addresses (in the change's module) an attribute's expression refers to. */
export function referencesOf(plan: Obj, ch: ResourceChange, attribute: string): string[] {
  const refs = strings(obj(obj(configResource(plan, ch)?.expressions)?.[attribute])?.references);
  const prefix = ch.module_address ? `${ch.module_address}.` : '';
  return refs.map((r) => prefix + r);
}

/** The identity Terraform runs as, from data sources read during the plan (prior_state). */
export function applyIdentity(plan: Obj): string | undefined {
  const found: { type: string; values: Obj }[] = [];
  const walk = (m: Obj | undefined) => {
    if (!m) return;
    for (const r of blocks(m.resources)) if (r.mode === 'data' && obj(r.values)) found.push({ type: String(r.type), values: obj(r.values)! });
    blocks(m.child_modules).forEach(walk);
  };
  walk(obj(obj(obj(plan.prior_state)?.values)?.root_module));
  // aws_iam_session_context gives the role behind an assumed-role session (what terraform-aws-eks maps).
  return str(found.find((f) => f.type === 'aws_iam_session_context')?.values.issuer_arn) || str(found.find((f) => f.type === 'aws_caller_identity')?.values.arn);
}

/**
 * The plan in `text` and its resource changes, without data sources and deposed objects; throws an Error saying what
 * is wrong when the text is not a plan in Terraform's JSON format.
 */
export function readJsonPlan(text: string): { plan: Obj; changes: ResourceChange[] } {
  let plan: Obj | undefined;
  try {
    plan = obj(JSON.parse(text));
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message} (write the plan with: terraform show -json PLANFILE > plan.json)`);
  }
  // The format's own rule: ignore unknown properties, reject an unknown major version.
  const version = str(plan?.format_version);
  if (version && !version.startsWith('1.') && version !== '1') throw new Error(`format_version ${version} is not supported (1.x is): upgrade eks-auth, or write the plan with Terraform 1.x`);
  // plan.go writes resource_changes with omitempty: a plan that changes nothing has none, but still has format_version.
  if (!plan || (!Array.isArray(plan.resource_changes) && !version)) throw new Error('no resource_changes: expected the output of terraform show -json PLANFILE');
  // Data sources are read, not changed; a deposed object is an old copy being cleaned up, not the one that stays.
  const changes = ((plan.resource_changes as ResourceChange[] | undefined) ?? []).filter((c) => c.mode !== 'data' && !c.deposed);
  return { plan, changes };
}
