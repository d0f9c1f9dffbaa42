import * as vscode from 'vscode';
import { COMMANDS } from '../core/commands';
import type { AccessFix } from '../core/access/explain';
import type { ClusterRef } from '../core/clusters/clusterAccess';

/** The commands that carry out each fix an explanation offers, wherever the explanation is shown. */
const FIX_COMMANDS: Record<AccessFix['kind'] | 'explainAccess', string> = {
  createAccessEntry: COMMANDS.accessEntries.create,
  openAwsAuth: COMMANDS.awsAuth.openFromCluster,
  explainAccess: COMMANDS.access.explain,
};

/**
 * Runs a fix (or the full explanation) through its command, so it behaves as it does from the palette. Every command
 * takes the principal: openAwsAuth opens aws-auth at that principal's mapping, or where a new one goes.
 */
export async function runAccessFix(ref: ClusterRef, kind: AccessFix['kind'] | 'explainAccess', principalArn: string): Promise<unknown> {
  // createAccessEntry answers true when the entry was created.
  return vscode.commands.executeCommand(FIX_COMMANDS[kind], ref, principalArn);
}
