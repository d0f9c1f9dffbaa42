/**
 * The aws-auth mapping types and their validation, as kubernetes-sigs/aws-iam-authenticator keeps them in
 * `pkg/config/types.go` (RoleMapping, UserMapping, SSOARNMatcher) and `pkg/config/mapper.go` (`Validate()`, `Key()`,
 * `Matches()`). Loading them from the ConfigMap is configMapLoader.ts; finding a caller in them is configMapMapper.ts.
 */
import { equalFold } from './arn';

export type SectionKey = 'mapRoles' | 'mapUsers' | 'mapAccounts';
export const SECTION_KEYS: readonly SectionKey[] = ['mapRoles', 'mapUsers', 'mapAccounts'];

export type Range = [number, number];

/** Where a struct field's value came from in the section text. */
export interface FieldSource {
  key: string;
  keyRange: Range;
  valueRange: Range;
}

export type Field = 'arn' | 'username' | 'groups' | 'sso' | 'userid';

/** One item of mapRoles or mapUsers as `encoding/json` leaves it, and what `Validate()` says. */
export interface DecodedItem {
  section: 'mapRoles' | 'mapUsers';
  index: number;
  range: Range;
  /** `rolearn` or `userarn` ('' when unset). */
  arn: string;
  username: string;
  groups: string[];
  sso?: { permissionSetName: string; accountID: string; partition: string };
  fields: Partial<Record<Field, FieldSource>>;
  /** Source range of each group value (same order as `groups`). */
  groupRanges: Range[];
  /** Keys `encoding/json` ignores: no struct field has that name, in any case. */
  unknownKeys: { key: string; range: Range }[];
  /** Values `encoding/json` could not store: the field keeps its previous value. */
  typeErrors: { field: string; got: string; range: Range; message: string }[];
  /** `Validate()`'s error, as the authenticator logs it: the authenticator drops the entry. */
  dropped?: string;
  /** Which check of `Validate()` dropped the entry, for callers that branch on it (the text above is for people). */
  droppedKind?: DropKind;
  /** The later entry with the same key that replaced this one in the store (roles: lowercased ARN; users: exact). */
  replacedBy?: DecodedItem;
}

export interface SectionModel {
  section: SectionKey;
  /** absent: no such key; skipped: empty after trimming (or `""`, `''`, two backticks); failed: nothing loaded. */
  state: 'absent' | 'skipped' | 'loaded' | 'failed';
  /** A YAML or JSON conversion error: the whole section is dropped. */
  error?: { message: string; position: number };
  /** The section decoded to something other than a list: nothing in it maps. */
  notAList?: { got: string; range: Range };
  items: DecodedItem[];
  accounts: { value: string; range: Range }[];
  /** mapAccounts items go-yaml could not decode into a string (skipped). */
  accountErrors: { message: string; range: Range }[];
  /** What the authenticator logs for this section inside "Errors parsing configmap: [...]". */
  logErrors: string[];
}

export interface AwsAuthModel {
  sections: Record<SectionKey, SectionModel>;
  /** The store after saveMap: valid entries, a later one replacing an earlier one with the same key. */
  roles: DecodedItem[];
  users: DecodedItem[];
  accounts: Set<string>;
  /** The authenticator's warning line, when any section had errors. */
  logLine?: string;
}

const PERMISSION_SET = /^[A-Za-z0-9_+=,.@-]{1,32}$/;
const PARTITION_IDS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/** Which check of `Validate()` failed: no userarn, neither rolearn nor sso, both, or an sso block with a bad field. */
export type DropKind = 'noUserArn' | 'noRoleArnOrSso' | 'roleArnAndSso' | 'invalidSso';

/** `RoleMapping.Validate()` / `UserMapping.Validate()`: which check failed and the text the authenticator logs, or undefined. */
export function validate(item: DecodedItem): { kind: DropKind; message: string } | undefined {
  if (item.section === 'mapUsers') return item.arn === '' ? { kind: 'noUserArn', message: 'value for userarn must be supplied' } : undefined;
  if (item.arn === '' && !item.sso) return { kind: 'noRoleArnOrSso', message: 'one of rolearn or SSO must be supplied' };
  if (item.arn !== '' && item.sso) return { kind: 'roleArnAndSso', message: 'only one of rolearn or SSO can be supplied' };
  if (item.sso) {
    const invalid = (message: string) => ({ kind: 'invalidSso' as const, message });
    if (!/^[0-9]{12}$/.test(item.sso.accountID)) return invalid(`AccountID '${item.sso.accountID}' is not a valid AWS Account ID`);
    if (!PERMISSION_SET.test(item.sso.permissionSetName)) return invalid(`PermissionSetName '${item.sso.permissionSetName}' is not a valid AWS SSO PermissionSet Name`);
    if (item.sso.partition !== '' && !PARTITION_IDS.includes(item.sso.partition)) return invalid(`partition '${item.sso.partition}' is not a valid AWS partition`);
  }
  return undefined;
}

/** The store key (`RoleMapping.Key()` / `UserMapping.Key()`). */
export function storeKey(item: DecodedItem): string {
  if (item.section === 'mapUsers') return item.arn;
  if (item.arn !== '') return item.arn.toLowerCase();
  // SSOArnLike: the partition is "aws" only when none was given (upstream leaves it empty otherwise).
  const partition = item.sso!.partition === '' ? 'aws' : '';
  return `arn:${partition}:iam::${item.sso!.accountID}:role/AWSReservedSSO_${item.sso!.permissionSetName}_*`.toLowerCase();
}

/** Whether an aws-auth entry matches the canonical ARN (`RoleMapping.Matches` / `UserMapping.Matches`). */
export function mappingMatches(item: DecodedItem, canonicalArn: string): boolean {
  // SSO matchers need the SSORoleMatch feature gate, which is off by default (pkg/config/features.go).
  return item.arn !== '' && equalFold(item.arn, canonicalArn.toLowerCase());
}
