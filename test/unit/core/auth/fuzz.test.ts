import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, lintAwsAuth } from '../../../../src/core/auth/lint';
import { mutate, seededRandom } from '../../../../scripts/fuzzMutations';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures');

describe('aws-auth analyzer fuzz (seeded)', function () {
  this.timeout(120000);

  it('survives 5,000 mutations of the fixtures: no exception, every range and fix inside the document', () => {
    const corpus = fs.readdirSync(FIXTURES).filter((f) => /^aws-auth.*\.ya?ml$/.test(f)).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
    const random = seededRandom(20261128);
    let slowest = 0;
    let problems = 0;
    for (let i = 0; i < 5000; i++) {
      const input = mutate(corpus[i % corpus.length], random);
      const started = process.hrtime.bigint();
      const result = lintAwsAuth(input);
      slowest = Math.max(slowest, Number(process.hrtime.bigint() - started) / 1e6);
      problems += result.length;
      for (const p of result) {
        assert.ok(p.code !== 'E00', `analysis failed on mutation ${i}: ${p.message}`);
        assert.ok(p.offset >= 0 && p.length >= 0 && p.offset + p.length <= input.length, `range outside the document on mutation ${i}`);
        for (const fix of p.fixes ?? []) {
          for (const e of fix.edits) assert.ok(e.offset >= 0 && e.offset + e.length <= input.length, `fix edit outside the document on mutation ${i}`);
          lintAwsAuth(applyEdits(input, fix.edits));
        }
      }
    }
    assert.ok(problems > 0, 'the mutations do produce problems');
    console.log(`      fuzz: 5000 inputs, ${problems} problems, slowest lint ${slowest.toFixed(1)} ms (target < 50 ms; see npm run bench:lint)`);
  });
});
