/** The CloudWatch Logs Insights calls behind the troubleshooting command. */
import { CloudWatchLogsClient, GetQueryResultsCommand, GetQueryResultsResponse, StartLiveTailCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsTarget, clientConfig } from './clients';

export interface StartQueryInput {
  logGroupName: string;
  queryString: string;
  /** Epoch milliseconds; converted to the seconds the API takes. */
  startTime: number;
  endTime: number;
  limit?: number;
}

export interface LiveTailInput {
  /** Log group ARNs (without the trailing `:*`). */
  logGroupArns: string[];
  logStreamNamePrefixes?: string[];
  filterPattern?: string;
}

export interface LiveTailEvent {
  logStreamName: string;
  message: string;
  /** Epoch milliseconds. */
  timestamp: number;
}

/** One sessionUpdate: the events of about one second, `sampled` when the service kept only 500 of them. */
export interface LiveTailBatch {
  events: LiveTailEvent[];
  sampled: boolean;
}

export interface LogsGateway {
  startQuery(input: StartQueryInput): Promise<string>;
  /**
   * A StartLiveTail session: one batch per sessionUpdate until `signal` aborts it (the iteration then ends) or the
   * service ends it (SessionTimeoutException after three hours, SessionStreamingException), which is thrown.
   */
  liveTail(input: LiveTailInput, signal: AbortSignal): AsyncIterable<LiveTailBatch>;
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

  async *liveTail(input: LiveTailInput, signal: AbortSignal): AsyncIterable<LiveTailBatch> {
    let stream: AsyncIterable<{ sessionUpdate?: { sessionMetadata?: { sampled?: boolean }; sessionResults?: { logStreamName?: string; message?: string; timestamp?: number }[] } }> | undefined;
    try {
      stream = (
        await this.client.send(
          new StartLiveTailCommand({ logGroupIdentifiers: input.logGroupArns, logStreamNamePrefixes: input.logStreamNamePrefixes, logEventFilterPattern: input.filterPattern }),
          { abortSignal: signal },
        )
      ).responseStream;
      for await (const event of stream ?? []) {
        if (signal.aborted) return;
        const update = event.sessionUpdate;
        if (update) yield { sampled: !!update.sessionMetadata?.sampled, events: (update.sessionResults ?? []).map((r) => ({ logStreamName: r.logStreamName ?? '', message: r.message ?? '', timestamp: r.timestamp ?? 0 })) };
      }
    } catch (e) {
      // Stopping the session aborts the request: that is the end of the tail, not an error.
      if (signal.aborted) return;
      throw e;
    }
  }
}
