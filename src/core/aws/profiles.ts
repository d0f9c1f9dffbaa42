/** AWS profiles from the shared config and credentials files, as the SDK reads them. */
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export interface ProfileInfo {
  name: string;
  region?: string;
  /** Uses IAM Identity Center (SSO): expired sessions need `aws sso login`. */
  sso: boolean;
}

export async function listProfiles(): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)]);
  return [...names]
    .filter((n) => !n.startsWith('sso-session') && !n.startsWith('services'))
    .sort()
    .map((name) => {
      const c = { ...credentialsFile[name], ...configFile[name] } as Record<string, string | undefined>;
      return { name, region: c.region, sso: Boolean(c.sso_session || c.sso_start_url) };
    });
}
