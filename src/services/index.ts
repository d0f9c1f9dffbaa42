/**
 * The services features share, created once by extension.ts and passed to each feature's activate: features take
 * what they need from here and never import each other.
 */
import type * as vscode from 'vscode';
import { ClusterAccessService } from '../core/clusters/clusterAccess';
import { Connections } from './connections';
import { DocumentClusterContexts } from './documentContexts';

export interface Services {
  log: vscode.LogOutputChannel;
  /** Gateways and credentials per profile and region. */
  connections: Connections;
  /** Clusters, their summaries, access entries and aws-auth, cached and invalidated per cluster. */
  clusters: ClusterAccessService;
  /** Cluster facts for aws-auth documents opened from a cluster. */
  documentContexts: DocumentClusterContexts;
}

export function createServices(log: vscode.LogOutputChannel): Services {
  const connections = new Connections(log);
  return { log, connections, clusters: new ClusterAccessService(connections), documentContexts: new DocumentClusterContexts() };
}

export type { ClusterAccessService, Connections };
