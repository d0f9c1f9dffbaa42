/**
 * The services features share, created once by extension.ts and passed to each feature's activate: features take
 * what they need from here and never import each other.
 */
import type * as vscode from 'vscode';
import { ClusterAccessService } from '../core/clusters/clusterAccess';
import { ChangeSafety } from './changeSafety';
import { Connections } from './connections';
import { DocumentClusterContexts } from './documentContexts';
import { KubeconfigDoctor } from './kubeconfigDoctor';
import { SettingsGuard } from './settingsGuard';

export interface Services {
  log: vscode.LogOutputChannel;
  /** Gateways and credentials per profile and region. */
  connections: Connections;
  /** Clusters, their summaries, access entries and aws-auth, cached and invalidated per cluster. */
  clusters: ClusterAccessService;
  /** Cluster facts for aws-auth documents opened from a cluster. */
  documentContexts: DocumentClusterContexts;
  /** The before-and-after confirmation every change to cluster access goes through. */
  changeSafety: ChangeSafety;
  /** The user's kubeconfig contexts and the doctor's reports on them. */
  doctor: KubeconfigDoctor;
  /** Keeps credential-routing settings to the user's own, and shows an active endpoint override. */
  settingsGuard: SettingsGuard;
}

/** `state` keeps what should outlive a window (the kubectl contexts' last verdicts). */
export function createServices(log: vscode.LogOutputChannel, state?: vscode.Memento): Services {
  const connections = new Connections(log);
  const clusters = new ClusterAccessService(connections);
  return { log, connections, clusters, changeSafety: new ChangeSafety(log), documentContexts: new DocumentClusterContexts(), doctor: new KubeconfigDoctor(clusters, log, state), settingsGuard: new SettingsGuard(log) };
}

export type { ChangeSafety, ClusterAccessService, Connections, KubeconfigDoctor, SettingsGuard };
