/**
 * The exec plugin of the demo's and the tests' kubeconfigs: the real awscli v2 (Debian's /usr/bin/aws, whose
 * `customizations/eks/get_token.py` makes the token), started through a few lines of Python that only point the
 * network clients it builds on its own (and EKS's, for `update-kubeconfig`) at the emulator. awscli 2.9 has no AWS_ENDPOINT_URL, and `get-token --role-arn`
 * builds its AssumeRole client without `--endpoint-url`, so without this it would try the real STS and SSO portal.
 * The token itself is presigned for the real STS host, as on a user's machine; the emulator is the "STS endpoint
 * the user chose" (AWS_ENDPOINT_URL) to which the kubeconfig doctor replays it. EKS_AUTH_TEST_ENDPOINT names it.
 */
import * as fs from 'fs';
import * as path from 'path';

export const DEBIAN_AWS = '/usr/bin/aws';

const WRAPPER = `#!/usr/bin/python3
# eks-auth test fixture: the real awscli, with its STS (AssumeRole) and SSO portal clients sent to the emulator.
import os, sys
import awscli.clidriver
# awscli's import alias makes 'botocore' its own copy; patch the module awscli itself imports.
import botocore.session as botocore_session
from awscli.customizations.eks import get_token

endpoint = os.environ.get('EKS_AUTH_TEST_ENDPOINT')
original_create_client = botocore_session.Session.create_client

def create_client(self, service_name, *args, **kwargs):
    # eks: DescribeCluster for update-kubeconfig, which the kubeconfig doctor's fix runs in a terminal.
    # update-kubeconfig passes endpoint_url=None when --endpoint-url is not given.
    if endpoint and service_name in ('sso', 'eks') and not kwargs.get('endpoint_url'):
        kwargs['endpoint_url'] = endpoint
    return original_create_client(self, service_name, *args, **kwargs)

botocore_session.Session.create_client = create_client

original_role_credentials = get_token.STSClientFactory._get_role_credentials

def role_credentials(self, region_name, role_arn):
    session = self._session
    plain = session.create_client
    session.create_client = lambda name, *a, **kw: plain(name, *a, **dict(kw, endpoint_url=endpoint) if endpoint else kw)
    try:
        return original_role_credentials(self, region_name, role_arn)
    finally:
        del session.create_client

get_token.STSClientFactory._get_role_credentials = role_credentials
sys.exit(awscli.clidriver.main())
`;

/** Writes the wrapper as `dir/aws`; undefined when this machine has no Debian awscli. */
export function writeAwsPlugin(dir: string): string | undefined {
  if (!fs.existsSync(DEBIAN_AWS)) return undefined;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'aws');
  fs.writeFileSync(file, WRAPPER, { mode: 0o755 });
  return file;
}
