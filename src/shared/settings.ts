import * as vscode from 'vscode';
import type { AwsTarget } from '../core/aws/clients';

export function settings() {
  return vscode.workspace.getConfiguration('eksAuth');
}

/**
 * Settings that decide where signed AWS requests and EKS tokens go, or whose credentials (and so which
 * `credential_process`) are used. They are `application` scope in package.json, so VS Code itself ignores them in
 * workspace settings; they are also read here from the user's own settings only, so that no repository's
 * `.vscode/settings.json` can move a credential, whatever VS Code version reads the manifest.
 */
export const USER_ONLY_SETTINGS = ['endpoints.eks', 'endpoints.logs', 'endpoints.sts', 'endpoints.iam', 'profiles'] as const;
export type UserOnlySetting = (typeof USER_ONLY_SETTINGS)[number];

/** The value the user set in their own (global or remote-machine) settings, never a workspace's. */
export function userSetting<T>(key: UserOnlySetting): T | undefined {
  const inspected = settings().inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** The user-only settings that a workspace or folder tries to set: they are ignored, and the user is told. */
export function ignoredWorkspaceSettings(): string[] {
  const ignored: string[] = [];
  for (const key of USER_ONLY_SETTINGS) {
    const inspected = settings().inspect(key);
    if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) ignored.push(`eksAuth.${key}`);
  }
  return ignored;
}

export function endpointOverrides(): AwsTarget['endpoints'] {
  return {
    eks: userSetting<string>('endpoints.eks') || undefined,
    logs: userSetting<string>('endpoints.logs') || undefined,
    sts: userSetting<string>('endpoints.sts') || undefined,
    iam: userSetting<string>('endpoints.iam') || undefined,
  };
}
