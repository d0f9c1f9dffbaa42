/**
 * What the request handlers (emulator/dispatch.ts, serviceRoutes.ts, admin.ts) share with the server that owns them.
 * The emulator is read through on every request, never copied: a reset replaces its state and tests replace its
 * workload while it runs.
 */
import type { BodyLimits } from './http';
import type { FaultInjector } from './faults';
import type { KubeServers } from './kubeServers';
import type { Emulator, EmulatorOptions } from './server';

export interface EmulatorRuntime {
  emulator: Emulator;
  options: EmulatorOptions;
  /** The request body limits, options.bodyLimits over the defaults. */
  limits: BodyLimits;
  faults: FaultInjector;
  kubeFor: KubeServers['kubeFor'];
  /** The emulator's clock: the machine's, moved by options.clockOffsetMs. */
  now(): Date;
}
