/** The CloudWatch Logs Insights calls behind the troubleshooting command. */
import { CloudWatchLogsClient, GetQueryResultsCommand, GetQueryResultsResponse, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsTarget, clientConfig } from './clients';

export interface StartQueryInput {
  logGroupName: string;
  queryString: string;
  /** Epoch milliseconds; converted to the seconds the API takes. */
  startTime: number;
  endTime: number;
  limit?: number;
}

export interface LogsGateway {
  startQuery(input: StartQueryInput): Promise<string>;
  /** One page of results; a complete query's results may come in pages (`nextToken`). */
  getQueryResults(queryId: string, nextToken?: string): Promise<GetQueryResultsResponse>;
  stopQuery(queryId: string): Promise<boolean>;
}

export class SdkLogsGateway implements LogsGateway {
  constructor(
    readonly target: AwsTarget,
    private readonly client = new CloudWatchLogsClient(clientConfig(target, 'logs')),
  ) {}

  async startQuery(input: StartQueryInput): Promise<string> {
    const out = await this.client.send(
      new StartQueryCommand({
        logGroupName: input.logGroupName,
        queryString: input.queryString,
        startTime: Math.floor(input.startTime / 1000),
        endTime: Math.ceil(input.endTime / 1000),
        limit: input.limit,
      }),
    );
    return out.queryId!;
  }

  getQueryResults(queryId: string, nextToken?: string): Promise<GetQueryResultsResponse> {
    return this.client.send(new GetQueryResultsCommand({ queryId, nextToken }));
  }

  async stopQuery(queryId: string): Promise<boolean> {
    return (await this.client.send(new StopQueryCommand({ queryId }))).success ?? false;
  }
}
