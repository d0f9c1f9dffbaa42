/**
 * The layering in STYLE.md, as ESLint enforces it (eslint.config.mjs): a feature never imports another feature, by
 * any path; the core never imports vscode, a feature or a service. Each import is linted as if it were in the file
 * named, with the project's own configuration.
 */
import * as assert from 'assert';
import * as path from 'path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../../..');

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, filePath) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint keeps the layers apart', function () {
  this.timeout(30000);

  it('refuses a feature importing another feature, whichever path it takes', async () => {
    for (const spec of ['../insights/panel', '../../features/insights/panel', '../../../src/features/insights/panel']) {
      const messages = await restrictedImports('src/features/access/x.ts', `import { TroubleshootPanel } from '${spec}';\nexport const p = TroubleshootPanel;\n`);
      assert.strictEqual(messages.length, 1, `${spec}: ${messages.join(' | ')}`);
      assert.match(messages[0], /Features never import each other/);
    }
  });

  it('lets a feature import its own modules, the services and shared code', async () => {
    const messages = await restrictedImports('src/features/access/x.ts', "import { a } from './explainCommand';\nimport { b } from '../../services';\nimport { c } from '../../shared/commands';\nimport { d } from '../../core/access/explain';\nexport const all = [a, b, c, d];\n");
    assert.deepStrictEqual(messages, []);
  });

  it('refuses vscode, a feature or a service in the core', async () => {
    const messages = await restrictedImports('src/core/access/x.ts', "import * as vscode from 'vscode';\nimport { a } from '../../features/access/explainCommand';\nimport { b } from '../../services/connections';\nexport const all = [vscode, a, b];\n");
    assert.strictEqual(messages.length, 3, messages.join(' | '));
  });
});
