/**
 * `npm run bench:shapes`: time against input size for the hostile shapes that used to grow quadratically and
 * block the extension host or the CLI. Each size doubles the last; the ratio of the times must stay near 2
 * (target: at most 3; a quadratic shape shows 4).
 */
import { completionsAt } from '../src/core/auth/assist';
import { lintAwsAuth } from '../src/core/auth/lint';
import { runCli } from '../src/cli/commands';
import { parseAuthenticatorLine } from '../src/core/insights/parser';

const ROLE = '- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n';
const configMap = (mapRoles: string, eol = '\n') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n${mapRoles.replace(/\n$/, '').split('\n').map((l) => (l ? `    ${l}` : '')).join('\n')}\n`.replace(/\n/g, eol);

function median(fn: () => void, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const quiet = { readFile: () => '', stdout: () => undefined, stderr: () => undefined };

const SHAPES: { name: string; unit: string; sizes: number[]; run(n: number): () => unknown }[] = [
  {
    name: 'unclosed {{ run in a username (lint)',
    unit: 'bytes',
    sizes: [25_000, 50_000, 100_000, 200_000],
    run: (n) => {
      const text = configMap(`- rolearn: arn:aws:iam::111122223333:role/A\n  username: a${'{{'.repeat(n / 2)}\n`);
      return () => lintAwsAuth(text);
    },
  },
  {
    name: 'one entry with N keys (lint)',
    unit: 'keys',
    sizes: [5_000, 10_000, 20_000, 40_000],
    run: (n) => {
      const text = configMap(ROLE + Array.from({ length: n }, (_, i) => `  key${i}: v\n`).join(''));
      return () => lintAwsAuth(text);
    },
  },
  {
    name: 'completions after N blank lines',
    unit: 'lines',
    sizes: [25_000, 50_000, 100_000, 200_000],
    run: (n) => {
      const text = configMap(ROLE) + '\n'.repeat(n);
      return () => completionsAt(text, text.length);
    },
  },
  {
    name: 'eks-auth lint printing N problems',
    unit: 'problems',
    sizes: [5_000, 10_000, 20_000, 40_000],
    run: (n) => {
      const text = configMap(Array.from({ length: n }, (_, i) => `- rolearn: arn:aws:iam::111122223333:role/team/R${i}\n  username: r${i}\n`).join(''));
      return () => runCli(['lint', 'f.yaml'], { ...quiet, readFile: () => text });
    },
  },
  {
    name: 'a bare mapRoles list of N lines (lint and its A01 fix)',
    unit: 'lines',
    sizes: [50_000, 100_000, 200_000, 400_000],
    run: (n) => {
      const text = `data:\n  mapRoles:\n${'    - rolearn: arn:aws:iam::111122223333:role/A\n'.repeat(n)}`;
      return () => lintAwsAuth(text);
    },
  },
  {
    name: 'CRLF aws-auth with N entries (lint)',
    unit: 'entries',
    sizes: [1_000, 2_000, 4_000, 8_000],
    run: (n) => {
      const text = configMap(ROLE.repeat(n).replace(/role\/A/g, () => `role/team/A`), '\r\n');
      return () => lintAwsAuth(text);
    },
  },
  {
    name: 'log lines of N word characters (parse)',
    unit: 'bytes',
    sizes: [8_192, 16_384, 32_768, 65_536],
    run: (n) => {
      const line = 'a'.repeat(n);
      return () => {
        for (let i = 0; i < 20; i++) parseAuthenticatorLine(line);
      };
    },
  },
];

console.log('shape · size · median ms · ratio to the previous size (target <= 3: linear doubles, quadratic quadruples)');
let worst = 0;
for (const shape of SHAPES) {
  let previous: number | undefined;
  for (const n of shape.sizes) {
    const run = shape.run(n);
    run();
    const ms = median(() => run());
    const ratio = previous && previous > 0.5 ? ms / previous : undefined;
    if (ratio) worst = Math.max(worst, ratio);
    console.log(`${shape.name} · ${n} ${shape.unit} · ${ms.toFixed(1)} ms${ratio ? ` · x${ratio.toFixed(2)}` : ''}`);
    previous = ms;
  }
}
console.log(`worst doubling ratio: x${worst.toFixed(2)} (target <= 3)`);
