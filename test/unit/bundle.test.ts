import * as assert from 'assert';
import * as path from 'path';
import { build, Metafile } from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('extension bundle', function () {
  this.timeout(60000);

  it('loads the AWS SDK and the Kubernetes client only through dynamic imports, so activation stays light', async () => {
    const result = await build({ entryPoints: [path.join(ROOT, 'src/extension.ts')], bundle: true, write: false, metafile: true, platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'silent', absWorkingDir: ROOT });
    const meta = result.metafile as Metafile;
    const eager = new Set<string>();
    const visit = (file: string) => {
      if (eager.has(file) || !meta.inputs[file]) return;
      eager.add(file);
      for (const imp of meta.inputs[file].imports) if (imp.kind !== 'dynamic-import') visit(imp.path);
    };
    visit('src/extension.ts');
    const heavy = [...eager].filter((f) => /node_modules\/(@aws-sdk|@smithy|@kubernetes|@aws-crypto)\//.test(f));
    assert.deepStrictEqual(heavy, [], `statically imported at activation: ${heavy.slice(0, 5).join(', ')}`);
    const all = Object.keys(meta.inputs);
    assert.ok(all.some((f) => f.includes('@aws-sdk/client-eks')), 'the SDK is still in the bundle, behind a dynamic import');
  });
});
