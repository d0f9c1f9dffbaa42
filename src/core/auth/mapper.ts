/**
 * What every mapper shares, as kubernetes-sigs/aws-iam-authenticator `pkg/mapper/mapper.go` declares it: the
 * `Mapper` interface (`Map(identity)` gives an identity mapping or `ErrNotMapped`), the backend modes, and the
 * `ErrNotMapped` wording. The mappers are accessEntries.ts (DynamicFile) and configMapMapper.ts (EKSConfigMap);
 * authenticator.ts chains them as `pkg/server/server.go` does.
 */
import type { CanonicalPrincipal } from './arn';
import type { AccessEntryInfo, AccessEntryStore } from './accessEntries';
import type { AwsAuthModel, DecodedItem } from './mappingConfig';

/**
 * The cluster's authentication modes (the SDK's AuthenticationMode enum), in the one order EKS lets a cluster move
 * through them: CONFIG_MAP -> API_AND_CONFIG_MAP -> API.
 */
export const AUTHENTICATION_MODES = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'] as const;
export type AuthenticationMode = (typeof AUTHENTICATION_MODES)[number];
/** Whether a string is one of the modes, for flags and plan values. */
export const isAuthenticationMode = (m: unknown): m is AuthenticationMode => (AUTHENTICATION_MODES as readonly unknown[]).includes(m);

/** The caller as the authenticator sees it after STS GetCallerIdentity. */
export interface Caller {
  /** The ARN STS returned (or the one the user typed). */
  arn: string;
  principal?: CanonicalPrincipal;
  /** Why the ARN cannot be a caller: the authenticator's Canonicalize error. */
  problem?: string;
  /** The session name; undefined when unknown (an IAM role ARN typed without a session). */
  session?: string;
  accessKeyId?: string;
}

export type StepOutcome = 'match' | 'no-match' | 'skipped' | 'info' | 'warning';

export interface TraceStep {
  id: 'caller' | 'mode' | 'accessEntry' | 'configMap' | 'mapRoles' | 'mapUsers' | 'mapAccounts' | 'render' | 'verdict';
  title: string;
  outcome: StepOutcome;
  detail: string;
}

export interface AuthResult {
  caller: Caller;
  mode: AuthenticationMode;
  authenticated: boolean;
  via?: 'access entry' | 'mapRoles' | 'mapUsers' | 'mapAccounts';
  entry?: AccessEntryInfo;
  mapping?: DecodedItem;
  /** mapUsers entries differing only in case all match: which one the authenticator uses is random. */
  ambiguous?: DecodedItem[];
  /** The username and groups before rendering. */
  template?: { username: string; groups: string[] };
  username?: string;
  groups: string[];
  /** Set when rendering depends on something unknown here (the session name, the instance's DNS name). */
  condition?: string;
  steps: TraceStep[];
  /** The line the authenticator logs for this request. */
  log: string;
}

export interface AuthInput {
  mode: AuthenticationMode;
  /** aws-auth `data`, or its loaded model; undefined when the ConfigMap does not exist or was not read. */
  awsAuth?: Record<string, string | undefined> | AwsAuthModel;
  /** The access entries, or their keyed store when many callers are asked about the same entries. */
  accessEntries?: AccessEntryInfo[] | AccessEntryStore;
}

/**
 * `ErrNotMapped`, the error of an `access denied` line when no mapper maps the caller, as each aws-iam-authenticator
 * release words it (read from the tags: `pkg/errutil/errors.go`, before v0.6.14 `pkg/mapper/mapper.go`, before v0.5.0
 * `pkg/server/server.go`). The model writes the current wording; the log parser reads them all.
 */
export const NOT_MAPPED_WORDING: readonly { releases: string; error: string }[] = [
  { releases: 'v0.7.7 and later', error: 'identity is not mapped' },
  { releases: 'v0.6.14 to v0.7.6 (and v0.5.21 and later on the 0.5 line)', error: 'Identity is not mapped' },
  { releases: 'v0.5.0 to v0.5.20, v0.6.0 to v0.6.13', error: 'ARN is not mapped' },
  { releases: 'v0.4.0 and earlier', error: 'ARN is not mapped: <the lower-cased canonical ARN>' },
];

/** Which releases write the log lines the model returns. */
export const LOG_WORDING_RELEASES = NOT_MAPPED_WORDING[0].releases;

/** A caller whose ARN the authenticator could canonicalize: the only kind a mapper is asked about. */
export type MappedCaller = Caller & { principal: CanonicalPrincipal };

/** What a mapper found: the identity before rendering; `final` when it is used as it is (mapAccounts). */
export interface Mapped {
  username: string;
  groups: string[];
  final?: boolean;
}

/**
 * One mapper (`Mapper.Map`): it adds its trace steps and what matched to the result, and returns the identity, or
 * undefined for `ErrNotMapped` so that the next mapper is asked.
 */
export type Mapper = (caller: MappedCaller, input: AuthInput, result: AuthResult) => Mapped | undefined;
