/**
 * The AWS SDK and the Kubernetes client are loaded on first use, not at activation: esbuild turns these dynamic
 * imports into lazily evaluated modules inside the bundle.
 */
const MODULES = {
  eks: () => import('../core/aws/eksGateway'),
  sts: () => import('../core/aws/stsGateway'),
  logs: () => import('../core/aws/logsGateway'),
  kube: () => import('../core/aws/kubeGateway'),
  profiles: () => import('../core/aws/profiles'),
  iam: () => import('../core/aws/iamGateway'),
  kubeconfig: () => import('../core/kubeconfig/kubeconfig'),
  settledWrite: () => import('../core/kubeconfig/settledWrite'),
  doctor: () => import('../core/kubeconfig/doctor'),
  doctorGateways: () => import('../core/kubeconfig/doctorGateways'),
  workload: () => import('../core/workload/fixGateway'),
};

const loaded = new Set<string>();

export function loadedModules(): string[] {
  return [...loaded];
}

function load<K extends keyof typeof MODULES>(name: K): ReturnType<(typeof MODULES)[K]> {
  loaded.add(name);
  return MODULES[name]() as ReturnType<(typeof MODULES)[K]>;
}

export const loadEks = () => load('eks');
export const loadSts = () => load('sts');
export const loadLogs = () => load('logs');
export const loadKube = () => load('kube');
export const loadProfiles = () => load('profiles');
export const loadIam = () => load('iam');
export const loadKubeconfig = () => load('kubeconfig');
export const loadSettledWrite = () => load('settledWrite');
export const loadDoctor = () => load('doctor');
export const loadDoctorGateways = () => load('doctorGateways');
export const loadWorkload = () => load('workload');
