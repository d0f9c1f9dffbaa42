/**
 * `npm run bench:shapes`: time against input size for the hostile shapes that used to grow quadratically and
 * block the extension host or the CLI. Each size doubles the last; the ratio of the times must stay near 2
 * (target: at most 3; a quadratic shape shows 4). `BENCH_SHAPES=token npm run bench:shapes` runs only the shapes whose
 * name contains "token".
 */
import { completionsAt } from '../src/core/auth/assist';
import { lintAwsAuth } from '../src/core/auth/lint';
import { runCli } from '../src/cli/commands';
import { parseAuthenticatorLine } from '../src/core/insights/parser';
import { explainAwsError } from '../src/core/aws/errors';
import { parseQuery } from '../emulator/insightsParser';

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

/**
 * For the doubling ratios, the fastest of a few runs: the machine is shared (CI, other processes), and a slower run
 * measures the neighbours and the garbage collector more than the shape; a quadratic shape is slow in every run.
 */
function fastest(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return best;
}

/**
 * Issue 19's hostile log line: an `access denied` whose error repeats "token " (or "expired "), so the old test
 * /token.*expired|expired.*token/ ran to the end of the line from every word. `n` is the whole line's length.
 */
const hostileLogLine = (n: number, word = 'token ') => {
  const head = 'level=warning msg="access denied" error="';
  return `${head}${word.repeat(Math.ceil(n / word.length)).slice(0, n - head.length - 1)}"`;
};

const quiet = { readFile: () => '', stdout: () => undefined, stderr: () => undefined };

/** A mapRoles entry of about 160 bytes, as real ones are: 1 MiB of aws-auth holds about 6,500 of them. */
const mapping = (i: number) => `- rolearn: arn:aws:iam::111122223333:role/platform-team-role-${String(i).padStart(5, '0')}\n  username: platform-user-${i}:{{SessionName}}\n  groups:\n    - platform-team-${i % 40}\n`;
/** The number of such mappings in an aws-auth ConfigMap of this many bytes. */
const mappingsIn = (bytes: number) => Math.floor(bytes / mapping(0).length);
const MIB = 1024 * 1024;
const AWS_AUTH_SIZES = [MIB / 8, MIB / 4, MIB / 2, MIB];
/** aws-auth as kubectl get -o yaml writes it, with n mappings, the one at `drop` left out. */
const awsAuthFile = (n: number, drop = -1) => configMap(Array.from({ length: n }, (_, i) => (i === drop ? '' : mapping(i))).join(''));
/** The same aws-auth inside a plan from terraform show -json: kubernetes_config_map_v1_data updated in place. */
function awsAuthPlan(n: number): string {
  const data = (drop: number) => ({ mapRoles: Array.from({ length: n }, (_, i) => (i === drop ? '' : mapping(i))).join('') });
  const side = (drop: number) => ({ data: data(drop), field_manager: 'Terraform', force: true, id: 'kube-system/aws-auth', metadata: [{ name: 'aws-auth', namespace: 'kube-system' }] });
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    resource_changes: [
      { address: 'module.aws_auth.kubernetes_config_map_v1_data.aws_auth[0]', module_address: 'module.aws_auth', mode: 'managed', type: 'kubernetes_config_map_v1_data', name: 'aws_auth', index: 0, provider_name: 'registry.terraform.io/hashicorp/kubernetes', change: { actions: ['update'], before: side(-1), after: side(3), after_unknown: {}, before_sensitive: { data: {}, metadata: [{}] }, after_sensitive: { data: {}, metadata: [{}] } } },
    ],
  });
}

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
    name: 'eks-auth diff of an aws-auth of N bytes',
    unit: 'bytes',
    sizes: AWS_AUTH_SIZES,
    run: (n) => {
      const files: Record<string, string> = { 'before.yaml': awsAuthFile(mappingsIn(n)), 'after.yaml': awsAuthFile(mappingsIn(n), 3) };
      return () => runCli(['diff', '--before', 'before.yaml', '--after', 'after.yaml'], { ...quiet, readFile: (f: string) => files[f] });
    },
  },
  {
    name: 'eks-auth plan-check of an aws-auth of N bytes',
    unit: 'bytes',
    sizes: AWS_AUTH_SIZES,
    run: (n) => {
      const text = awsAuthPlan(mappingsIn(n));
      return () => runCli(['plan-check', 'plan.json'], { ...quiet, readFile: () => text });
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
  {
    name: 'hostile log lines: error of repeated "token " (parse, 400 lines)',
    unit: 'bytes a line',
    sizes: [8_192, 16_384, 32_768, 65_536],
    run: (n) => {
      const line = hostileLogLine(n);
      return () => {
        for (let i = 0; i < 400; i++) parseAuthenticatorLine(line);
      };
    },
  },
  {
    name: 'hostile log lines: error of repeated "expired " (parse, 400 lines)',
    unit: 'bytes a line',
    sizes: [8_192, 16_384, 32_768, 65_536],
    run: (n) => {
      const line = hostileLogLine(n, 'expired ');
      return () => {
        for (let i = 0; i < 400; i++) parseAuthenticatorLine(line);
      };
    },
  },
  {
    name: 'eks-auth logs parse: hostile "token " lines of 64 KiB',
    unit: 'lines',
    sizes: [60, 120, 240, 480],
    run: (n) => {
      const text = `${hostileLogLine(65_536)}\n`.repeat(n);
      return () => runCli(['logs', 'parse', 'log.txt'], { ...quiet, readFile: () => text });
    },
  },
  {
    name: 'an AWS error message of repeated "sso " (explain, 200 messages)',
    unit: 'bytes',
    sizes: [8_192, 16_384, 32_768, 65_536],
    run: (n) => {
      const e = Object.assign(new Error('sso '.repeat(n / 4)), { name: 'Error' });
      return () => {
        for (let i = 0; i < 200; i++) explainAwsError(e);
      };
    },
  },
  {
    name: 'a run of N spaces in the last of two case-variant userarns (lint and its A16 fix, 10 times)',
    unit: 'spaces',
    sizes: [16_384, 32_768, 65_536, 131_072],
    run: (n) => {
      const text = configMap(`- userarn: arn:aws:iam::111122223333:user/Jane\n  username: jane\n- userarn: arn:aws:iam::111122223333:user/jane\n  username: "a${' '.repeat(n)}b"\n`).replace('mapRoles', 'mapUsers');
      return () => {
        for (let i = 0; i < 10; i++) lintAwsAuth(text);
      };
    },
  },
  {
    name: 'emulator Logs Insights query after N blank lines (parse, 10 times)',
    unit: 'lines',
    sizes: [16_384, 32_768, 65_536, 131_072],
    run: (n) => {
      const query = `${'\n'.repeat(n)}fields @message`;
      return () => {
        for (let i = 0; i < 10; i++) parseQuery(query);
      };
    },
  },
];

console.log('shape · size · fastest of 3 runs, ms · ratio to the previous size (target <= 3: linear doubles, quadratic quadruples)');
let worst = 0;
const selected = (name: string) => !process.env.BENCH_SHAPES || name.includes(process.env.BENCH_SHAPES);
for (const shape of SHAPES.filter((s) => selected(s.name))) {
  let previous: number | undefined;
  for (const n of shape.sizes) {
    const run = shape.run(n);
    run();
    const ms = fastest(() => run());
    const ratio = previous && previous > 0.5 ? ms / previous : undefined;
    if (ratio) worst = Math.max(worst, ratio);
    console.log(`${shape.name} · ${n} ${shape.unit} · ${ms.toFixed(1)} ms${ratio ? ` · x${ratio.toFixed(2)}` : ''}`);
    previous = ms;
  }
}
console.log(`worst doubling ratio: x${worst.toFixed(2)} (target <= 3)`);
// The absolute target for the largest ConfigMap the API server stores (1 MiB): a pipeline step, not a coffee break.
for (const command of ['diff', 'plan-check'] as const) {
  const shape = SHAPES.find((s) => s.name.startsWith(`eks-auth ${command} `))!;
  if (!selected(shape.name)) continue;
  const ms = median(shape.run(MIB));
  console.log(`eks-auth ${command} of a 1 MiB aws-auth (${mappingsIn(MIB)} mappings): ${ms.toFixed(0)} ms (target < 1000 ms)`);
}
