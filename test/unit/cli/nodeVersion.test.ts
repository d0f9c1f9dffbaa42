import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MIN_NODE_MAJOR, unsupportedNode } from '../../../src/cli/nodeVersion';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('eks-auth on an old Node', () => {
  it('refuses Node 20 with its own message, before the AWS SDK can warn', () => {
    assert.strictEqual(unsupportedNode('v20.19.0'), 'eks-auth needs Node.js 22 or later; this is Node.js v20.19.0.\n');
  });

  it('runs on Node 22 and later', () => {
    for (const v of ['v22.0.0', 'v22.23.5', 'v24.22.3', 'v26.12.1']) assert.strictEqual(unsupportedNode(v), undefined, v);
  });

  it('asks for the Node that package.json engines.node and the bundle target (esbuild.mjs) name', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.strictEqual(pkg.engines.node, `>=${MIN_NODE_MAJOR}`);
    const targets = [...fs.readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8').matchAll(/target: 'node(\d+)'/g)].map((m) => Number(m[1]));
    assert.deepStrictEqual([...new Set(targets)], [MIN_NODE_MAJOR]);
  });
});
