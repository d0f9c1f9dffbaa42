/**
 * Command lines quoted per shell, held to shells and tokenizers we did not write:
 * - POSIX: the machine's dash and bash run each line; the program they start must receive exactly the values.
 * - PowerShell: tree-sitter-powershell (installed by scripts/setup-test-host.sh into .test-oracles) parses each line;
 *   it must be one command whose arguments are the values, with no second statement. Where it is missing, the test
 *   says so. There is no PowerShell on Linux here to run the line for real.
 * - cmd.exe: no interpreter or tokenizer is available on this machine; the refusals follow the rules cited in
 *   src/core/shell/commandLine.ts, and the test prints that it had no reference.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commandLine, quoteArgument, shellKindOf, tryCommandLine, UnquotableArgumentError } from '../../../../src/core/shell/commandLine';

const HOSTILE = [
  "x'; calc.exe; '",
  'web;reboot',
  '$(id)',
  '`id`',
  'a b',
  '',
  '-rf',
  '--name=.x',
  '@splat',
  'a,b',
  "it's",
  '\u2019; calc; \u2019',
  '&& whoami',
  '| tee /tmp/x',
  '> /tmp/x',
  '$env:PATH',
  '${IFS}',
  '~root',
  '*',
  'back\\slash',
  'new\nline',
  'tab\there',
  'é-ünïcode',
];

const ROOT = path.resolve(__dirname, '../../../../..');

/** The part of web-tree-sitter's API this test reads. */
interface SyntaxNode {
  type: string;
  text: string;
  hasError: boolean;
  namedChildren: SyntaxNode[];
  descendantsOfType(type: string): SyntaxNode[];
  childForFieldName(name: string): SyntaxNode | null;
  toString(): string;
}
interface TreeSitter {
  Parser: { init(): Promise<void>; new (): { setLanguage(l: unknown): void; parse(text: string): { rootNode: SyntaxNode } | null } };
  Language: { load(path: string): Promise<unknown> };
}

describe('command lines for the shell that reads them', () => {
  const argvScript = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-argv-')), 'argv.js');
  fs.writeFileSync(argvScript, 'process.stdout.write(JSON.stringify(process.argv.slice(2)))');

  for (const sh of ['/bin/sh', '/bin/bash']) {
    it(`hands every hostile value to the program unchanged through ${sh}`, function () {
      if (!fs.existsSync(sh)) {
        console.log(`      (no ${sh} on this machine: POSIX quoting not checked against it)`);
        this.skip();
      }
      const line = commandLine('posix', [process.execPath, argvScript, ...HOSTILE]);
      const run = spawnSync(sh, ['-c', line], { encoding: 'utf8' });
      assert.strictEqual(run.status, 0, run.stderr);
      assert.deepStrictEqual(JSON.parse(run.stdout), HOSTILE);
    });
  }

  it('leaves plain words as they are and quotes everything else for POSIX shells', () => {
    assert.strictEqual(commandLine('posix', ['aws', 'eks', 'update-kubeconfig', '--name', 'prod-web', '--region', 'eu-west-1']), 'aws eks update-kubeconfig --name prod-web --region eu-west-1');
    assert.strictEqual(quoteArgument('posix', "x'; calc.exe; '"), `'x'\\''; calc.exe; '\\'''`);
  });

  it('quotes for PowerShell so that its tokenizer reads one command with exactly these arguments', async function () {
    const oracle = path.join(ROOT, '.test-oracles/node_modules');
    const wasm = path.join(oracle, 'tree-sitter-powershell/tree-sitter-powershell.wasm');
    if (!fs.existsSync(wasm)) {
      console.log('      (tree-sitter-powershell not installed: run scripts/setup-test-host.sh; PowerShell quoting not checked against a tokenizer)');
      this.skip();
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Parser, Language } = require(path.join(oracle, 'web-tree-sitter/web-tree-sitter.cjs')) as TreeSitter;
    await Parser.init();
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
    const passable = HOSTILE.filter((v) => tryCommandLine('powershell', [v]) !== undefined);
    assert.ok(passable.length >= HOSTILE.length - 3, `only newline, tab and similar are refused: ${HOSTILE.filter((v) => !passable.includes(v)).join(' | ')}`);
    for (const value of passable) {
      const line = commandLine('powershell', ['aws', 'eks', 'update-kubeconfig', '--name', value, '--region', 'eu-west-1']);
      const tree = parser.parse(line)!;
      const statements = tree.rootNode.descendantsOfType('pipeline');
      assert.strictEqual(statements.length, 1, `one statement for ${JSON.stringify(value)}: ${line}\n${tree.rootNode.toString()}`);
      assert.ok(!tree.rootNode.hasError, `parses: ${line}`);
      const command = statements[0]!.descendantsOfType('command')[0]!;
      assert.strictEqual(command.childForFieldName('command_name')?.text, 'aws');
      const elements = command.childForFieldName('command_elements')!.namedChildren.filter((n) => n.type !== 'command_argument_sep');
      assert.strictEqual(elements.length, 6, `six arguments for ${JSON.stringify(value)}: ${line}\n${tree.rootNode.toString()}`);
      const name = elements[3]!;
      // The value is one verbatim string (or a bare word with nothing PowerShell would expand).
      const text = name.text;
      if (text.startsWith("'")) {
        assert.ok(name.descendantsOfType('verbatim_string_characters').length === 1, `${line}: ${name.toString()}`);
        assert.strictEqual(text.slice(1, -1).replace(/(['\u2018\u2019\u201a\u201b])\1/g, '$1'), value);
      } else {
        assert.strictEqual(text, value);
        assert.match(value, /^[A-Za-z0-9_+:./-]+$/);
      }
    }
  });

  it('refuses for PowerShell a value it would mangle or break', () => {
    assert.throws(() => quoteArgument('powershell', 'say "hi"'), UnquotableArgumentError);
    assert.throws(() => quoteArgument('powershell', 'new\nline'), UnquotableArgumentError);
    assert.strictEqual(quoteArgument('powershell', "x'; calc.exe; '"), "'x''; calc.exe; '''");
    assert.strictEqual(quoteArgument('powershell', '\u2019; calc; \u2019'), "'\u2019\u2019; calc; \u2019\u2019'");
    assert.strictEqual(commandLine('powershell', ['C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe', 'sso', 'login']), "& 'C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe' sso login");
  });

  it('double-quotes for cmd.exe and refuses what cmd would expand or end early', () => {
    console.log('      (no cmd.exe on this machine: cmd quoting follows the documented rules only)');
    assert.strictEqual(commandLine('cmd', ['aws', 'eks', 'update-kubeconfig', '--name', "x'; calc.exe; '", '--region', 'eu-west-1']), `aws eks update-kubeconfig --name "x'; calc.exe; '" --region eu-west-1`);
    assert.strictEqual(quoteArgument('cmd', 'a & b | c'), '"a & b | c"');
    assert.strictEqual(quoteArgument('cmd', 'a,b'), '"a,b"');
    for (const bad of ['"&calc&"', '%PATH%', '!x!', 'new\nline']) assert.throws(() => quoteArgument('cmd', bad), UnquotableArgumentError, bad);
    assert.strictEqual(tryCommandLine('cmd', ['aws', '%COMSPEC%']), undefined);
  });

  it('knows the shell from its path, and the platform default when none is known', () => {
    const cases: [string | undefined, string, string][] = [
      ['/bin/bash', 'linux', 'posix'],
      ['/usr/bin/zsh', 'darwin', 'posix'],
      ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'win32', 'powershell'],
      ['C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32', 'powershell'],
      ['/usr/local/bin/pwsh', 'linux', 'powershell'],
      ['C:\\Windows\\System32\\cmd.exe', 'win32', 'cmd'],
      ['C:\\Program Files\\Git\\bin\\bash.exe', 'win32', 'posix'],
      [undefined, 'win32', 'powershell'],
      ['', 'linux', 'posix'],
    ];
    for (const [shell, platform, kind] of cases) assert.strictEqual(shellKindOf(shell, platform), kind, `${shell} on ${platform}`);
  });
});
