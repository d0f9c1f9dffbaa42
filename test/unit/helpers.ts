/** Wraps aws-auth sections into a ConfigMap document, the way users write them. */
export function configMap(sections: Record<string, string>, metadata = '  name: aws-auth\n  namespace: kube-system\n'): string {
  const data = Object.entries(sections)
    .map(([k, v]) => `  ${k}: |\n${v.replace(/\n$/, '').split('\n').map((l) => (l ? `    ${l}` : '')).join('\n')}\n`)
    .join('');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${metadata}data:\n${data}`;
}

export const NODE_ROLE = '- rolearn: arn:aws:iam::111122223333:role/NodeRole\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n';
