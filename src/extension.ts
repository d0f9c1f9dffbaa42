/** Wires the features together; all logic lives in core/ and each feature's activation. */
import * as vscode from 'vscode';
import { activate as activateAccess } from './features/access/activation';
import { activate as activateAuthLint } from './features/authLint/activation';
import { activate as activateClusters, clusterTree, ClusterTreeProvider } from './features/clusters/activation';
import { activate as activateInsights } from './features/insights/activation';
import { createLogger } from './shared/logger';
import { loadedModules } from './shared/lazy';

export interface EksAuthExplorerApi {
  /** Heavy modules (AWS SDK, Kubernetes client) loaded so far. */
  loadedModules(): string[];
  /** The same, when activation finished: it loads none of them. */
  loadedAtActivation: readonly string[];
  /** The explorer's data, for tests and for other extensions that want to read it. */
  clusterTree(): ClusterTreeProvider | undefined;
}

export function activate(context: vscode.ExtensionContext): EksAuthExplorerApi {
  const log = createLogger();
  context.subscriptions.push(log);
  const features: [string, (c: vscode.ExtensionContext) => void][] = [
    ['aws-auth language service', activateAuthLint],
    ['cluster explorer', activateClusters],
    ['troubleshooting', activateInsights],
    ['access explainer and migration', activateAccess],
  ];
  for (const [name, activateFeature] of features) {
    try {
      activateFeature(context);
    } catch (e) {
      log.error(`Failed to activate the ${name}`, e);
      void vscode.window.showErrorMessage(vscode.l10n.t('EKS Auth Explorer: the {0} failed to start: {1}', name, (e as Error).message));
    }
  }
  log.info('EKS Auth Explorer activated');
  return { loadedModules, loadedAtActivation: loadedModules(), clusterTree: () => clusterTree };
}

export function deactivate(): void {}
