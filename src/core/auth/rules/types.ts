/** What the aws-auth analyzer reports, and what it needs to know about the document's cluster. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Edit {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: Edit[];
}

/** One diagnostic, in host-document offsets, with the fixes computed when it was found. */
export interface Problem {
  offset: number;
  length: number;
  severity: Severity;
  code: string;
  message: string;
  fixes?: Fix[];
}

/** What the live cluster says, when the document was opened from one. */
export interface ClusterContext {
  name?: string;
  authenticationMode?: string;
  /** Principal ARNs of the cluster's access entries. */
  accessEntryArns?: string[];
  authenticatorLogging?: boolean;
}

export interface LintOptions {
  /** Per-rule severity overrides; `off` removes the rule. */
  rules?: Record<string, Severity | 'off'>;
  cluster?: ClusterContext;
}

/** Applies text edits (from one fix) to a document; edits must not overlap. */
export function applyEdits(text: string, edits: Edit[]): string {
  return [...edits].sort((a, b) => b.offset - a.offset).reduce((t, e) => t.slice(0, e.offset) + e.newText + t.slice(e.offset + e.length), text);
}
