// Drives the real VS Code UI (code-server in Debian's Chromium) like a person: the explorer, the aws-auth
// squiggles and quick fix, and the troubleshooting panel. Saves screenshots under test-results/.
import assert from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, launchBrowser, openWorkbench, quickOpen } from '../../scripts/lib/host.mjs';
import { startDemo } from '../../scripts/lib/demo.mjs';

const RESULTS = path.join(ROOT, 'test-results');

describe('UI end-to-end (real VS Code in Chromium)', function () {
  this.timeout(180000);
  let demo;
  let browser;
  let page;

  before(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    demo = await startDemo();
    browser = await launchBrowser();
    page = await openWorkbench(browser, demo.url, { width: 1440, height: 900 });
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(RESULTS, `failure-${this.currentTest.title.replace(/\W+/g, '-')}.png`) });
  });

  const row = (text) => page.locator('.monaco-list-row', { hasText: text }).first();

  async function runCommand(title) {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(title);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
  }

  async function pick(label) {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  }

  it('shows the clusters with their authentication modes in the activity bar view', async () => {
    await page.locator('.activitybar [aria-label^="EKS Auth Explorer"]').first().click();
    await row('prod-payments').waitFor({ timeout: 60000 });
    // Widen the side bar, as a person would, so the descriptions are readable in the screenshot.
    const bar = await page.locator('.part.sidebar').boundingBox();
    await page.mouse.move(bar.x + bar.width + 1, bar.y + 300);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width + 420, bar.y + 300, { steps: 8 });
    await page.mouse.up();
    assert.match(await row('prod-payments').innerText(), /API_AND_CONFIG_MAP/);
    assert.match(await row('legacy-batch').innerText(), /CONFIG_MAP/);
    await row('prod-payments').click();
    await row('Access entries').click();
    await row('Developer').waitFor();
    await row('Developer').click();
    await row('AmazonEKSEditPolicy').waitFor();
    assert.match(await row('AmazonEKSEditPolicy').innerText(), /namespaces: payments, payments-staging/);
    await row('Node roles').click();
    await row('node group windows').waitFor();
    assert.match(await row('node group windows').innerText(), /NOT mapped/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(RESULTS, 'explorer.png') });
    const wide = await page.locator('.part.sidebar').boundingBox();
    await page.mouse.move(wide.x + wide.width + 1, wide.y + 300);
    await page.mouse.down();
    await page.mouse.move(wide.x + wide.width - 420, wide.y + 300, { steps: 8 });
    await page.mouse.up();
  });

  it('marks aws-auth mappings that never match and offers the fix for a node role that cannot join, in an 850 px window', async () => {
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 850, height: viewport.height });
    try {
      await row('aws-auth ConfigMap').click();
      // The demo maps an IAM Identity Center role with its aws-reserved path: rule A12, it never matches.
      const never = page.locator('.monaco-list-row', { hasText: 'never matches (A12)' }).first();
      await never.waitFor({ timeout: 30000 });
      await page.locator('.monaco-list-row', { hasText: /aws-auth ConfigMap.*never match/ }).first().waitFor();
      await row('node group windows').hover();
      const fix = row('node group windows').locator('[aria-label="Let This Node Role Join..."]');
      await fix.waitFor({ timeout: 10000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(RESULTS, 'explorer-850.png') });
    } finally {
      await page.setViewportSize(viewport);
    }
  });

  it('underlines aws-auth mistakes and fixes one with a quick fix', async () => {
    await quickOpen(page, 'aws-auth-mistakes.yaml');
    await page.locator('.squiggly-error').first().waitFor({ timeout: 30000 });
    const errorsBefore = await page.locator('.squiggly-error').count();
    await page.locator('.view-line', { hasText: 'role/teams/Deployer' }).first().click();
    await page.keyboard.press('End');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Use arn:aws:iam::111122223333:role/Deployer' });
    // On VS Code 1.139 a Ctrl+. pressed as the cursor lands has been seen to open nothing, the light bulb already
    // up (test-results/failure-*.png); a person presses it again.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await fix.waitFor({ timeout: 5000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await page.screenshot({ path: path.join(RESULTS, 'aws-auth-lint.png') });
    await page.keyboard.press('Enter');
    await page.locator('.view-line', { hasText: 'role/Deployer' }).first().waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('.squiggly-error').length < n, errorsBefore, { timeout: 15000 });
  });

  it('runs the troubleshooting query and renders hostile log lines as text', async () => {
    await runCommand('EKS: Troubleshoot Authentication');
    await pick('us-east-1');
    await pick('prod-payments');
    await pick('Last hour');
    await page.locator('.tab', { hasText: 'last hour' }).waitFor({ timeout: 30000 });
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview.locator('.row').first().waitFor({ timeout: 60000 });
    await webview.locator('.meta-value', { hasText: 'Complete' }).waitFor({ timeout: 30000 });
    assert.match(await webview.locator('#title').innerText(), /prod-payments/);
    await webview.locator('#filter').fill('onerror');
    await webview.locator('#count', { hasText: '1 of 15 rows' }).waitFor();
    await webview.locator('.row button', { hasText: 'raw' }).first().click();
    const raw = await webview.locator('pre.raw').innerText();
    assert.match(raw, /<script>alert/, 'the markup shows as text');
    const injected = await webview.locator('#rows script, #rows img, #rows iframe, #rows [onerror], #rows a[href^="javascript"]').count();
    assert.strictEqual(injected, 0, 'no element came from the log line');
    await webview.locator('#filter').fill('');
    const denied = webview.locator('.row', { hasText: 'AWSReservedSSO_Developers' }).first();
    await denied.locator('button', { hasText: 'Explain' }).click();
    await webview.locator('.verdict').waitFor({ timeout: 20000 });
    assert.match(await webview.locator('.near-miss').first().innerText(), /path/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(RESULTS, 'troubleshoot.png') });
  });

  it('keeps an explanation through scrolling and re-rendering, and sorts the grid from the keyboard', async () => {
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const verdict = webview.locator('.verdict');
    await verdict.waitFor({ timeout: 20000 });
    const explained = await verdict.innerText();
    // Scrolling and filtering rebuild every visible row: the explanation must come back with its row.
    await webview.locator('#scroller').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event('scroll'));
    });
    await webview.locator('#scroller').evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await verdict.waitFor({ timeout: 5000 });
    await webview.locator('#filter').fill('AWSReservedSSO_Developers');
    await webview.locator('#filter').fill('');
    await verdict.waitFor({ timeout: 5000 });
    assert.strictEqual(await verdict.innerText(), explained);

    const grid = webview.locator('[role="grid"]');
    assert.strictEqual(await grid.getAttribute('aria-rowcount'), '16', 'a header row and 15 rows');
    assert.strictEqual(await webview.locator('[role="grid"] [role="row"][aria-rowindex="2"] [role="gridcell"]').count() >= 6, true);
    const outcomeHeader = webview.locator('[role="columnheader"][data-sort="outcomeLabel"]');
    const outcomes = async () => webview.locator('.row .col-outcomeLabel').allInnerTexts();
    await outcomeHeader.locator('button').focus();
    await page.keyboard.press('Enter');
    await webview.locator('[role="columnheader"][data-sort="outcomeLabel"][aria-sort="ascending"]').waitFor({ timeout: 5000 });
    const ascending = await outcomes();
    assert.deepStrictEqual(ascending, [...ascending].sort(), 'rows sorted by outcome, ascending');
    assert.strictEqual(await webview.locator('[role="columnheader"][data-sort="time"]').getAttribute('aria-sort'), 'none');
    await page.keyboard.press('Space');
    await webview.locator('[role="columnheader"][data-sort="outcomeLabel"][aria-sort="descending"]').waitFor({ timeout: 5000 });
    const descending = await outcomes();
    assert.deepStrictEqual(descending, [...ascending].sort().reverse(), 'Space on the focused header reverses the order');
  });

  it('draws the range on a timeline and shows only the interval dragged across it', async () => {
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview.locator('#timeline canvas').waitFor({ timeout: 30000 });
    assert.match(await webview.locator('#summary-title').innerText(), /\d+ granted, \d+ denied, per 1m/);
    assert.ok((await webview.locator('#summary-denied li').count()) > 0, 'the principals denied most are listed');
    const over = webview.locator('#timeline .u-over');
    const box = await over.boundingBox();
    // Drag across the last fifth of the hour: only the newest events stay.
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await webview.locator('#clear-window:not([hidden])').waitFor({ timeout: 5000 });
    const narrowed = await webview.locator('#count').innerText();
    const shown = Number(/^(\d+) of 15/.exec(narrowed)?.[1]);
    assert.ok(shown < 15, `the interval shows fewer rows: ${narrowed}`);
    await page.screenshot({ path: path.join(RESULTS, 'troubleshoot-timeline.png') });
    await webview.locator('#clear-window').click();
    await webview.locator('#count', { hasText: '15 of 15 rows' }).waitFor({ timeout: 5000 });
  });

  it('fits an editor 850 px wide: the Explain column on screen, one scroll area, readable chips named as the rows, a time range from the keyboard', async () => {
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const viewport = page.viewportSize();
    const editorWidth = async () => (await page.locator('iframe.webview.ready').boundingBox()).width;
    await page.setViewportSize({ width: Math.round(viewport.width + 850 - (await editorWidth())), height: viewport.height });
    try {
      await page.waitForFunction(() => Math.abs(document.querySelector('iframe.webview.ready').getBoundingClientRect().width - 850) < 4, null, { timeout: 10000 });
      await page.waitForTimeout(500);
      const layout = await webview.locator('body').evaluate(() => {
        const right = (sel) => Math.max(...[...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect().right));
        const root = document.documentElement;
        return {
          width: root.clientWidth,
          height: root.clientHeight,
          scrollWidth: Math.max(root.scrollWidth, document.body.scrollWidth),
          scrollHeight: document.body.scrollHeight,
          actionsRight: right('.row .col-actions .explain'),
          summaryHeight: document.getElementById('summary').getBoundingClientRect().height,
        };
      });
      assert.ok(Math.abs(layout.width - 850) < 30, `the webview is ${layout.width} px wide`);
      assert.ok(layout.scrollWidth <= layout.width, `no horizontal scrollbar: ${layout.scrollWidth} px of content in ${layout.width}`);
      assert.ok(layout.actionsRight <= layout.width, `the Explain buttons end at ${layout.actionsRight} px, inside ${layout.width}`);
      assert.ok(layout.summaryHeight < layout.height / 3, `the summary takes ${layout.summaryHeight} of ${layout.height} px`);
      assert.ok(layout.scrollHeight <= layout.height + 1, 'the page does not scroll: only the rows do');
      // One label per outcome: every outcome a row shows has a chip of the same name, readable on its background.
      const chips = await webview.locator('#chips .chip').allInnerTexts();
      for (const label of new Set(await webview.locator('.row .col-outcomeLabel').allInnerTexts())) assert.ok(chips.some((c) => c.startsWith(`${label} `)), `a chip for "${label}" among ${chips.join(' | ')}`);
      const contrast = await webview.locator('#chips .chip').first().evaluate((chip) => {
        const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((t, v, i) => t + v * [0.2126, 0.7152, 0.0722][i], 0);
        const style = chip.ownerDocument.defaultView.getComputedStyle(chip);
        const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      });
      assert.ok(contrast >= 4.5, `chip text contrast ${contrast.toFixed(2)}:1 (WCAG AA asks 4.5:1)`);
      // The timeline from the keyboard: the newest interval, widened by ten, then the whole range again.
      await webview.locator('#timeline').focus();
      await page.keyboard.press('ArrowLeft');
      for (let i = 0; i < 10; i++) await page.keyboard.press('Shift+ArrowLeft');
      await webview.locator('#clear-window:not([hidden])').waitFor({ timeout: 5000 });
      assert.match(await webview.locator('#timeline-status').innerText(), /^Showing \d{4}-\d\d-\d\d \d\d:\d\d to /);
      const shown = Number(/^(\d+) of 15/.exec(await webview.locator('#count').innerText())?.[1]);
      assert.ok(shown < 15, `the last eleven minutes show ${shown} of the 15 rows`);
      await page.screenshot({ path: path.join(RESULTS, 'troubleshoot-850.png') });
      await page.keyboard.press('Escape');
      await webview.locator('#count', { hasText: '15 of 15 rows' }).waitFor({ timeout: 5000 });
    } finally {
      await page.setViewportSize(viewport);
    }
  });

  it('tails the authenticator log live: an event written now appears as a row', async () => {
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview.locator('#tail').click();
    await webview.locator('#tail-status', { hasText: 'Live:' }).waitFor({ timeout: 30000 });
    const { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const scenario = JSON.parse(fs.readFileSync(path.join(ROOT, 'emulator/scenarios/demo.json'), 'utf8'));
    const [admin] = scenario.identities;
    const logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: demo.endpoint, credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey } });
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/aws/eks/prod-payments/cluster', logStreamName: 'authenticator-e2e' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/aws/eks/prod-payments/cluster', logStreamName: 'authenticator-e2e', logEvents: [{ timestamp: Date.now(), message: 'time="2026-12-01T11:00:00Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/LiveVisitor" client="10.0.9.9:4242" error="ARN is not mapped"' }] }));
    await webview.locator('.row', { hasText: 'LiveVisitor' }).waitFor({ timeout: 15000 });
    await webview.locator('#tail-status', { hasText: 'Live: 1 event' }).waitFor({ timeout: 5000 });
    await webview.locator('#tail').click();
    await webview.locator('#tail', { hasText: 'Tail live' }).waitFor({ timeout: 10000 });
  });

  it('restores the troubleshooting panel after a window reload', async () => {
    // Wait for the reload itself: the old workbench (and its restored-looking panel) is still there until it starts.
    const reloaded = page.waitForEvent('load', { timeout: 90000 });
    await runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview.locator('.meta-value', { hasText: 'Complete' }).waitFor({ timeout: 90000 });
    assert.match(await webview.locator('#title').innerText(), /prod-payments/);
    assert.ok((await webview.locator('.row').count()) > 5, 'the rows are back');
    await webview.locator('.verdict').waitFor({ timeout: 20000 });
    assert.match(await webview.locator('.verdict').innerText(), /Unauthorized/, 'the open explanation is back too, from the webview state');
    assert.strictEqual(await webview.locator('[role="columnheader"][data-sort="outcomeLabel"]').getAttribute('aria-sort'), 'descending', 'and the sort order');
  });

  it('explains why a principal can or cannot get in, step by step', async () => {
    await runCommand('View: Close All Editors');
    await runCommand('EKS: Explain Access for Principal...');
    await pick('eu-west-1');
    await pick('staging-web');
    await pick('Enter an IAM or STS ARN...');
    await page.locator('.quick-input-widget', { hasText: 'STS assumed-role or SSO role ARN' }).waitFor();
    const input = page.locator('.quick-input-widget input');
    await input.fill('arn:aws:sts::111122223333:assumed-role/Developer/alice');
    await input.press('Enter');
    const preview = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
    await preview.locator('h1', { hasText: 'Access for arn:aws:sts::111122223333:assumed-role/Developer/alice on staging-web' }).waitFor({ timeout: 60000 });
    assert.match(await preview.locator('body').innerText(), /Authenticated by aws-auth mapRoles as dev with groups developers/);
    assert.match(await preview.locator('body').innerText(), /developers-view/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(RESULTS, 'explain-access.png') });
  });
  it('marks which demo service accounts get their IAM role, and walks a broken one through the chain', async () => {
    await runCommand('View: Close All Editors');
    // Clicking the activity bar item of a side bar already showing would hide it.
    if (!(await page.locator('.part.sidebar').isVisible())) await page.locator('.activitybar [aria-label^="EKS Auth Explorer"]').first().click();
    // Fold what earlier tests opened so the cluster's Workload identity group is on screen (the tree is virtualised).
    const setExpanded = async (text, open) => {
      const r = row(text);
      if ((await r.getAttribute('aria-expanded')) !== String(open)) await r.click();
    };
    for (const group of ['Access entries', 'Node roles', 'aws-auth ConfigMap']) if (await row(group).count()) await setExpanded(group, false);
    await setExpanded('prod-payments', true);
    await setExpanded('Workload identity', true);
    await row('Pod Identity associations').waitFor({ timeout: 60000 });
    await setExpanded('Pod Identity associations', true);
    await setExpanded('IRSA service accounts', true);
    await row('workload-demo/podid-works').waitFor();
    const bar = await page.locator('.part.sidebar').boundingBox();
    await page.mouse.move(bar.x + bar.width + 1, bar.y + 300);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width + 420, bar.y + 300, { steps: 8 });
    await page.mouse.up();
    assert.match(await row('workload-demo/podid-works').innerText(), /works for new pods/);
    assert.match(await row('workload-demo/podid-no-tagsession').innerText(), /broken: Trust policy/);
    assert.match(await row('workload-demo/irsa-wrong-namespace').innerText(), /broken/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(RESULTS, 'workload-identity.png') });

    await runCommand('EKS: Explain Workload Identity...');
    await pick('us-east-1');
    await pick('prod-payments');
    // The demo lists every service account and pod: filter as a person would.
    const filter = page.locator('.quick-input-widget input[placeholder^="Which service account or pod"]');
    await filter.waitFor({ timeout: 30000 });
    await filter.fill('podid-no-tagsession');
    await pick('workload-demo/podid-no-tagsession');
    const preview = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
    await preview.locator('h1', { hasText: 'Workload identity of workload-demo/podid-no-tagsession' }).waitFor({ timeout: 60000 });
    const report = await preview.locator('body').innerText();
    assert.match(report, /FAIL Trust policy of arn:aws:iam::111122223333:role\/workload-podid-no-tagsession/);
    assert.match(report, /sts:TagSession/);
    assert.match(report, /Fixes offered\s+Update the trust policy of arn:aws:iam::111122223333:role\/workload-podid-no-tagsession/);
    // The fix is offered in a notification; newer VS Code may hide its toast once shown, so the report above is the check.
    await page.locator('.notification-toast', { hasText: 'does not get its role' }).waitFor({ timeout: 5000 }).catch(() => undefined);
    // The reading's progress notification is gone once the explanation is shown.
    await page.locator('.notification-toast', { hasText: 'Explaining the workload identity' }).waitFor({ state: 'hidden', timeout: 10000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(RESULTS, 'workload-explain.png') });
    await page.keyboard.press('Escape');
    const wide = await page.locator('.part.sidebar').boundingBox();
    await page.mouse.move(wide.x + wide.width + 1, wide.y + 300);
    await page.mouse.down();
    await page.mouse.move(wide.x + wide.width - 420, wide.y + 300, { steps: 8 });
    await page.mouse.up();
  });

  it("walks the user's own kubectl contexts through the six steps and shows each verdict", async () => {
    await runCommand('View: Close All Editors');
    await runCommand('EKS: Diagnose kubectl Access');
    await pick('All contexts');
    const preview = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
    await preview.locator('h1', { hasText: 'kubectl access, context by context' }).waitFor({ timeout: 90000 });
    const text = await preview.locator('body').innerText();
    assert.match(text, /OK prod-payments-admin \(current context\)/);
    assert.match(await preview.locator('table tr').nth(1).innerText(), /FAIL/, 'the summary table lists failing contexts first');
    assert.match(text, /FAIL prod-payments-v1alpha1/);
    assert.match(text, /v1alpha1 was removed in Kubernetes 1\.24/);
    assert.match(text, /FAIL prod-payments-sso-expired/);
    assert.match(text, /FAIL prod-payments-data-scientist[\s\S]*401 Unauthorized/);
    // The kubectl Contexts view (folded until the user opens it) shows the same verdicts; the cluster view is folded to make room.
    await page.locator('.pane-header', { hasText: 'Clusters' }).first().click();
    await page.locator('.pane-header', { hasText: 'kubectl Contexts' }).first().click();
    await row('prod-payments-v1alpha1').waitFor({ timeout: 30000 });
    assert.match(await row('prod-payments-v1alpha1').innerText(), /v1alpha1 was removed/);
    await row('prod-payments-data-scientist').click();
    await row('5. An access entry or aws-auth maps').waitFor({ timeout: 10000 });
    const bar = await page.locator('.part.sidebar').boundingBox();
    if (bar.width < 600) {
      await page.mouse.move(bar.x + bar.width + 1, bar.y + 300);
      await page.mouse.down();
      await page.mouse.move(bar.x + 640, bar.y + 300, { steps: 8 });
      await page.mouse.up();
    }
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(RESULTS, 'kubectl-doctor.png') });
  });

  it('opens the getting-started walkthrough with its steps, each with its guide', async () => {
    await runCommand('View: Close All Editors');
    // Room for the steps' media beside them, which VS Code leaves out of a narrow editor.
    await runCommand('View: Close Primary Side Bar');
    if (await page.locator('.part.auxiliarybar').isVisible()) await runCommand('View: Hide Secondary Side Bar');
    await runCommand('Welcome: Open Walkthrough...');
    await pick('From no credentials to a working kubectl on EKS');
    const step = (title) => page.locator('.gettingStartedContainer button.getting-started-step', { hasText: title }).first();
    for (const title of ['Configure an AWS profile', 'Sign in with IAM Identity Center', 'Write a kubeconfig context', 'Check kubectl access']) await step(title).waitFor({ timeout: 30000 });
    // A step's media is our markdown (docs/walkthrough/*.md), which VS Code renders in a webview over the editor.
    const shown = async (text) => {
      for (const end = Date.now() + 30000; Date.now() < end; await page.waitForTimeout(500)) {
        for (const frame of page.frames()) {
          const body = await frame.locator('body').innerText({ timeout: 500 }).catch(() => '');
          if (body.includes(text)) return;
        }
      }
      assert.fail(`no walkthrough media shows "${text}"`);
    };
    await step('Configure an AWS profile').click();
    await shown('does not sign in to EKS itself');
    await step('Check kubectl access').click();
    const diagnose = fs.readFileSync(path.join(ROOT, 'docs/walkthrough/diagnose.md'), 'utf8').split('\n').find((l) => l && !l.startsWith('#'));
    await shown(diagnose.slice(0, 40));
    await page.screenshot({ path: path.join(RESULTS, 'walkthrough.png') });
  });
});
