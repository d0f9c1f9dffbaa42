/**
 * `npm run bench:lint`: the analyzer on generated aws-auth ConfigMaps, against the bare YAML parse of the same
 * text (the outer document plus each embedded string). Targets: at most 3x the bare parse, under 40 ms for 2,000
 * entries; the fuzz corpus under 50 ms per input.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { lintAwsAuth } from '../src/core/auth/lint';
import { mutate, seededRandom } from './fuzzMutations';

function configMap(entries: number): string {
  const roles: string[] = [];
  for (let i = 0; i < entries; i++) {
    const node = i % 10 === 0;
    roles.push(
      `    - rolearn: arn:aws:iam::111122223333:role/${node ? 'NodeRole' : 'Team'}-${i}\n` +
        `      username: ${node ? 'system:node:{{EC2PrivateDNSName}}' : `"team-${i}:{{SessionName}}"`}\n` +
        `      groups:\n` +
        (node ? '        - system:bootstrappers\n        - system:nodes\n' : `        - team-${i % 37}\n        - viewers\n`),
    );
  }
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n${roles.join('')}  mapUsers: |\n    - userarn: arn:aws:iam::111122223333:user/ops/bob\n      username: bob\n`;
}

function median(fn: () => void, runs: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function bareParse(text: string) {
  const doc = parseDocument(text);
  const data = doc.get('data') as { items: { value: { value: string } }[] };
  for (const item of data.items) parseDocument(item.value.value);
}

console.log('entries  lint (median ms)  bare parse (ms)  ratio  target');
for (const entries of [100, 1000, 2000, 5000]) {
  const text = configMap(entries);
  const runs = entries >= 2000 ? 15 : 31;
  const lint = median(() => lintAwsAuth(text), runs);
  const parse = median(() => bareParse(text), runs);
  console.log(`${String(entries).padStart(7)}  ${lint.toFixed(2).padStart(16)}  ${parse.toFixed(2).padStart(15)}  ${(lint / parse).toFixed(2).padStart(5)}  ${entries === 2000 ? '<= 0.30x and < 40 ms' : ''}`);
}

const fixtures = path.join(__dirname, '..', '..', 'test', 'fixtures');
const corpus = fs.readdirSync(fixtures).filter((f) => /^aws-auth.*\.ya?ml$/.test(f)).map((f) => fs.readFileSync(path.join(fixtures, f), 'utf8'));
const random = seededRandom(20261128);
let slowest = 0;
for (let i = 0; i < 5000; i++) {
  const input = mutate(corpus[i % corpus.length], random);
  const t = process.hrtime.bigint();
  lintAwsAuth(input);
  slowest = Math.max(slowest, Number(process.hrtime.bigint() - t) / 1e6);
}
console.log(`fuzz corpus: 5000 mutated inputs, slowest lint ${slowest.toFixed(2)} ms (target < 50 ms)`);
