import * as fs from 'fs';
import * as path from 'path';
import * as assert from 'assert';
import { runCli } from '../../../src/cli/commands';
import { cliIo, configMap } from '../helpers';

const io = (files: Record<string, string>) => cliIo(files);

const BAD = configMap({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/a/B\n  username: b\n' });
const WARN = configMap({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/B\n  username: b\n  groups:\n    - system:masters\n' });

describe('eks-auth CLI', () => {
  it('prints FILE:LINE:COL SEVERITY CODE MESSAGE and exits 1 on errors', async () => {
    const t = io({ 'bad.yaml': BAD });
    assert.strictEqual(await runCli(['lint', 'bad.yaml'], t.io), 1);
    assert.match(t.out.join(''), /^bad\.yaml:8:16 error A11 /m);
  });

  it('exits 0 when there are only warnings', async () => {
    assert.strictEqual(await runCli(['lint', 'w.yaml'], io({ 'w.yaml': WARN }).io), 0);
  });

  it('reads stdin with -', async () => {
    const t = io({ '-': BAD });
    assert.strictEqual(await runCli(['lint', '-'], t.io), 1);
    assert.match(t.out.join(''), /^-:8:16 error A11/m);
  });

  it('prints JSON with 1-based positions and SARIF 2.1.0', async () => {
    const j = io({ 'bad.yaml': BAD });
    await runCli(['lint', '--format', 'json', 'bad.yaml'], j.io);
    const [first] = JSON.parse(j.out.join(''));
    assert.deepStrictEqual([first.file, first.line, first.column, first.endLine, first.code, first.severity], ['bad.yaml', 8, 16, 8, 'A11', 'error']);
    assert.strictEqual(first.endColumn, 16 + 'arn:aws:iam::111122223333:role/a/B'.length);
    const s = io({ 'bad.yaml': BAD });
    await runCli(['lint', '--format=sarif', 'bad.yaml'], s.io);
    const sarif = JSON.parse(s.out.join(''));
    assert.strictEqual(sarif.version, '2.1.0');
    assert.strictEqual(sarif.runs[0].results[0].ruleId, 'A11');
    assert.strictEqual(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 8);
    const rules = sarif.runs[0].tool.driver.rules as { id: string; name: string; helpUri: string; defaultConfiguration: { level: string }; shortDescription: { text: string } }[];
    const a11 = rules.find((r) => r.id === 'A11')!;
    assert.deepStrictEqual([a11.name, a11.defaultConfiguration.level, a11.helpUri], ['A role ARN with a path', 'error', 'docs/rules.md#a11']);
    const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'rules.md'), 'utf8');
    for (const r of rules) assert.ok(doc.includes(`<a id="${r.helpUri.split('#')[1]}"></a>`), `${r.id}'s helpUri has an anchor in docs/rules.md`);
    assert.ok(rules.every((r) => ['error', 'warning', 'note'].includes(r.defaultConfiguration.level) && r.shortDescription.text));
  });

  it('prints 20,000 problems in linear time, one line each', async () => {
    const file = (n: number) => configMap({ mapRoles: Array.from({ length: n }, (_, i) => `- rolearn: arn:aws:iam::111122223333:role/team/R${i}\n  username: r${i}\n`).join('') });
    const run = async (n: number) => {
      const t = io({ 'f.yaml': file(n) });
      const started = process.hrtime.bigint();
      await runCli(['lint', 'f.yaml'], t.io);
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, lines: t.out.join('').split('\n').filter(Boolean).length };
    };
    const small = await run(5_000);
    const large = await run(20_000);
    assert.strictEqual(large.lines, 20_000 + 0, 'one line per A11 problem');
    // Four times the problems: about four times the time when linear (the old position lookup was quadratic).
    assert.ok(large.ms < Math.max(8 * small.ms, 100), `5,000 problems ${small.ms.toFixed(0)} ms, 20,000 ${large.ms.toFixed(0)} ms`);
  });

  it('exits 2 with a message naming an unreadable file, and on usage errors', async () => {
    const t = io({});
    assert.strictEqual(await runCli(['lint', 'missing.yaml'], t.io), 2);
    assert.match(t.err.join(''), /cannot read missing\.yaml/);
    assert.strictEqual(await runCli(['lint', '--format', 'xml', 'x'], io({}).io), 2);
    assert.strictEqual(await runCli(['frobnicate'], io({}).io), 2);
    assert.strictEqual(await runCli([], io({}).io), 2);
  });

  it('parses authenticator logs into one JSON object per line', async () => {
    const t = io({ 'log.txt': 'level=info msg="access granted" arn="arn:aws:iam::1:role/A" groups="[a b]"\n\nlevel=warning msg="access denied" error="identity is not mapped"\n' });
    assert.strictEqual(await runCli(['logs', 'parse', 'log.txt'], t.io), 0);
    const lines = t.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepStrictEqual(lines.map((l) => l.outcome), ['granted', 'other', 'denied-unmapped'], 'the blank line too: object N is line N');
    assert.deepStrictEqual(lines[0].groups, ['a', 'b']);
  });

  it('parses authenticator log lines of 64 KiB whose error repeats "token " in linear time', async () => {
    // Issue 19: 60 such lines took 26 s, as /token.*expired/ ran to the end of the line from every "token".
    const head = 'level=warning msg="access denied" error="';
    const line = (n: number) => `${head}${'token '.repeat(n / 6).slice(0, n - head.length - 1)}"`;
    const run = async (n: number) => {
      const t = io({ 'log.txt': `${line(n)}\n`.repeat(8) });
      const started = process.hrtime.bigint();
      assert.strictEqual(await runCli(['logs', 'parse', 'log.txt'], t.io), 0);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return { ms, outcomes: t.out.join('').trim().split('\n').map((l) => (JSON.parse(l) as { outcome: string }).outcome) };
    };
    await run(16384);
    const small = await run(16384);
    const large = await run(65536);
    assert.deepStrictEqual(large.outcomes, Array(8).fill('denied-other'), 'one object per line; "token" without "expired" is no expired token');
    // Four times the line length: about four times the time when linear, sixteen when quadratic.
    assert.ok(large.ms < Math.max(8 * small.ms, 100), `8 lines of 16 KiB ${small.ms.toFixed(1)} ms, of 64 KiB ${large.ms.toFixed(1)} ms`);
  });

  it('explains access offline from an aws-auth file and saved access entries', async () => {
    const files = {
      'aws-auth.yaml': configMap({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: "dev:{{SessionName}}"\n  groups:\n    - developers\n' }),
      'entries.json': JSON.stringify({ accessEntries: [{ principalArn: 'arn:aws:iam::111122223333:role/Admin', username: 'admin', kubernetesGroups: [] }] }),
    };
    const ok = io(files);
    assert.strictEqual(await runCli(['explain', '--arn', 'arn:aws:sts::111122223333:assumed-role/Dev/jane', '--aws-auth', 'aws-auth.yaml'], ok.io), 0);
    assert.match(ok.out.join(''), /Authenticated by aws-auth mapRoles as dev:jane with groups developers/);
    const json = io(files);
    assert.strictEqual(await runCli(['explain', '--arn', 'arn:aws:iam::111122223333:role/Dev', '--aws-auth', 'aws-auth.yaml', '--access-entries', 'entries.json', '--mode', 'API', '--format', 'json'], json.io), 1);
    const parsed = JSON.parse(json.out.join(''));
    assert.deepStrictEqual([parsed.authenticated, parsed.fix.kind], [false, 'createAccessEntry']);
    assert.strictEqual(await runCli(['explain', '--arn', 'x'], io({}).io), 2);
    const missing = io({});
    assert.strictEqual(await runCli(['explain', '--arn', 'arn:aws:iam::1:role/A', '--aws-auth', 'nope.yaml'], missing.io), 2);
    assert.match(missing.err.join(''), /cannot read nope\.yaml/);
  });

  it('explain --format json keeps authenticated, username and groups, adds the trace, and reads a multi-document file as the cluster object', async () => {
    const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  namespace: default\ndata:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/Dev\n      username: wrong\n';
    const file = `${other}---\n${configMap({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: "dev:{{SessionName}}"\n  groups: [devs]\n' })}---\n? [a, b]\n: c\n`;
    const t = io({ 'all.yaml': file });
    const warnings: string[] = [];
    const warn = process.emitWarning;
    const consoleWarn = console.warn;
    process.emitWarning = ((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning;
    console.warn = (...a: unknown[]) => void warnings.push(a.join(' '));
    try {
      assert.strictEqual(await runCli(['explain', '--arn', 'arn:aws:sts::111122223333:assumed-role/Dev/jane', '--aws-auth', 'all.yaml', '--format', 'json'], t.io), 0);
    } finally {
      process.emitWarning = warn;
      console.warn = consoleWarn;
    }
    const out = JSON.parse(t.out.join(''));
    assert.strictEqual(out.authenticated, true);
    assert.strictEqual(out.username, 'dev:jane', 'the kube-system/aws-auth document is read, not the first one');
    assert.deepStrictEqual(out.groups, ['devs']);
    assert.match(out.trace.log, /^access granted /);
    assert.ok(out.trace.steps.some((s: { id: string }) => s.id === 'mapRoles'));
    assert.deepStrictEqual(warnings, [], 'no library warning reaches the terminal');
    assert.deepStrictEqual(t.err, []);
  });
});
