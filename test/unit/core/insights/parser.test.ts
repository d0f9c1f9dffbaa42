import * as assert from 'assert';
import { classify, OUTCOMES, parseAuthenticatorLine } from '../../../../src/core/insights/parser';
import { timeOf } from '../../helpers';

const KC_SAMPLE = 'time="2022-05-26T18:55:30Z" level=info msg="access granted" arn="arn:aws:iam::123456789000:user/testuser" client="127.0.0.1:57586" groups="[system:masters]" method=POST path=/authenticate uid="aws-iam-authenticator:123456789000:AROA..." username=kubernetes-admin';

/** One line per outcome, in text form; the JSON form is derived from the same fields. */
const LINES: Record<string, { line: string; fields: Record<string, unknown> }> = {
  granted: { line: KC_SAMPLE, fields: { arn: 'arn:aws:iam::123456789000:user/testuser', username: 'kubernetes-admin', groups: ['system:masters'], client: '127.0.0.1:57586' } },
  'denied-unmapped': { line: 'time="2026-11-28T09:41:35Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/dev-tooling-operator" client="10.0.0.1:1" error="ARN is not mapped: arn:aws:iam::111122223333:role/dev-tooling-operator" method=POST path=/authenticate', fields: { arn: 'arn:aws:iam::111122223333:role/dev-tooling-operator' } },
  'token-expired': { line: 'time="2026-11-28T09:41:35Z" level=warning msg="access denied" client="10.0.0.1:1" error="input token was not properly formatted: X-Amz-Date parameter is expired (15 minute expiration) 2026-11-28 09:41:35 +0000 UTC" method=POST path=/authenticate', fields: {} },
  'token-malformed': { line: 'time="2026-11-28T09:41:35Z" level=warning msg="access denied" client="10.0.0.1:1" error="input token was not properly formatted: input token was not a base64 encoded URL" method=POST path=/authenticate', fields: {} },
  'sts-error': { line: 'time="2026-11-28T09:41:35Z" level=warning msg="access denied" client="10.0.0.1:1" error="sts getCallerIdentity failed: error from AWS (expected 200, got 403)" method=POST path=/authenticate', fields: {} },
  throttled: { line: 'time="2026-11-28T09:41:35Z" level=warning msg="access denied" client="10.0.0.1:1" error="sts getCallerIdentity was throttled: Throttling: Rate exceeded" method=POST path=/authenticate', fields: {} },
  'render-error': { line: 'time="2026-11-28T09:41:35Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/X" client="10.0.0.1:1" error="mapper EKSConfigMap renderTemplates error: error rendering username template \\"system:node:{{EC2PrivateDNSName}}\\": failed" method=POST path=/authenticate', fields: { arn: 'arn:aws:iam::111122223333:role/X' } },
  // An error token verification returns unwrapped (aws-iam-authenticator pkg/token/token.go, "invalid host format,
  // too few labels"), logged by pkg/server/server.go with msg="access denied" like every other denial.
  'denied-other': { line: 'time="2026-11-28T09:41:35Z" level=warning msg="access denied" client="10.0.0.1:1" error="invalid host format, too few labels: sts" method=POST path=/authenticate', fields: { message: 'access denied' } },
  'configmap-error': { line: 'time="2026-11-28T09:41:35Z" level=error msg="Errors parsing configmap: [yaml: line 13: did not find expected key]"', fields: {} },
  other: { line: 'time="2026-11-28T09:41:35Z" level=info msg="STS response" accesskeyid=ASIA accountid=111122223333 arn="arn:aws:sts::111122223333:assumed-role/R/s" client="10.0.0.1:1" session=s userid=AROA:s', fields: { arn: 'arn:aws:sts::111122223333:assumed-role/R/s' } },
};

function toJsonLine(line: string): string {
  const fields: Record<string, unknown> = {};
  for (const m of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) fields[m[1]] = m[2].startsWith('"') ? JSON.parse(m[2]) : m[2];
  if (typeof fields.groups === 'string') fields.groups = (fields.groups as string).replace(/^\[|\]$/g, '').split(' ').filter(Boolean);
  return JSON.stringify(fields);
}

describe('authenticator log parser', () => {
  for (const [outcome, { line, fields }] of Object.entries(LINES)) {
    for (const [format, text] of [['text', line], ['json', toJsonLine(line)]]) {
      it(`reads a ${outcome} line in ${format} form`, () => {
        const e = parseAuthenticatorLine(text);
        assert.strictEqual(e.outcome, outcome);
        assert.strictEqual(e.raw, text);
        for (const [k, v] of Object.entries(fields)) assert.deepStrictEqual((e as unknown as Record<string, unknown>)[k], v, k);
      });
    }
  }

  it('covers every outcome', () => {
    assert.deepStrictEqual(Object.keys(LINES).sort(), [...OUTCOMES].sort());
  });

  it('reads the newer "identity is not mapped" wording and groups with several entries', () => {
    const e = parseAuthenticatorLine('level=warning msg="access denied" arn="arn:aws:iam::1:role/A" error="identity is not mapped"');
    assert.strictEqual(e.outcome, 'denied-unmapped');
    const g = parseAuthenticatorLine('msg="access granted" groups="[system:bootstrappers system:nodes]"');
    assert.deepStrictEqual(g.groups, ['system:bootstrappers', 'system:nodes']);
  });

  it('returns other with the raw text for damaged or hostile lines, never throwing', () => {
    const hostile = ['', '{"msg": ', '}{', 'msg="unterminated', '<script>alert(1)</script>', '\u0000'.repeat(10), 'x='.repeat(50000), '{"msg":["not","a","string"],"groups":7}'];
    for (const line of hostile) {
      const e = parseAuthenticatorLine(line);
      assert.ok(e.outcome === 'other' || typeof e.outcome === 'string');
      assert.strictEqual(e.raw, line);
    }
    assert.strictEqual(parseAuthenticatorLine('<img src=x onerror=alert(1)>').outcome, 'other');
  });
});


describe('authenticator log parser on hostile lines', () => {
  it('reads JSON whose fields are objects, deep arrays or prototype names without throwing', () => {
    const deep = '['.repeat(20000) + ']'.repeat(20000);
    const lines = [
      '{"msg":{"toString":0}}',
      '{"msg":{"toString":0},"error":{"valueOf":1}}',
      `{"msg":"access denied","error":"ARN is not mapped","groups":${deep}}`,
      `{"msg":${deep}}`,
      deep,
      '{"__proto__":{"msg":"access granted"},"constructor":1,"toString":"x"}',
      '{"msg":"access granted","arn":["arn:aws:iam::1:role/x"],"username":{"a":1},"groups":[1,{"g":2},"ok"]}',
    ];
    for (const line of lines) {
      const e = parseAuthenticatorLine(line);
      assert.strictEqual(e.raw, line);
      assert.ok(OUTCOMES.includes(e.outcome));
    }
    assert.strictEqual(parseAuthenticatorLine(lines[0]).message, undefined, 'an object is not a message');
    assert.strictEqual(parseAuthenticatorLine(lines[2]).outcome, 'denied-unmapped', 'the deep field does not hide the rest');
    assert.strictEqual(parseAuthenticatorLine(lines[5]).outcome, 'other', '__proto__ is a field, not a prototype');
    const mixed = parseAuthenticatorLine(lines[6]);
    assert.deepStrictEqual([mixed.outcome, mixed.arn, mixed.username, mixed.groups], ['granted', undefined, undefined, ['ok']]);
  });

  it('reads a 64 KiB line of word characters in linear time', () => {
    const line = (n: number) => 'a'.repeat(n);
    assert.strictEqual(parseAuthenticatorLine(line(65536)).outcome, 'other');
    const small = timeOf(() => parseAuthenticatorLine(line(16384)));
    const large = timeOf(() => parseAuthenticatorLine(line(65536)));
    // Four times the input: about four times the time when linear, sixteen when quadratic (npm run bench:insights prints the figures).
    assert.ok(large < Math.max(8 * small, 20), `16 KiB ${small.toFixed(2)} ms, 64 KiB ${large.toFixed(2)} ms`);
  });

  // The hostile shape of issue 19: an error of repeated "token " (or "expired ") made the old test
  // /token.*expired|expired.*token/ run to the end of the line from every word: 64 KiB lines took about 0.4 s each.
  const hostileLine = (n: number, word: string, json = false) => {
    const head = json ? '{"msg":"access denied","error":"' : 'level=warning msg="access denied" error="';
    const tail = json ? '"}' : '"';
    return head + word.repeat(n / word.length).slice(0, n - head.length - tail.length) + tail;
  };

  for (const word of ['token ', 'expired ']) {
    for (const json of [false, true]) {
      it(`reads 64 KiB ${json ? 'JSON' : 'text'} lines whose error repeats "${word.trim()}" in linear time`, () => {
        const e = parseAuthenticatorLine(hostileLine(65536, word, json));
        assert.strictEqual(e.raw.length, 65536);
        assert.deepStrictEqual([e.message, e.outcome], ['access denied', 'denied-other'], 'one of the two words alone is not an expired token');
        const small = timeOf(() => parseAuthenticatorLine(hostileLine(16384, word, json)));
        const large = timeOf(() => parseAuthenticatorLine(hostileLine(65536, word, json)));
        assert.ok(large < Math.max(8 * small, 20), `16 KiB ${small.toFixed(2)} ms, 64 KiB ${large.toFixed(2)} ms`);
      });
    }
  }

  it('calls a token expired only when both words are on one line of the error, as before', () => {
    // The meaning kept is the old regex's: `.` stops at \n, \r, U+2028 and U+2029 (ECMA-262 LineTerminator).
    const old = (err: string) => /x-amz-date parameter is expired|token.*expired|expired.*token/.test(err.toLowerCase());
    const pieces = ['token', 'TOKEN', 'expired', 'Expired', 'X-Amz-Date parameter is expired', 'tok', 'en', 'exp', 'ired', ' ', 'x', '\n', '\r', '\u2028', '\u2029'];
    let seed = 19;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let k = 0; k < 20_000; k++) {
      let err = '';
      for (let i = next(10); i > 0; i--) err += pieces[next(pieces.length)];
      assert.strictEqual(classify('access denied', err) === 'token-expired', old(err), JSON.stringify(err));
    }
    const json = (error: string) => parseAuthenticatorLine(JSON.stringify({ msg: 'access denied', error })).outcome;
    assert.strictEqual(json('token has expired'), 'token-expired');
    assert.strictEqual(json('expired token'), 'token-expired');
    assert.strictEqual(json('token\nexpired'), 'denied-other', 'a line break between the words');
    assert.strictEqual(json('token\u2028expired'), 'denied-other', 'U+2028 ends a line for `.`');
  });

  it('keeps key=value pairs exactly as before: quoted with escapes, bare, unclosed quotes, keys inside words', () => {
    const e = parseAuthenticatorLine('msg="access denied" error="say \\"hi\\"" arn=arn:aws:iam::1:role/x weird-key=v client="unclosed');
    assert.deepStrictEqual([e.message, e.error, e.arn, e.client], ['access denied', 'say "hi"', 'arn:aws:iam::1:role/x', '"unclosed']);
  });
});
