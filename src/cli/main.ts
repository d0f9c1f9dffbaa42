/**
 * `eks-auth`: the aws-auth linter and the authenticator log parser on the command line, for CI and scripts.
 *   eks-auth lint [--format text|json|sarif] [FILE ...|-]
 *   eks-auth logs parse [FILE|-]
 *   eks-auth explain --arn ARN --aws-auth FILE ...
 *   eks-auth diff --before FILE --after FILE ...
 *   eks-auth plan-check PLAN.json ...
 */
import * as fs from 'fs';
import { runCli } from './commands';

runCli(process.argv.slice(2), {
  readFile: (f) => (f === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(f, 'utf8')),
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}).then((code) => {
  process.exitCode = code;
});
