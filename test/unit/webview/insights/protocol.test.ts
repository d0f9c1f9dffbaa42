import * as assert from 'assert';
import { toRowView } from '../../../../src/webview/insights/protocol';

describe('troubleshooting rows', () => {
  it('turns every row into a row view, hostile ones included, keyed by its @ptr', () => {
    const deep = '['.repeat(20000) + ']'.repeat(20000);
    const rows: [string, string, string][] = [
      ['2026-12-01 09:00:00.000', '{"msg":{"toString":0}}', 'ptr-1'],
      ['2026-12-01 09:00:01.000', `{"msg":"access denied","arn":${deep}}`, 'ptr-2'],
      ['2026-12-01 09:00:02.000', 'a'.repeat(70000), 'ptr-3'],
      ['2026-12-01 09:00:03.000', 'level=warning msg="access denied" arn="arn:aws:iam::1:role/<img src=x onerror=alert(1)>" error="ARN is not mapped"', 'ptr-4'],
    ];
    const views = rows.map(toRowView);
    assert.deepStrictEqual(views.map((v) => v.ptr), ['ptr-1', 'ptr-2', 'ptr-3', 'ptr-4']);
    // The deep ARN is no text, but the line still says "access denied": a denial, for a reason the row cannot name.
    assert.deepStrictEqual(views.map((v) => v.outcome), ['other', 'denied-other', 'other', 'denied-unmapped']);
    assert.strictEqual(views[3].arn, 'arn:aws:iam::1:role/<img src=x onerror=alert(1)>', 'kept as text; the webview writes it with textContent');
    assert.strictEqual(views[0].time, '2026-12-01 09:00:00.000');
  });

  it('marks a row denied as the summary does (msg="access denied"), whatever the error says', () => {
    const views = (
      [
        ['', 'level=warning msg="access denied" client="10.0.0.1:1" error="invalid host format, too few labels: sts"', 'a'],
        ['', '{"level":"warning","msg":"access denied","arn":"arn:aws:iam::1:role/A","error":"identity is not mapped"}', 'b'],
        ['', 'level=info msg="access granted" arn="arn:aws:iam::1:role/B"', 'c'],
        ['', 'level=error msg="Errors parsing configmap: [yaml: line 3]" arn="arn:aws:iam::1:role/C"', 'd'],
      ] as [string, string, string][]
    ).map(toRowView);
    assert.deepStrictEqual(views.map((v) => [v.denied, v.outcome, v.outcomeLabel]), [
      [true, 'denied-other', 'denied: other reason'],
      [true, 'denied-unmapped', 'denied: not mapped'],
      [false, 'granted', 'granted'],
      [false, 'configmap-error', 'aws-auth parse error'],
    ]);
  });
});
