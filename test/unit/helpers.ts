import * as fs from 'fs';
import * as path from 'path';
/** Wraps aws-auth sections into a ConfigMap document, the way users write them. */
export function configMap(sections: Record<string, string>, metadata = '  name: aws-auth\n  namespace: kube-system\n'): string {
  const data = Object.entries(sections)
    .map(([k, v]) => `  ${k}: |\n${v.replace(/\n$/, '').split('\n').map((l) => (l ? `    ${l}` : '')).join('\n')}\n`)
    .join('');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${metadata}data:\n${data}`;
}

export const NODE_ROLE = '- rolearn: arn:aws:iam::111122223333:role/NodeRole\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n';

/** The CLI's I/O over in-memory files (and, optionally, a folder of fixtures), with what it printed. */
export function cliIo(files: Record<string, string>, fixtures?: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      readFile: (f: string) => {
        if (f in files) return files[f];
        const p = fixtures ? path.join(fixtures, f) : undefined;
        if (p && fs.existsSync(p)) return fs.readFileSync(p, 'utf8');
        throw new Error('ENOENT: no such file');
      },
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
    },
  };
}

/** The median of three runs of `fn`, in ms: for linearity tests, which compare growth, never a fixed time. */
export function timeOf(fn: () => void): number {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    fn();
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return runs.sort((a, b) => a - b)[1];
}
