/**
 * A Logs Insights query once parsed (insightsParser.ts): a list of stages run in the order they are written
 * (insightsEngine.ts), and the error the service answers for a query it cannot read.
 */
import { ServiceError } from './http';

export type Row = Record<string, string>;

/** Rows are keyed by field names from the query (`parse ... as constructor`), so they have no prototype to collide with. */
export const newRow = (fields: Row = {}): Row => Object.assign(Object.create(null) as Row, fields);

export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; inner: Expr }
  | { kind: 'like'; field: string; pattern: RegExp }
  | { kind: 'eq' | 'ne'; field: string; value: string };

export type Aggregate = { fn: 'count' | 'count_distinct' | 'min' | 'max' | 'sum' | 'avg'; field?: string; name: string };
export type GroupKey = { field: string; binMs?: number; name: string };

export type Stage =
  | { kind: 'fields' | 'display'; fields: string[] }
  | { kind: 'filter'; expr: Expr }
  | { kind: 'parse'; field: string; regex: RegExp; names: string[] }
  | { kind: 'stats'; aggregates: Aggregate[]; by: GroupKey[] }
  | { kind: 'dedup'; fields: string[] }
  | { kind: 'sort'; field: string; desc: boolean }
  | { kind: 'limit'; n: number };

export interface Query {
  stages: Stage[];
}

/** The service's answer to a query it cannot parse, quoting where it stopped. */
export function malformed(near: string): ServiceError {
  return new ServiceError('MalformedQueryException', `unexpected symbol found near: ${near.slice(0, 60)}`);
}
