/**
 * Live tail: the cluster's authenticator streams through StartLiveTail until stopped, the panel closes, or the
 * service ends the session (three hours; CloudWatch Logs API Reference, StartLiveTail). Each event becomes a row
 * like any other, classified and explainable; its rows are kept apart from the query's, so a re-run keeps them.
 */
import * as vscode from 'vscode';
import { explainAwsError, formatExplained } from '../../core/aws/errors';
import { AUTHENTICATOR_STREAM_PREFIX, clusterLogGroupArn } from '../../core/insights/logGroup';
import { LiveRowStore } from '../../core/insights/rowStore';
import type { RunContext } from './queryRuns';

export class LiveTail {
  readonly rows = new LiveRowStore(10_000);
  private abort?: AbortController;

  constructor(private readonly panel: RunContext) {}

  get running(): boolean {
    return !!this.abort;
  }

  async start(): Promise<void> {
    const { services, state, ref, host } = this.panel;
    if (this.abort || host.disposed) return;
    const abort = new AbortController();
    this.abort = abort;
    let message: string | undefined;
    try {
      const [logs, summary] = await Promise.all([services.connections.logsFor(state.profile, state.region), services.clusters.summary(ref)]);
      const logGroupArn = clusterLogGroupArn(summary.arn, state.region, state.cluster);
      await host.post({ type: 'tail', running: true });
      services.log.info(`Live tail of ${logGroupArn} started`);
      for await (const batch of logs.liveTail({ logGroupArns: [logGroupArn], logStreamNamePrefixes: [AUTHENTICATOR_STREAM_PREFIX] }, abort.signal)) {
        if (abort.signal.aborted) break;
        const rows = this.rows.add(batch.events);
        if (rows.length || batch.sampled) await host.post({ type: 'tailRows', rows, sampled: batch.sampled });
      }
    } catch (e) {
      message =
        (e as Error).name === 'SessionTimeoutException'
          ? vscode.l10n.t('The live tail ended: CloudWatch Logs closes a Live Tail session after three hours. Start it again to go on.')
          : formatExplained(explainAwsError(e, state.profile));
      services.log.warn(`Live tail of ${state.cluster} ended: ${(e as Error).message}`);
    } finally {
      if (this.abort === abort) this.abort = undefined;
      if (!host.disposed) await host.post({ type: 'tail', running: false, message });
    }
  }

  stop(): void {
    this.abort?.abort();
  }
}
