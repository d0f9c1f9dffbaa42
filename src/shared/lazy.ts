/**
 * The AWS SDK and the Kubernetes client are loaded on first use, not at activation: esbuild turns these dynamic
 * imports into lazily evaluated modules inside the bundle.
 */
const loaded = new Set<string>();

export function loadedModules(): string[] {
  return [...loaded];
}

export async function loadEks() {
  loaded.add('eks');
  return import('../core/aws/eksGateway');
}

export async function loadSts() {
  loaded.add('sts');
  return import('../core/aws/stsGateway');
}

export async function loadLogs() {
  loaded.add('logs');
  return import('../core/aws/logsGateway');
}

export async function loadKube() {
  loaded.add('kube');
  return import('../core/aws/kubeGateway');
}

export async function loadProfiles() {
  loaded.add('profiles');
  return import('../core/aws/profiles');
}

export async function loadIam() {
  loaded.add('iam');
  return import('../core/aws/iamGateway');
}
