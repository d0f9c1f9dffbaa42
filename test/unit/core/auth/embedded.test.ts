import * as assert from 'assert';
import { isPair, isScalar, parseDocument, Scalar, visit } from 'yaml';
import { embeddedFromScalar, encodeForHost, toHostRange } from '../../../../src/core/auth/embedded';

function scalarOf(host: string): Scalar {
  let found: Scalar | undefined;
  visit(parseDocument(host), {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'mapRoles' && isScalar(pair.value)) found = pair.value;
    },
  });
  assert.ok(found, 'the fixture holds mapRoles');
  return found;
}

/** Each case: a host document and a needle that must map back to itself. */
const CASES: { name: string; host: string; needle: string; exact: boolean }[] = [
  { name: 'literal block |', host: 'data:\n  mapRoles: |\n    - rolearn: arn:a\n      username: u\n', needle: 'username', exact: true },
  { name: 'literal block |-', host: 'data:\n  mapRoles: |-\n    - rolearn: arn:a\n      username: u', needle: 'username', exact: true },
  { name: 'literal block |+ with trailing blank lines', host: 'data:\n  mapRoles: |+\n    - rolearn: arn:a\n      username: u\n\n\nnext: 1\n', needle: 'username', exact: true },
  { name: 'literal block with indentation indicator |4', host: 'data:\n  mapRoles: |4\n      - rolearn: arn:a\n        username: u\n', needle: 'username', exact: true },
  { name: 'literal block with blank line inside', host: 'data:\n  mapRoles: |\n    - rolearn: arn:a\n\n      username: u\n', needle: 'username', exact: true },
  { name: 'literal block deeper nesting', host: 'items:\n  - data:\n      mapRoles: |\n        - rolearn: arn:a\n          username: u\n', needle: 'username', exact: true },
  { name: 'plain one-line scalar', host: 'data:\n  mapRoles: "[]"\n', needle: '[]', exact: true },
  { name: 'double-quoted with \\n escapes', host: 'data:\n  mapRoles: "- rolearn: arn:a\\n  username: u\\n"\n', needle: 'username', exact: true },
  { name: 'double-quoted with \\" and \\u escapes', host: 'data:\n  mapRoles: "- rolearn: \\"arn:\\u0061\\"\\n  username: u\\n"\n', needle: 'username', exact: true },
  { name: "single-quoted with ''", host: "data:\n  mapRoles: '- {rolearn: ''arn:a'', username: u}'\n", needle: 'username', exact: true },
  { name: 'folded block >', host: 'data:\n  mapRoles: >\n    - rolearn: arn:a\n\n    - rolearn: arn:b\n', needle: 'arn:b', exact: false },
  { name: 'multi-line double-quoted', host: 'data:\n  mapRoles: "- rolearn: arn:a\n    username: u"\n', needle: 'username', exact: false },
];

describe('embedded offset map', () => {
  for (const c of CASES) {
    it(`${c.name}: maps embedded offsets back to the host ${c.exact ? 'exactly' : 'as the whole scalar'}`, () => {
      const node = scalarOf(c.host);
      const e = embeddedFromScalar(c.host, node);
      assert.strictEqual(e.text, node.value, 'the embedded text is what YAML parses');
      const at = e.text.indexOf(c.needle);
      assert.ok(at >= 0);
      const range = toHostRange(e, at, at + c.needle.length);
      assert.strictEqual(range.exact, c.exact);
      if (c.exact) assert.strictEqual(c.host.slice(range.offset, range.offset + range.length), c.needle);
      else assert.deepStrictEqual([range.offset, range.offset + range.length], [node.range![0], node.range![1]]);
    });
  }

  it('encodes replacement text for each host style', () => {
    const block = embeddedFromScalar('data:\n  mapRoles: |\n    - a\n', scalarOf('data:\n  mapRoles: |\n    - a\n'));
    assert.strictEqual(encodeForHost(block, 'x\n- y'), 'x\n    - y');
    const dq = embeddedFromScalar('data:\n  mapRoles: "- a"\n', scalarOf('data:\n  mapRoles: "- a"\n'));
    assert.strictEqual(encodeForHost(dq, 'say "hi"\n'), 'say \\"hi\\"\\n');
    const sq = embeddedFromScalar("data:\n  mapRoles: '- a'\n", scalarOf("data:\n  mapRoles: '- a'\n"));
    assert.strictEqual(encodeForHost(sq, "it's"), "it''s");
    assert.strictEqual(encodeForHost(sq, 'two\nlines'), undefined);
  });
});
