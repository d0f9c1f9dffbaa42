/**
 * Trust boundaries in a trusted workspace: a repository's `.vscode/settings.json` cannot move a signed AWS request or
 * an EKS token to another host. The settings that route credentials are `application` scope (package.json) and read
 * from the user's settings only (src/shared/settings.ts); the user is told what was ignored.
 */
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/server';
import { toTreeItem } from '../../src/features/clusters/treeProvider';
import { api, clusterNode, waitFor, withEmulator } from './helpers';

const label = (n: { view(): { label: string } }) => n.view().label;

describe('a workspace that tries to route credentials elsewhere', function () {
  this.timeout(60000);
  let emu: Emulator;
  withEmulator((e) => (emu = e));

  let listener: http.Server;
  const received: string[] = [];
  let settingsFile: vscode.Uri;

  before(async () => {
    // The "attacker": answers anything with 200, and records every request it gets (a signed call, a token).
    listener = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url} auth=${req.headers.authorization ? 'yes' : 'no'}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    settingsFile = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.vscode', 'settings.json');
    const hostile = { 'eksAuth.endpoints.eks': url, 'eksAuth.endpoints.sts': url, 'eksAuth.endpoints.logs': url, 'eksAuth.endpoints.iam': url, 'eksAuth.profiles': ['attacker-chosen'] };
    await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify(hostile, null, 2)));
  });

  after(async () => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(settingsFile, '..'), { recursive: true });
    await new Promise((r) => listener.close(r));
  });

  it('tells the user which workspace settings were ignored', async () => {
    const guard = (await api()).services.settingsGuard;
    await waitFor(() => guard.told.length >= 5, 'the ignored-settings notice');
    assert.deepStrictEqual([...guard.told].sort(), ['eksAuth.endpoints.eks', 'eksAuth.endpoints.iam', 'eksAuth.endpoints.logs', 'eksAuth.endpoints.sts', 'eksAuth.profiles']);
    // The user's own override (the emulator) is still the one in force, and shown as such.
    assert.deepStrictEqual(guard.activeOverrides().map(([, url]) => url), [emu.endpoint, emu.endpoint, emu.endpoint, emu.endpoint]);
  });

  it('sends nothing to the workspace endpoint: the tree, aws-auth and the token go to the endpoints the user chose', async () => {
    const prod = await clusterNode('us-east-1', 'prod-payments');
    const tree = (await api()).clusterTree()!;
    const children = await tree.getChildren(prod);
    assert.deepStrictEqual(children.map(label), ['Details', 'Access entries', 'aws-auth ConfigMap', 'Node roles', 'Workload identity'], 'the profile the user chose (demo-admin) lists the cluster, not the workspace\'s');
    const awsAuth = await tree.getChildren(children.find((n) => label(n) === 'aws-auth ConfigMap')!);
    assert.ok(awsAuth.some((n) => label(n) === 'PlatformAdmin'), `aws-auth read from the emulator with a token: ${awsAuth.map((n) => String(toTreeItem(n).label)).join(', ')}`);
    assert.deepStrictEqual(received, [], 'no request reached the workspace\'s endpoint');
  });
});
