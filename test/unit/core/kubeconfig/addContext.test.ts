import * as assert from 'assert';
import { addContext } from '../../../../src/core/kubeconfig/addContext';
import { updateKubeconfigExec } from '../../../../src/core/kubeconfig/execPlugin';
import { readKubeconfig } from '../../../../src/core/kubeconfig/kubeconfig';

const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/web';
const NEW = { name: ARN, server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=', exec: updateKubeconfigExec({ name: 'web', region: 'eu-west-1' }, 'dev') };

const EXISTING = `# work clusters
apiVersion: v1
kind: Config
clusters:
  - name: old   # keep this comment
    cluster:
      server: "https://old.example"
users:
  - name: old
    user: {token: 'x'}
contexts:
  - name: old
    context: {cluster: old, user: old}
current-context: old
preferences: {}
x-unknown: kept
`;

/** The old text must be the new text with whole lines added or one value changed, nothing else. */
function removedLines(before: string, after: string): string[] {
  const kept = after.split('\n');
  return before.split('\n').filter((l) => !kept.includes(l));
}

describe('adding a context as aws eks update-kubeconfig does', () => {
  it('appends the cluster, user and context after the existing items, keeping every other line, and makes it current', () => {
    const r = addContext(EXISTING, NEW);
    assert.ok(r.ok && !r.reformatted);
    assert.deepStrictEqual(removedLines(EXISTING, r.text), ['current-context: old']);
    const k = readKubeconfig([{ path: 'k', text: r.text }]);
    assert.deepStrictEqual(k.contexts.map((c) => c.name), [ARN, 'old']);
    const added = k.contexts[0];
    assert.deepStrictEqual([added.current, added.cluster?.server, added.cluster?.caData], [true, NEW.server, 'Q0E=']);
    assert.deepStrictEqual(added.user?.exec, NEW.exec);
    assert.match(r.text, /^ {2}- name: arn:aws:eks:eu-west-1:111122223333:cluster\/web$/m, 'the same indentation as the file');
  });

  it('replaces entries of the same name, as update-kubeconfig does, and can leave current-context alone', () => {
    const once = addContext(EXISTING, NEW);
    assert.ok(once.ok);
    const moved = addContext(once.text, { ...NEW, server: 'https://NEW.gr7.eu-west-1.eks.amazonaws.com' }, false);
    assert.ok(moved.ok);
    const k = readKubeconfig([{ path: 'k', text: moved.text }]);
    assert.strictEqual(k.contexts.filter((c) => c.name === ARN).length, 1);
    assert.strictEqual(k.contexts.find((c) => c.name === ARN)?.cluster?.server, 'https://NEW.gr7.eu-west-1.eks.amazonaws.com');
    assert.deepStrictEqual(removedLines(once.text, moved.text).map((l) => l.trim()), ['server: https://ABC.gr7.eu-west-1.eks.amazonaws.com']);
  });

  it('keeps CRLF, writes a fresh file, and re-serialises only what it cannot splice (flow lists), losing nothing', () => {
    const crlf = addContext(EXISTING.replace(/\n/g, '\r\n'), NEW);
    assert.ok(crlf.ok && !/[^\r]\n/.test(crlf.text));
    const fresh = addContext('', NEW);
    assert.ok(fresh.ok);
    assert.deepStrictEqual(readKubeconfig([{ path: 'k', text: fresh.text }]).contexts.map((c) => [c.name, c.current]), [[ARN, true]]);
    const flow = addContext('apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n# trailing note\n', NEW);
    assert.ok(flow.ok && flow.reformatted);
    assert.match(flow.text, /# trailing note/);
    assert.deepStrictEqual(readKubeconfig([{ path: 'k', text: flow.text }]).contexts.map((c) => c.name), [ARN]);
  });

  it('refuses a file that is not a kubeconfig', () => {
    const bad = addContext('clusters: [\n', NEW);
    assert.ok(!bad.ok && /not valid YAML/.test(bad.reason));
    const scalar = addContext('just text\n', NEW);
    assert.ok(!scalar.ok && /not a kubeconfig/.test(scalar.reason));
  });
});
