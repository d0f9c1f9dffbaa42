import * as vscode from 'vscode';
import type { AwsTarget } from '../core/aws/clients';

export function settings() {
  return vscode.workspace.getConfiguration('eksAuth');
}

export function endpointOverrides(): AwsTarget['endpoints'] {
  const c = settings();
  return {
    eks: c.get<string>('endpoints.eks') || undefined,
    logs: c.get<string>('endpoints.logs') || undefined,
    sts: c.get<string>('endpoints.sts') || undefined,
    iam: c.get<string>('endpoints.iam') || undefined,
  };
}
