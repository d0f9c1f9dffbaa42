/**
 * The EKS Auth API as its service model describes it, for tests: no @aws-sdk/client-eks-auth is installed (the
 * registry mirror has none), so the model comes from botocore (test/fixtures/eks-auth-model.json names the version)
 * and requests are signed with @smithy/signature-v4 under the model's signing name, as the eks-pod-identity-agent
 * signs them with the node role's credentials.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import * as fs from 'fs';
import * as path from 'path';

interface BotocoreShape {
  type: string;
  required?: string[];
  members?: Record<string, { shape: string }>;
  error?: { httpStatusCode: number };
  exception?: boolean;
}

export interface EksAuthModel {
  metadata: { protocol: string; signingName: string; endpointPrefix: string };
  operations: Record<string, { http: { method: string; requestUri: string; responseCode: number }; input: { shape: string }; output: { shape: string }; errors: { shape: string }[] }>;
  shapes: Record<string, BotocoreShape>;
}

// Compiled tests run from out/test/emulator; the fixture stays in the source tree.
export const EKS_AUTH_MODEL = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../test/fixtures/eks-auth-model.json'), 'utf8')) as EksAuthModel;

/** Checks a REST-JSON value against a botocore shape: members the shape has, required ones present, JSON types. */
export function conformBotocore(value: unknown, shapeName: string, at: string, out: string[]): void {
  const shape = EKS_AUTH_MODEL.shapes[shapeName];
  if (shape.type === 'structure') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return void out.push(`${at}: expected a structure ${shapeName}`);
    for (const name of shape.required ?? []) if (!(name in value)) out.push(`${at}.${name}: required by ${shapeName}, missing`);
    for (const [k, v] of Object.entries(value)) {
      const member = shape.members?.[k];
      if (!member) out.push(`${at}.${k}: not a member of ${shapeName}`);
      else conformBotocore(v, member.shape, `${at}.${k}`, out);
    }
    return;
  }
  // REST-JSON sends timestamps as epoch seconds by default (botocore `timestampFormat` unset: unixTimestamp).
  const expected: Record<string, string> = { string: 'string', timestamp: 'number', integer: 'number', long: 'number', boolean: 'boolean' };
  if (expected[shape.type] && typeof value !== expected[shape.type]) out.push(`${at}: ${typeof value}, the model says ${shape.type}`);
}

/** The agent's call: the model's method and path for AssumeRoleForPodIdentity, SigV4 under the model's signing name. */
export async function callAssumeRoleForPodIdentity(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }, clusterName: string, token: string, region = 'us-east-1'): Promise<Response> {
  const op = EKS_AUTH_MODEL.operations.AssumeRoleForPodIdentity;
  const url = new URL(endpoint + op.http.requestUri.replace('{clusterName}', encodeURIComponent(clusterName)));
  const body = JSON.stringify({ token });
  const signer = new SignatureV4({ service: EKS_AUTH_MODEL.metadata.signingName, region, credentials, sha256: Sha256, uriEscapePath: true });
  const signed = await signer.sign(new HttpRequest({ method: op.http.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'content-type': 'application/json' }, body }));
  return fetch(url, { method: op.http.method, headers: signed.headers, body });
}
