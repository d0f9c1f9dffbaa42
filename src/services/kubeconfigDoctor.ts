/**
 * The user's kubeconfig and the doctor's latest report for each of its contexts, shared by the kubectl contexts
 * view, the status bar item and the Diagnose command. The files are read again on every check, as kubectl would.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { explainWithChosenProfiles } from '../core/kubeconfig/explainRefusal';
import type { ClusterAccessService } from '../core/clusters/clusterAccess';
import type { AccessQuestion, ContextReport } from '../core/kubeconfig/doctor';
import type { Kubeconfig, KubeconfigFile } from '../core/kubeconfig/kubeconfig';
import { loadDoctor, loadDoctorGateways, loadKubeconfig } from '../shared/lazy';
import { endpointOverrides, settings } from '../shared/settings';
import { requireTrust } from '../shared/trust';

export interface KeptReport {
  report: ContextReport;
  /** When it was checked (ms since the epoch). */
  checkedAt: number;
  /** From an earlier window: shown, but its fixes are gone; diagnosing again brings them back. */
  stored: boolean;
}

const KEPT_KEY = 'eksAuth.kubeconfig.lastVerdicts';
/** Verdicts older than this are not shown: the credentials behind them have long expired. */
const KEPT_FOR_MS = 7 * 24 * 3600_000;

export class KubeconfigDoctor {
  private readonly reports = new Map<string, KeptReport>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly clusters: ClusterAccessService,
    private readonly log: vscode.LogOutputChannel,
    /** Where the last verdicts outlive the window (the extension's global state). */
    private readonly state?: vscode.Memento,
  ) {
    const kept = state?.get<Record<string, { report: ContextReport; checkedAt: number }>>(KEPT_KEY) ?? {};
    for (const [name, k] of Object.entries(kept)) {
      if (k && typeof k.checkedAt === 'number' && Date.now() - k.checkedAt < KEPT_FOR_MS) this.reports.set(name, { report: k.report, checkedAt: k.checkedAt, stored: true });
    }
  }

  /**
   * Stores the verdicts without their fixes: a fix carries what it would write (an exec block's env, in memory only),
   * and a fix from another window would act on a kubeconfig that may have changed since.
   */
  private persist(): void {
    if (!this.state) return;
    const out: Record<string, { report: ContextReport; checkedAt: number }> = {};
    for (const [name, k] of this.reports) out[name] = { report: { ...k.report, steps: k.report.steps.map((s) => ({ ...s, fixes: [] })) }, checkedAt: k.checkedAt };
    void this.state.update(KEPT_KEY, out);
  }

  /** The files kubectl reads in this editor's environment. */
  async paths(): Promise<string[]> {
    const { kubeconfigPaths } = await loadKubeconfig();
    return kubeconfigPaths(process.env, os.homedir(), path.delimiter);
  }

  async read(): Promise<{ config: Kubeconfig; files: KubeconfigFile[] }> {
    const { readKubeconfig } = await loadKubeconfig();
    const files: KubeconfigFile[] = [];
    for (const p of await this.paths()) {
      try {
        files.push({ path: p, text: await fs.promises.readFile(p, 'utf8') });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read the kubeconfig ${p}: ${(e as Error).message}`);
      }
    }
    return { config: readKubeconfig(files), files };
  }

  /** The access check every context ends with, from `eksAuth.kubeconfig.accessCheck` ("list pods"). */
  question(): AccessQuestion {
    const [verb = 'list', resource = 'pods'] = (settings().get<string>('kubeconfig.accessCheck') ?? 'list pods').trim().split(/\s+/);
    return { verb, resource };
  }

  report(context: string): ContextReport | undefined {
    return this.reports.get(context)?.report;
  }

  /** The last verdict with when it was checked, from this window or an earlier one. */
  kept(context: string): KeptReport | undefined {
    return this.reports.get(context);
  }

  /**
   * Diagnoses the named contexts (every context when none are named) together; each report is kept as it lands.
   * Only ever called because the user asked: it runs the contexts' exec plugins, as kubectl would, which may open a
   * browser or ask for MFA. Nothing is run in Restricted Mode (an untrusted workspace).
   */
  async diagnose(names: string[] | undefined, cancel: vscode.CancellationToken, onReport: (r: ContextReport) => void = () => undefined): Promise<ContextReport[]> {
    // A diagnosis runs the kubeconfig's exec plugins and calls AWS: never in Restricted Mode.
    requireTrust(vscode.l10n.t('Diagnosing kubectl access'));
    const [{ config }, { diagnoseContext }, { nodeDoctorDeps }] = await Promise.all([this.read(), loadDoctor(), loadDoctorGateways()]);
    const chosen = names ? config.contexts.filter((c) => names.includes(c.name)) : config.contexts;
    const abort = new AbortController();
    const onCancel = cancel.onCancellationRequested(() => abort.abort());
    const deps = nodeDoctorDeps({
      env: process.env,
      endpoints: endpointOverrides(),
      // Only the profiles the user chose for the explorer, and only those in the cluster's account (issue 19).
      explainDenied: async (ref, principal) =>
        explainWithChosenProfiles(
          this.clusters,
          ref,
          principal,
          (await this.clusters.gateways.identities()).map((i) => ({ profile: i.profile, account: async () => (await (await this.clusters.gateways.stsFor(i.profile, ref.region)).getCallerIdentity()).account })),
        ),
    });
    const question = this.question();
    const reports = await Promise.all(
      chosen.map(async (c) => {
        const r = await diagnoseContext(c, deps, question, { signal: abort.signal });
        if (!cancel.isCancellationRequested) {
          this.reports.set(c.name, { report: r, checkedAt: Date.now(), stored: false });
          this.persist();
          this.log.info(`kubectl context ${c.name}: ${r.verdict}: ${r.summary}`);
          onReport(r);
          this.changed.fire();
        }
        return r;
      }),
    ).finally(() => onCancel.dispose());
    return reports;
  }

  /** Forgets the reports, after the doctor itself changed the kubeconfig. */
  forget(): void {
    this.reports.clear();
    this.persist();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
