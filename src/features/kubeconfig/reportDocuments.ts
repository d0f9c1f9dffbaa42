/** Where the doctor's reports and proposed kubeconfigs live as read-only documents (`eks-auth-doctor:` URIs). */

export const REPORT_SCHEME = 'eks-auth-doctor';

/** The document path of a report named `name`; `extension` picks the language: a report is Markdown, a proposed kubeconfig YAML. */
export function reportPath(name: string, extension = '.md'): string {
  return `/${encodeURIComponent(name)}${extension}`;
}
