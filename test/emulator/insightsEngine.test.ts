// The emulator's Logs Insights parser on hostile query text: the query is outside input (the demo serves the emulator
// to a browser), so comment lines, pipes and `stats ... by` are found in linear time, with the same reading as before.
import * as assert from 'assert';
import { parseQuery } from '../../emulator/insightsParser';
import { timeOf } from '../unit/helpers';


const kinds = (query: string) => parseQuery(query).stages.map((s) => s.kind);

describe('emulator Logs Insights parser on hostile query text', () => {
  it('drops comment lines and keeps pipes inside strings and regex literals', () => {
    assert.deepStrictEqual(kinds('# a comment | with a pipe\n\n  \t# another\nfields @message\n| filter @message like /a|b/ | limit 5'), ['fields', 'filter', 'limit']);
    assert.deepStrictEqual(kinds('parse @message /(?<x>a|b)/ | filter x = "c|d" | sort x'), ['parse', 'filter', 'sort']);
    const stats = parseQuery('stats count( ) as n, count_distinct( arn ) by bin(5m)').stages[0];
    assert.deepStrictEqual(stats.kind === 'stats' && [stats.aggregates.map((a) => [a.fn, a.field, a.name]), stats.by.map((b) => b.binMs)], [[['count', undefined, 'n'], ['count_distinct', 'arn', 'count_distinct(arn)']], [300_000]]);
  });

  const shapes: [string, (n: number) => string, (query: string) => void][] = [
    ['a run of blank lines before a command', (n) => `${'\n'.repeat(n)}fields @message`, (q) => assert.deepStrictEqual(kinds(q), ['fields'])],
    ['a command of many slashes', (n) => `fields @message${' /'.repeat(n / 2)}`, (q) => assert.deepStrictEqual(kinds(q), ['fields'])],
    ['a run of spaces in stats that is not followed by "by"', (n) => `stats count(*)${' '.repeat(n)}as c`, (q) => assert.deepStrictEqual(kinds(q), ['stats'])],
    ['a run of spaces inside count( )', (n) => `stats count(${' '.repeat(n)}x y)`, (q) => assert.throws(() => parseQuery(q), /unexpected symbol/)],
  ];
  for (const [name, make, check] of shapes) {
    it(`reads ${name} in linear time`, () => {
      check(make(65536));
      const run = (q: string) => () => {
        try {
          parseQuery(q);
        } catch {
          // A malformed query is an answer too; only the time matters here.
        }
      };
      const small = timeOf(run(make(16384)));
      const large = timeOf(run(make(65536)));
      // Four times the input: about four times the time when linear, sixteen when quadratic.
      assert.ok(large < Math.max(8 * small, 20), `16 Ki ${small.toFixed(2)} ms, 64 Ki ${large.toFixed(2)} ms`);
    });
  }
});
