import * as assert from 'assert';
import { rowsToCsv } from '../../../../src/core/insights/table';

describe('CSV export', () => {
  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas from log lines', () => {
    const csv = rowsToCsv([{ a: 'x,y', b: 'say "hi"', c: '=HYPERLINK("http://evil")', d: 'line\nbreak' }]);
    assert.strictEqual(csv, 'a,b,c,d\n"x,y","say ""hi""","\'=HYPERLINK(""http://evil"")","line\nbreak"\n');
    assert.strictEqual(rowsToCsv([]), '');
  });
});
