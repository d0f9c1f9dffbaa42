import * as assert from 'assert';
import { followedOnOneLine, someLine, trimTrailing, trimTrailingIndex } from '../../../src/core/linearText';
import { timeOf } from '../helpers';


/** Small strings from pieces that matter: both words, each of ECMAScript's four line terminators, and filler. */
function* randomTexts(pieces: string[], count: number): Generator<string> {
  let seed = 7;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let k = 0; k < count; k++) {
    let s = '';
    for (let i = next(12); i > 0; i--) s += pieces[next(pieces.length)];
    yield s;
  }
}

describe('linear text tests', () => {
  it('answers what /first.*second/ answers, line terminators included (\\n, \\r, U+2028, U+2029 end a line for `.`)', () => {
    const pieces = ['sso', 'SSO', 'expired', 'Invalid', 'x', ' ', '\n', '\r', '\u2028', '\u2029', 's', 'so'];
    let agreed = 0;
    for (const text of randomTexts(pieces, 20_000)) {
      assert.strictEqual(followedOnOneLine(text, /sso/i, /expired|invalid/i), /sso.*(expired|invalid)/i.test(text), JSON.stringify(text));
      agreed++;
    }
    assert.strictEqual(agreed, 20_000);
    assert.strictEqual(followedOnOneLine('sso\u2028expired', /sso/, /expired/), false, 'U+2028 ends the line');
    assert.strictEqual(followedOnOneLine('expired sso', /sso/, /expired/), false, 'order matters');
    assert.strictEqual(someLine('a\r\nb', (l) => l === 'b'), true);
  });

  it('trims a trailing run exactly as replace(/\\/+$/, "") does', () => {
    for (const text of ['', '/', '///', 'https://x/', 'https://x//', 'https://x/y', '/a/', 'a/\n/']) assert.strictEqual(trimTrailing(text, '/'), text.replace(/\/+$/, ''), text);
  });

  it('cuts a final [key] exactly as replace(/\\[[^\\]]*\\]$/, "") does, and in linear time on an address of many [', () => {
    for (const text of randomTexts(['[', ']', 'a', '"', '0', '.'], 20_000)) assert.strictEqual(trimTrailingIndex(text), text.replace(/\[[^\]]*\]$/, ''), JSON.stringify(text));
    assert.strictEqual(trimTrailingIndex('module.eks.aws_eks_cluster.this["prod"]'), 'module.eks.aws_eks_cluster.this');
    const address = (n: number) => `aws_eks_cluster.this["${'['.repeat(n)}"]x`;
    const small = timeOf(() => trimTrailingIndex(address(16384)));
    const large = timeOf(() => trimTrailingIndex(address(65536)));
    assert.ok(large < Math.max(8 * small, 20), `16 KiB ${small.toFixed(2)} ms, 64 KiB ${large.toFixed(2)} ms`);
  });

  it('stays linear on a line of repeated first words ("sso sso ..."), where the regex took quadratic time', () => {
    const text = (n: number) => 'sso '.repeat(n / 4);
    const small = timeOf(() => followedOnOneLine(text(16384), /sso/i, /expired|invalid/i));
    const large = timeOf(() => followedOnOneLine(text(65536), /sso/i, /expired|invalid/i));
    // Four times the input: about four times the time when linear, sixteen when quadratic (npm run bench:shapes prints the figures).
    assert.ok(large < Math.max(8 * small, 20), `16 KiB ${small.toFixed(2)} ms, 64 KiB ${large.toFixed(2)} ms`);
  });

  it('stays linear on a long run of the trimmed character that does not end the text', () => {
    const text = (n: number) => `https://x${'/'.repeat(n)}y`;
    assert.strictEqual(trimTrailing(text(10), '/'), text(10));
    const small = timeOf(() => trimTrailing(text(16384), '/'));
    const large = timeOf(() => trimTrailing(text(65536), '/'));
    assert.ok(large < Math.max(8 * small, 20), `16 KiB ${small.toFixed(2)} ms, 64 KiB ${large.toFixed(2)} ms`);
  });
});
