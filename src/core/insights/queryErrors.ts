/**
 * What went wrong with a Logs Insights query or live tail, for the panel and a notification. Decided by the
 * service's error code (the exception's `name`), never by its wording: StartQuery's documented errors
 * (CloudWatch Logs API Reference, StartQuery "Errors"; the SDK schema in @aws-sdk/client-cloudwatch-logs). Anything
 * else goes to the general AWS explanation.
 */
import { explainAwsError, formatExplained } from '../aws/errors';
import { clusterLogGroup } from './logGroup';

export interface QueryTarget {
  cluster: string;
  region: string;
  profile?: string;
}

export function queryErrorMessage(e: unknown, target: QueryTarget): string {
  switch ((e as { name?: string } | undefined)?.name) {
    case 'ResourceNotFoundException':
      return `No log group ${clusterLogGroup(target.cluster)} in ${target.region}: authenticator logging has never been enabled on this cluster, or its logs have expired. Enable the authenticator log type, reproduce the problem, then re-run.`;
    case 'LimitExceededException':
      return 'Too many Logs Insights queries are running in this account (the limit is 100 at once). Wait for some to finish, then re-run.';
    case 'MalformedQueryException':
      return `The query is not valid Logs Insights syntax: ${(e as Error).message}. Edit it and run it again.`;
    default:
      return formatExplained(explainAwsError(e, target.profile));
  }
}

