/**
 * The aws-auth mapper, as kubernetes-sigs/aws-iam-authenticator `pkg/mapper/configmap/mapper.go` `Map` does it over
 * the store that configmap.go keeps: a role mapping for the caller's canonical ARN, else a user mapping, else an
 * account listed in mapAccounts (`IsAccountAllowed`). The comparisons are `Matches()` (mappingConfig.ts).
 */
import { foldCase } from './arn';
import { loadAwsAuth } from './configMapLoader';
import type { AuthInput, Mapped, Mapper, TraceStep } from './mapper';
import { AwsAuthModel, DecodedItem, SECTION_KEYS } from './mappingConfig';

/** The aws-auth store keyed as `RoleMapping.Matches` / `UserMapping.Matches` compare (Go case folding). */
interface MappingIndex {
  roles: Map<string, DecodedItem>;
  users: Map<string, DecodedItem[]>;
}
const mappingIndexes = new WeakMap<AwsAuthModel, MappingIndex>();

/**
 * The aws-auth mappings the authenticator would consider for a canonical caller ARN, looked up in the keyed store:
 * the role mapping that matches, else every user mapping that matches (more than one only for case variants).
 */
export function mappingsFor(model: AwsAuthModel, canonicalArn: string): { role?: DecodedItem; users: DecodedItem[] } {
  const index = mappingIndex(model);
  const key = foldCase(canonicalArn);
  return { role: index.roles.get(key), users: index.users.get(key) ?? [] };
}

/** The keyed view of a model's store, built once per model (the store is never changed after loading). */
function mappingIndex(model: AwsAuthModel): MappingIndex {
  let index = mappingIndexes.get(model);
  if (!index) {
    index = { roles: new Map(), users: new Map() };
    // SSO matchers have no rolearn and match nothing while SSORoleMatch is off (see mappingMatches).
    for (const r of model.roles) if (r.arn !== '' && !index.roles.has(foldCase(r.arn))) index.roles.set(foldCase(r.arn), r);
    for (const u of model.users) {
      if (u.arn === '') continue;
      const key = foldCase(u.arn);
      const list = index.users.get(key);
      if (list) list.push(u);
      else index.users.set(key, [u]);
    }
    mappingIndexes.set(model, index);
  }
  return index;
}

/** Whether the input is an already loaded model rather than the ConfigMap's `data`. */
export function isAwsAuthModel(v: AuthInput['awsAuth']): v is AwsAuthModel {
  return typeof v === 'object' && v !== null && 'sections' in v && 'roles' in v && typeof (v as AwsAuthModel).accounts === 'object';
}

/** Trace warnings for sections the authenticator dropped whole: nothing in them maps. */
function droppedSections(model: AwsAuthModel): TraceStep[] {
  const steps: TraceStep[] = [];
  for (const s of SECTION_KEYS) {
    const sec = model.sections[s];
    if (sec.error) steps.push({ id: 'configMap', title: `aws-auth ${s} dropped`, outcome: 'warning', detail: `${sec.error.message}: the authenticator ignores the whole ${s} section.` });
    else if (sec.notAList) steps.push({ id: 'configMap', title: `aws-auth ${s} dropped`, outcome: 'warning', detail: `${s} is ${sec.notAList.got === 'object' ? 'a mapping' : `a ${sec.notAList.got}`}, not a list: nothing in it maps.` });
  }
  return steps;
}

const mappingText = (m: DecodedItem) => `${m.arn} (entry ${m.index + 1}): username ${m.username || '(empty)'}, groups ${m.groups.join(', ') || 'none'}.`;

/** The aws-auth mapper: mapRoles, then mapUsers, then mapAccounts, each step in the trace. */
export const configMapMapper: Mapper = (caller, input, result): Mapped | undefined => {
  const model = input.awsAuth === undefined ? undefined : isAwsAuthModel(input.awsAuth) ? input.awsAuth : loadAwsAuth(input.awsAuth);
  if (!model) {
    result.steps.push({ id: 'configMap', title: 'aws-auth', outcome: 'warning', detail: 'kube-system/aws-auth does not exist or could not be read: nothing is mapped from it.' });
    return undefined;
  }
  result.steps.push(...droppedSections(model));
  const p = caller.principal;
  const { role, users } = mappingsFor(model, p.canonical);
  if (role) {
    result.via = 'mapRoles';
    result.mapping = role;
    result.steps.push({ id: 'mapRoles', title: 'aws-auth mapRoles', outcome: 'match', detail: mappingText(role) });
    return { username: role.username, groups: role.groups };
  }
  result.steps.push({ id: 'mapRoles', title: 'aws-auth mapRoles', outcome: 'no-match', detail: `No rolearn equals ${p.canonical}.` });
  if (users.length) {
    const user = users[0];
    result.via = 'mapUsers';
    result.mapping = user;
    if (users.length > 1) result.ambiguous = users;
    const random = ` ${users.length} entries differ only in case; the authenticator picks one at random (entries ${users.map((u) => u.index + 1).join(', ')}).`;
    result.steps.push({ id: 'mapUsers', title: 'aws-auth mapUsers', outcome: users.length > 1 ? 'warning' : 'match', detail: `${mappingText(user)}${users.length > 1 ? random : ''}` });
    return { username: user.username, groups: user.groups };
  }
  result.steps.push({ id: 'mapUsers', title: 'aws-auth mapUsers', outcome: 'no-match', detail: `No userarn equals ${p.canonical}.` });
  if (!model.accounts.has(p.account)) {
    result.steps.push({ id: 'mapAccounts', title: 'aws-auth mapAccounts', outcome: 'no-match', detail: `Account ${p.account} is not listed.` });
    return undefined;
  }
  result.via = 'mapAccounts';
  result.steps.push({ id: 'mapAccounts', title: 'aws-auth mapAccounts', outcome: 'match', detail: `Account ${p.account} is listed: the username is the caller's ARN ${p.canonical}, with no groups.` });
  return { username: p.canonical, groups: [], final: true };
};
