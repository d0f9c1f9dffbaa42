import * as assert from 'assert';
import { OUTCOMES, parseAuthenticatorLine } from '../../../../src/core/insights/parser';
import { runCli } from '../../../../src/cli/commands';
import { seededRandom } from '../../../../scripts/fuzzMutations';

/** Pieces of hostile log lines: quotes, escapes, braces, markup, prototype names, control and astral characters. */
const PIECES = ['"', '\\', '\\"', '=', ' ', '{', '}', '[', ']', ':', ',', 'msg=', 'error=', 'arn=', 'groups=', '"access denied"', '"access granted"', '__proto__', 'toString', '<img src=x onerror=alert(1)>', '\u0000', '\u2028', '😀', '\r', '\t', 'null', 'true', '1e999', '"{{SessionName}}"'];
const SEEDS = [
  'time="2026-11-28T09:41:35Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/x" error="ARN is not mapped"',
  '{"time":"2026-11-28T09:41:35Z","msg":"access granted","arn":"arn:aws:iam::1:role/x","groups":["a"]}',
  'level=info msg="STS response" accesskeyid=ASIA',
];

function hostileLine(random: () => number): string {
  let line = SEEDS[Math.floor(random() * SEEDS.length)];
  for (let s = 0, n = 1 + Math.floor(random() * 6); s < n; s++) {
    const at = Math.floor(random() * (line.length + 1));
    const piece = PIECES[Math.floor(random() * PIECES.length)].repeat(random() < 0.1 ? 500 : 1);
    line = random() < 0.3 ? line.slice(0, at) + line.slice(at + 1 + Math.floor(random() * 5)) : line.slice(0, at) + piece + line.slice(at);
  }
  return line.replace(/\n/g, ' ');
}

describe('authenticator log parser fuzz (seeded)', () => {
  it('gives one event per line, never throws, for 5,000 hostile lines; the CLI prints one JSON object per line', async () => {
    const random = seededRandom(20261201);
    const lines = Array.from({ length: 5000 }, () => hostileLine(random));
    for (const line of lines) {
      const e = parseAuthenticatorLine(line);
      assert.strictEqual(e.raw, line);
      assert.ok(OUTCOMES.includes(e.outcome));
      assert.ok(Array.isArray(e.groups) && e.groups.every((g) => typeof g === 'string'));
    }
    const out: string[] = [];
    const code = await runCli(['logs', 'parse', 'x.log'], { readFile: () => lines.join('\n') + '\n', stdout: (t) => out.push(t), stderr: () => undefined });
    assert.strictEqual(code, 0);
    const printed = out.join('').split('\n').filter(Boolean);
    assert.strictEqual(printed.length, lines.length, 'one JSON object per input line');
    printed.forEach((p, i) => assert.strictEqual(JSON.parse(p).raw, lines[i].replace(/\r$/, '')));
  });
});
