/**
 * Trust policies, associations and pods in the shapes their producers write. Each names its source.
 * Account 111122223333 is the cluster's; 222233334444 holds cross-account target roles.
 */
import type { PodInfo, PodIdentityAssociationInfo } from '../../../../src/core/workload/model';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '222233334444';
export const HOST_PATH = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const ISSUER = `https://${HOST_PATH}`;
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST_PATH}`;
export const CLUSTER = { name: 'demo', arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/demo`, region: 'us-west-2', accountId: ACCOUNT, oidcIssuer: ISSUER };

/** EKS User Guide, associate-service-account-role.adoc ("Confirm configuration": get-role output), for default/my-service-account. */
export const IRSA_AWS_DOCS = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: PROVIDER_ARN },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${HOST_PATH}:sub`]: 'system:serviceaccount:default:my-service-account',
          [`${HOST_PATH}:aud`]: 'sts.amazonaws.com',
        },
      },
    },
  ],
};

/**
 * terraform-aws-modules/terraform-aws-iam modules/iam-role-for-service-accounts-eks/main.tf rendered by
 * aws_iam_policy_document (Sid "", single values as strings), with allow_self_assume_role = true and
 * namespace_service_accounts = ["payments:api"].
 */
export const IRSA_TERRAFORM = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ExplicitSelfRoleAssumption',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { AWS: '*' },
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/payments-api` } },
    },
    {
      Sid: '',
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: PROVIDER_ARN },
      Condition: {
        StringEquals: {
          [`${HOST_PATH}:sub`]: 'system:serviceaccount:payments:api',
          [`${HOST_PATH}:aud`]: 'sts.amazonaws.com',
        },
      },
    },
  ],
};

/**
 * eksctl: pkg/cfn/template MakeAssumeRoleWithWebIdentityPolicyDocument (Action as a list, Federated as a string) with
 * the condition of pkg/iam/oidc/api.go MakeAssumeRolePolicyDocument (StringEquals hostnameAndPath ":sub" and ":aud"),
 * for kube-system/aws-node.
 */
export const IRSA_EKSCTL = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: PROVIDER_ARN },
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Condition: { StringEquals: { [`${HOST_PATH}:aud`]: 'sts.amazonaws.com', [`${HOST_PATH}:sub`]: 'system:serviceaccount:kube-system:aws-node' } },
    },
  ],
};

/** amazon-eks-pod-identity-webhook README step 1: every service account of a namespace with StringLike. */
export const IRSA_WEBHOOK_README_WILDCARD = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: PROVIDER_ARN },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringLike: { [`${HOST_PATH}:sub`]: 'system:serviceaccount:default:*' } },
    },
  ],
};

/** EKS User Guide, pod-id-role.adoc: the trust policy EKS Pod Identity requires. */
export const POD_ID_AWS_DOCS = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowEksAuthToAssumeRoleForPodIdentity',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    },
  ],
};

/** eksctl pkg/cfn/template MakeAssumeRolePolicyDocumentForPodIdentity: no Sid, Service as a string. */
export const POD_ID_EKSCTL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } }],
};

/** EKS User Guide, pod-id-role.adoc "Setting Conditions": restricted to one namespace and service account by request tags. */
export const POD_ID_AWS_DOCS_CONDITIONS = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowEksAuthToAssumeRoleForPodIdentity',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': ['payments'], 'aws:RequestTag/kubernetes-service-account': ['api'] } },
    },
  ],
};

/** The policy users write from older blog posts: sts:AssumeRole only (eksctl #8425, the failure this issue names). */
export const POD_ID_NO_TAG_SESSION = {
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
};

/** EKS User Guide, pod-id-assign-target-role.adoc: the target role trusts the first role with session tags. */
export const TARGET_AWS_DOCS = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:RequestTag/eks-cluster-arn': CLUSTER.arn,
          'aws:RequestTag/kubernetes-namespace': 'payments',
          'aws:RequestTag/kubernetes-service-account': 'api',
        },
        ArnEquals: { 'aws:PrincipalARN': `arn:aws:iam::${ACCOUNT}:role/eks-pod-identity-primary-role` },
      },
    },
  ],
};

/** DescribePodIdentityAssociation's association (EKS API reference; field names as the SDK's schema has them). */
export function association(over: Partial<PodIdentityAssociationInfo> = {}): PodIdentityAssociationInfo {
  return {
    associationId: 'a-abcdefghijklmnop1',
    clusterName: 'demo',
    namespace: 'payments',
    serviceAccount: 'api',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-pod-identity-primary-role`,
    disableSessionTags: false,
    createdAt: '2026-11-20T10:00:00Z',
    modifiedAt: '2026-11-20T10:00:00Z',
    ...over,
  };
}

/** A pod as `kubectl get pod -o json` shows it after the webhook (EKS User Guide pod-id-how-it-works: the injected env and volume). */
export function podIdentityPod(over: Partial<PodInfo> = {}): PodInfo {
  return {
    name: 'api-6f4dfff6cb-76cv9',
    namespace: 'payments',
    uid: '0b1c2d3e-0000-4000-8000-000000000001',
    creationTimestamp: '2026-11-21T09:00:00Z',
    serviceAccountName: 'api',
    nodeName: 'ip-192-168-1-10.us-west-2.compute.internal',
    containers: [
      {
        name: 'api',
        env: [
          { name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: 'http://169.254.170.23/v1/credentials' },
          { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', value: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token' },
        ],
        volumeMounts: [{ name: 'eks-pod-identity-token', mountPath: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount' }],
      },
    ],
    volumes: [{ name: 'eks-pod-identity-token', projected: { sources: [{ serviceAccountToken: { audience: 'pods.eks.amazonaws.com', expirationSeconds: 86400, path: 'eks-pod-identity-token' } }] } }],
    ...over,
  };
}

/** A pod after the IRSA webhook (amazon-eks-pod-identity-webhook README, step 4). */
export function irsaPod(roleArn: string, over: Partial<PodInfo> = {}): PodInfo {
  return {
    name: 'my-pod',
    namespace: 'default',
    creationTimestamp: '2026-11-21T09:00:00Z',
    serviceAccountName: 'my-service-account',
    containers: [
      {
        name: 'container-name',
        env: [
          { name: 'AWS_ROLE_ARN', value: roleArn },
          { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
        ],
        volumeMounts: [{ name: 'aws-token', mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount/' }],
      },
    ],
    volumes: [{ name: 'aws-token', projected: { sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', expirationSeconds: 86400, path: 'token' } }] } }],
    ...over,
  };
}

/** A pod the webhook did not touch. */
export function plainPod(namespace: string, serviceAccountName: string, over: Partial<PodInfo> = {}): PodInfo {
  return { name: 'plain-pod', namespace, serviceAccountName, creationTimestamp: '2026-11-21T09:00:00Z', containers: [{ name: 'app', env: [] }], ...over };
}
