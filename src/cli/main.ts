/**
 * `eks-auth`: the aws-auth linter and the authenticator log parser on the command line, for CI and scripts.
 *   eks-auth lint [--format text|json|sarif] [FILE ...|-]
 *   eks-auth logs parse [FILE|-]
 *   eks-auth explain --arn ARN --aws-auth FILE ...
 *   eks-auth diff --before FILE --after FILE ...
 *   eks-auth plan-check PLAN.json ...
 *   eks-auth doctor [--context NAME] [--format text|json|markdown] [--timeout SECONDS] [--explain-profile P ...]
 *   eks-auth workload explain --service-account NS/SA --oidc-issuer URL --trust-policy FILE ...
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './commands';
import { unsupportedNode } from './nodeVersion';

const tooOld = unsupportedNode(process.version);
if (tooOld) {
  process.stderr.write(tooOld);
  process.exitCode = 2;
} else {
  void main();
}

function main(): Promise<void> {
  return runCli(process.argv.slice(2), {
    readFile: (f) => (f === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(f, 'utf8')),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    doctor: {
      env: process.env,
      home: os.homedir(),
      pathDelimiter: path.delimiter,
      readOptional: (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
      deps: async (explainProfiles) => {
        const [{ nodeDoctorDeps }, { cliExplainer }] = await Promise.all([import('../core/kubeconfig/doctorGateways'), import('./doctorCommand')]);
        return nodeDoctorDeps({ env: process.env, explainDenied: cliExplainer(explainProfiles) });
      },
    },
    workload: { connect: async (...args) => (await import('./workloadLive')).connectWorkload(...args) },
  }).then((code) => {
    process.exitCode = code;
  });
}
