/**
 * Rendering a mapping's username and group templates, as kubernetes-sigs/aws-iam-authenticator
 * `pkg/server/server.go` `renderTemplates` / `renderTemplate` do. Cited in docs/authenticator.md.
 */
import type { Caller, Mapped } from './mapper';

export const TEMPLATE_VARIABLES = ['AccountID', 'SessionName', 'SessionNameRaw', 'AccessKeyID', 'EC2PrivateDNSName'];

const INSTANCE_ID = /^i-([A-Za-z0-9_]{8}|[A-Za-z0-9_]{17})$/;

/** renderTemplate: `{{EC2PrivateDNSName}}` first (it needs an instance id), then the others; unknown ones stay. */
function render(template: string, caller: Caller): { value: string; error?: string; condition?: string } {
  let value = template;
  let condition: string | undefined;
  if (value.includes('{{EC2PrivateDNSName}}')) {
    if (caller.session === undefined) condition = 'only a session named after an EC2 instance id (i-...) renders {{EC2PrivateDNSName}}; any other session is denied';
    else if (!INSTANCE_ID.test(caller.session)) return { value, error: 'SessionName did not contain an instance id' };
    else condition = `{{EC2PrivateDNSName}} becomes the private DNS name of instance ${caller.session}`;
  }
  value = value.split('{{AccountID}}').join(caller.principal?.account ?? '{{AccountID}}');
  if (caller.session !== undefined) {
    value = value.split('{{SessionName}}').join(caller.session.replace(/@/g, '-'));
    value = value.split('{{SessionNameRaw}}').join(caller.session);
  } else if (/\{\{SessionName(Raw)?\}\}/.test(value)) condition ??= '{{SessionName}} becomes the name of the role session';
  if (caller.accessKeyId !== undefined) value = value.split('{{AccessKeyID}}').join(caller.accessKeyId);
  else if (value.includes('{{AccessKeyID}}')) condition ??= "{{AccessKeyID}} becomes the caller's access key id";
  return { value, condition };
}

/** The rendered identity, or which template failed and why. */
export type Rendered = { username: string; groups: string[]; condition?: string } | { failed: 'username' | 'group'; template: string; error: string };

/** renderTemplates: the username, then each group; the first template that cannot be rendered ends it. */
export function renderTemplates(identity: Mapped, caller: Caller): Rendered {
  const user = render(identity.username, caller);
  if (user.error) return { failed: 'username', template: identity.username, error: user.error };
  const groups: string[] = [];
  const conditions = user.condition ? [user.condition] : [];
  for (const g of identity.groups) {
    const r = render(g, caller);
    if (r.error) return { failed: 'group', template: g, error: r.error };
    if (r.condition && !conditions.includes(r.condition)) conditions.push(r.condition);
    groups.push(r.value);
  }
  return { username: user.value, groups, ...(conditions.length ? { condition: conditions.join('; ') } : {}) };
}
