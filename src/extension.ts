/** Creates the shared services once and activates each feature with them; all logic lives in core/ and features/. */
import * as vscode from 'vscode';
import { activate as activateAccess } from './features/access/activation';
import { activate as activateAuthLint } from './features/authLint/activation';
import { activate as activateClusters } from './features/clusters/activation';
import { activate as activateInsights } from './features/insights/activation';
import { activate as activateKubeconfig } from './features/kubeconfig/activation';
import { activate as activateWorkload } from './features/workload/activation';
import { createServices, Services } from './services';
import { createLogger } from './shared/logger';
import { loadedModules } from './shared/lazy';

export interface EksAuthExplorerApi {
  /** Heavy modules (AWS SDK, Kubernetes client) loaded so far. */
  loadedModules(): string[];
  /** The same, when activation finished: it loads none of them. */
  loadedAtActivation: readonly string[];
  /** The explorer's tree provider, for tests and for other extensions that want to read it. */
  clusterTree(): ReturnType<typeof activateClusters> | undefined;
  /** The shared services, for tests. */
  services: Services;
}

export function activate(context: vscode.ExtensionContext): EksAuthExplorerApi {
  const log = createLogger();
  const services = createServices(log, context.globalState);
  context.subscriptions.push(log, services.documentContexts, services.changeSafety, services.settingsGuard);
  let tree: ReturnType<typeof activateClusters> | undefined;
  const features: [string, () => void][] = [
    ['aws-auth language service', () => activateAuthLint(context, services)],
    ['cluster explorer', () => (tree = activateClusters(context, services))],
    ['troubleshooting', () => activateInsights(context, services)],
    ['access explainer and migration', () => activateAccess(context, services)],
    ['kubeconfig doctor', () => activateKubeconfig(context, services)],
    ['workload identity explainer', () => activateWorkload(context, services)],
  ];
  for (const [name, activateFeature] of features) {
    try {
      activateFeature();
    } catch (e) {
      log.error(`Failed to activate the ${name}`, e);
      void vscode.window.showErrorMessage(vscode.l10n.t('EKS Auth Explorer: the {0} failed to start: {1}', name, (e as Error).message));
    }
  }
  log.info('EKS Auth Explorer activated');
  return { loadedModules, loadedAtActivation: loadedModules(), clusterTree: () => tree, services };
}

export function deactivate(): void {}
