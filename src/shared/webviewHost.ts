/**
 * A webview panel's host side, reusable by any panel: the ready handshake, typed messages both ways, query runs
 * with one token each, dropping what a replaced run still posts, and disposal. Modelled on
 * microsoft/vscode-pull-request-github `src/common/webview.ts` (`WebviewBase`: `_waitForReady`, `_postMessage`,
 * `_onDidReceiveMessage`); the feature's panel keeps only its own state.
 */
import * as vscode from 'vscode';
import { makeDispatcher, type HandlerMap } from './dispatch';

export type { HandlerMap };

/** One query run. A newer run or closing the panel replaces it; Cancel stops it but it still reports. */
export interface RunToken {
  readonly id: number;
  /** The newest run of an open panel: only it may post. */
  readonly current: boolean;
  /** Cancelled, replaced or closed: whatever it is doing on the service should stop. */
  readonly stopped: boolean;
  cancel(): void;
}

export class WebviewHost<Host extends { type: string }, View extends { type: string }> implements vscode.Disposable {
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private seenReady = false;
  private runId = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  disposed = false;

  /**
   * `handlers` answer every webview message but `ready`, which the host keeps: the first one opens the gate for
   * posting; a later one means the webview was reloaded and lost its content, so `onReload` sends it again.
   */
  constructor(
    readonly panel: vscode.WebviewPanel,
    handlers: HandlerMap<Exclude<View, { type: 'ready' }>>,
    private readonly events: { onReload: () => Promise<void>; onError: (e: unknown, runId: number) => void; onDispose: () => void },
  ) {
    this.ready = new Promise((r) => (this.markReady = r));
    const dispatch = makeDispatcher<View>({ ...handlers, ready: () => this.onReady() } as unknown as HandlerMap<View>);
    this.subscriptions.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        void Promise.resolve()
          .then(() => dispatch(m))
          .catch((e) => events.onError(e, this.runId));
      }),
    );
  }

  private async onReady() {
    if (!this.seenReady) {
      this.seenReady = true;
      this.markReady();
    } else await this.events.onReload();
  }

  /** Starts a run; the previous one is no longer current, so it stops and posts nothing more. */
  startRun(): RunToken {
    const run = { id: ++this.runId, cancelled: false };
    const isCurrent = () => run.id === this.runId && !this.disposed;
    return {
      id: run.id,
      get current() {
        return isCurrent();
      },
      get stopped() {
        return run.cancelled || !isCurrent();
      },
      cancel: () => (run.cancelled = true),
    };
  }

  /** The id of the newest run. */
  get currentRunId(): number {
    return this.runId;
  }

  /** Whether a message belongs to a run that another has replaced. */
  isStale(message: Host): boolean {
    const runId = (message as { runId?: unknown }).runId;
    return typeof runId === 'number' && runId !== this.runId;
  }

  /** Posts once the webview is ready; a replaced run's message is dropped, before and after the wait. */
  async post(message: Host): Promise<boolean> {
    if (this.isStale(message) || this.disposed) return false;
    await this.ready;
    if (this.isStale(message) || this.disposed) return false;
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    // Every run stops: none is current once the panel is closed.
    this.disposed = true;
    // Whoever waits to post is released, and then drops its message.
    this.markReady();
    this.events.onDispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
