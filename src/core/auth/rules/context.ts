/**
 * What a rule's check sees: the document, the cluster facts, and a reporter bound to the rule, so a check names
 * neither its id nor its severity (the registry holds both).
 */
import type { Node as YamlNode } from 'yaml';
import type { SectionKey, SectionModel } from '../authenticator';
import { EmbeddedText, encodeForHost, toHostRange } from '../embedded';
import type { ClusterContext, Fix, Problem, Severity } from './types';

export type Range = [number, number];

/** A section as the authenticator model loaded it, with the map back to the host document. */
export interface LoadedSection {
  model: SectionModel;
  embedded: EmbeddedText;
}

export interface ReportOptions {
  fixes?: (Fix | undefined)[];
  /** A registered variant of the rule, with its own default severity (A20's Fargate case, for example). */
  variant?: string;
}

/** Reports for one rule. */
export interface Reporter {
  /** A problem at a host range or YAML node. */
  at(node: YamlNode | Range | undefined, message: string, options?: ReportOptions): void;
  /** A problem at an embedded range, reported at its host position. */
  inEmbedded(e: EmbeddedText, range: Range | undefined, message: string, options?: ReportOptions): void;
}

export interface RuleSeverities {
  severity: Severity;
  variants?: Record<string, Severity>;
}

/** Collects the problems of one lint run. */
export class ProblemSink {
  readonly problems: Problem[] = [];

  reporter(id: string, rule: RuleSeverities): Reporter {
    const severityOf = (variant?: string) => {
      if (variant === undefined) return rule.severity;
      const s = rule.variants?.[variant];
      if (!s) throw new Error(`rule ${id} has no variant ${variant}`);
      return s;
    };
    const push = (range: Range, message: string, options: ReportOptions = {}) => {
      const [start, end] = range;
      const fixes = (options.fixes ?? []).filter((f): f is Fix => !!f);
      this.problems.push({ offset: start, length: Math.max(0, end - start), severity: severityOf(options.variant), code: id, message, ...(fixes.length ? { fixes } : {}) });
    };
    return {
      at: (node, message, options) => {
        const r = Array.isArray(node) ? node : node?.range;
        push(r ? [r[0], r[1]] : [0, 0], message, options);
      },
      inEmbedded: (e, range, message, options) => {
        const [s, en] = range ?? [0, e.text.length];
        const host = toHostRange(e, s, en);
        push([host.offset, host.offset + host.length], message, options);
      },
    };
  }
}

/** A fix that replaces an embedded range, when it can be written back exactly. */
export function embeddedFix(e: EmbeddedText, title: string, start: number, end: number, newText: string): Fix | undefined {
  const host = toHostRange(e, start, end);
  const encoded = encodeForHost(e, newText);
  if (!host.exact || encoded === undefined) return undefined;
  return { title, edits: [{ offset: host.offset, length: host.length, newText: encoded }] };
}

/** A fix that inserts text at an embedded offset, when it can be written back exactly. */
export function embeddedInsert(e: EmbeddedText, title: string, at: number, newText: string): Fix | undefined {
  if (!e.offsets || at > e.text.length) return undefined;
  const encoded = encodeForHost(e, newText);
  if (encoded === undefined) return undefined;
  return { title, edits: [{ offset: e.offsets[at], length: 0, newText: encoded }] };
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

export type { ClusterContext, SectionKey };
