/**
 * The emulator's authenticator: a helper process running our Go implementation of aws-iam-authenticator's mapping
 * (go/awsauthyaml, native build from Debian's Go, go-yaml v2 and sigs.k8s.io/yaml; see mapper.go), never the
 * product's TypeScript model. The cluster's 401s and its authenticator log lines come from it, so the product's
 * doctor, explain and change checks are judged by something the product did not write.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';

export interface AuthenticatorAnswer {
  authenticated: boolean;
  username?: string;
  groups?: string[];
  /** The error of the authenticator's `access denied` line. */
  error?: string;
  /** The canonical ARN it logs. */
  arn?: string;
  mapper?: 'DynamicFile' | 'EKSConfigMap';
  /** The access entry's principal, when the DynamicFile mapper answered. */
  accessEntry?: string;
}

export interface AuthenticatorQuestion {
  mode: string;
  awsAuth?: Record<string, string>;
  accessEntries: { principalArn: string; type?: string; username?: string; kubernetesGroups?: string[] }[];
  arn: string;
  accessKeyId?: string;
  /** The EC2 private DNS name of each instance id a node may sign in as (ec2:DescribeInstances in EKS). */
  privateDnsNames?: Record<string, string>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** The native helper: built by `npm run build` (scripts/buildGo.mjs), or built here from the checkout on first use. */
function binary(): string {
  const built = process.env.EKS_AUTH_GO_AUTHENTICATOR ?? path.join(ROOT, 'out', 'go', 'awsauthyaml');
  if (!fs.existsSync(built)) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'buildGo.mjs'), '--native', '--required'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return built;
}

/** One helper process for the emulator's lifetime, answering in request order. */
export class GoAuthenticator {
  private child?: ChildProcess;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (a: AuthenticatorAnswer) => void; reject: (e: Error) => void }>();

  private start(): ChildProcess {
    const child = spawn(binary(), [], { stdio: ['pipe', 'pipe', 'inherit'] });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const answer = JSON.parse(line) as { id: number; auth?: AuthenticatorAnswer; fail?: string };
      const waiting = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (answer.auth) waiting?.resolve(answer.auth);
      else waiting?.reject(new Error(`go authenticator: ${answer.fail ?? 'no answer'}`));
    });
    child.on('exit', (code) => {
      for (const w of this.pending.values()) w.reject(new Error(`go authenticator exited with ${code}`));
      this.pending.clear();
      this.child = undefined;
    });
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return child;
  }

  /** Who the authenticator says the caller is. */
  ask(question: AuthenticatorQuestion): Promise<AuthenticatorAnswer> {
    this.child ??= this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child!.stdin!.write(JSON.stringify({ id, op: 'authenticate', auth: question }) + '\n');
    });
  }

  close(): void {
    this.child?.stdin?.end();
    this.child?.kill();
    this.child = undefined;
  }
}
