/**
 * The oldest AWS SDK releases that read each mechanism's credentials, from the EKS User Guide pages
 * pod-id-minimum-sdk ("Use pod identity with the AWS SDK") and iam-roles-for-service-accounts-minimum-sdk ("Use IRSA
 * with the AWS SDK"). Go v2 and Rust are released by date (`release-YYYY-MM-DD`).
 */

export interface SdkMinimum {
  podIdentity?: string;
  irsa?: string;
  label: string;
}

export const SDK_MINIMUMS: Record<string, SdkMinimum> = {
  'java-v2': { label: 'Java (version 2)', podIdentity: '2.21.30', irsa: '2.10.11' },
  'java-v1': { label: 'Java', podIdentity: '1.12.746', irsa: '1.11.704' },
  'go-v1': { label: 'Go v1', podIdentity: '1.47.11', irsa: '1.23.13' },
  // "AWS SDK for Go v2 – All versions support" IRSA.
  'go-v2': { label: 'Go v2', podIdentity: 'release-2023-11-14', irsa: 'release-0000-00-00' },
  boto3: { label: 'Python (Boto3)', podIdentity: '1.34.41', irsa: '1.9.220' },
  botocore: { label: 'Python (botocore)', podIdentity: '1.34.41', irsa: '1.12.200' },
  'aws-cli-v1': { label: 'AWS CLI v1', podIdentity: '1.30.0', irsa: '1.16.232' },
  'aws-cli-v2': { label: 'AWS CLI v2', podIdentity: '2.15.0' },
  'js-v2': { label: 'JavaScript v2', podIdentity: '2.1550.0', irsa: '2.525.0' },
  'js-v3': { label: 'JavaScript v3', podIdentity: '3.458.0', irsa: '3.27.0' },
  kotlin: { label: 'Kotlin', podIdentity: '1.0.1' },
  ruby: { label: 'Ruby', podIdentity: '3.188.0', irsa: '3.58.0' },
  rust: { label: 'Rust', podIdentity: 'release-2024-03-13' },
  cpp: { label: 'C++', podIdentity: '1.11.263', irsa: '1.7.174' },
  dotnet: { label: '.NET', podIdentity: '3.7.734.0', irsa: '3.3.659.1' },
  powershell: { label: 'PowerShell', podIdentity: '4.1.502' },
  php: { label: 'PHP', podIdentity: '3.287.1', irsa: '3.110.7' },
};

/** Compares dotted versions numerically, or `release-YYYY-MM-DD` tags by date; a leading `v` is ignored. */
export function compareVersions(a: string, b: string): number {
  const norm = (v: string) => v.trim().replace(/^v/i, '');
  const x = norm(a);
  const y = norm(b);
  if (x.startsWith('release-') || y.startsWith('release-')) return x < y ? -1 : x > y ? 1 : 0;
  const xs = x.split(/[.-]/).map((p) => parseInt(p, 10));
  const ys = y.split(/[.-]/).map((p) => parseInt(p, 10));
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const d = (Number.isNaN(xs[i]) ? 0 : (xs[i] ?? 0)) - (Number.isNaN(ys[i]) ? 0 : (ys[i] ?? 0));
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** `js-v3@3.450.0` into its parts; undefined when there is no `@`. */
export function parseSdk(text: string): { sdk: string; version: string } | undefined {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { sdk: text.slice(0, at).toLowerCase(), version: text.slice(at + 1) };
}
