/**
 * EKS UpdateClusterConfig and DescribeUpdate for the two updates the extension makes: the authentication mode (one
 * step forward at a time, on a platform version with access entries) and control-plane logging. An update is
 * InProgress, with the cluster UPDATING, for updateDelayMs, then applied.
 */
import { randomUUID } from 'crypto';
import { EksContext, EksRequest, requireCluster } from './eksRequest';
import { ServiceError } from './http';
import { Cluster, ClusterUpdate, ensureLogGroup } from './state';

/** Access entries exist from these platform versions on; later Kubernetes versions always have them. */
const ACCESS_ENTRY_MIN_PLATFORM = new Map(Object.entries({ '1.23': 17, '1.24': 15, '1.25': 12, '1.26': 11, '1.27': 10, '1.28': 6, '1.29': 1, '1.30': 2 }));

function supportsAccessEntries(cluster: Cluster): boolean {
  const min = ACCESS_ENTRY_MIN_PLATFORM.get(cluster.version);
  if (min === undefined) return Number(cluster.version.split('.')[1] ?? 0) > 30 || Number(cluster.version.split('.')[0]) > 1;
  return Number(cluster.platformVersion.replace(/^eks\./, '')) >= min;
}

const MODE_ORDER = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

export function updateClusterConfig(req: EksRequest, [name]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  const accessConfig = req.body.accessConfig as { authenticationMode?: unknown } | undefined;
  const logging = req.body.logging as { clusterLogging?: { types?: string[]; enabled?: boolean }[] } | undefined;
  const kinds = ['accessConfig', 'logging', 'resourcesVpcConfig', 'upgradePolicy', 'zonalShiftConfig', 'computeConfig', 'kubernetesNetworkConfig', 'storageConfig', 'remoteNetworkConfig'].filter((k) => req.body[k] !== undefined);
  if (kinds.length > 1) throw new ServiceError('InvalidParameterException', 'Only one type of update can be allowed.');
  if (!accessConfig && !logging) throw new ServiceError('InvalidParameterException', 'No changes needed for the logging config provided');
  const running = [...c.updates.values()].find((u) => u.status === 'InProgress');
  if (running) throw new ServiceError('ResourceInUseException', `Cannot update cluster ${c.name} while update ${running.id} is in progress`, 409);
  const now = Date.now();
  const id = randomUUID();
  let apply: () => void;
  let update: Omit<ClusterUpdate, 'id' | 'createdAt' | 'completesAt'>;
  if (accessConfig) {
    const target = accessConfig.authenticationMode;
    if (typeof target !== 'string' || !MODE_ORDER.includes(target)) {
      throw new ServiceError('InvalidParameterException', `Invalid authentication mode: ${String(target)}. Valid values are ${MODE_ORDER.join(', ')}`);
    }
    // One step at a time, forward only: CONFIG_MAP -> API_AND_CONFIG_MAP -> API.
    if (MODE_ORDER.indexOf(target) !== MODE_ORDER.indexOf(c.authenticationMode) + 1) {
      throw new ServiceError('InvalidParameterException', `Unsupported authentication mode update from ${c.authenticationMode} to ${target}`);
    }
    if (!supportsAccessEntries(c)) {
      throw new ServiceError('InvalidParameterException', `Cluster platform version ${c.platformVersion} does not support access entries; update the cluster to a newer platform version first`);
    }
    update = { type: 'AccessConfigUpdate', status: 'InProgress', params: [{ type: 'AuthenticationMode', value: target }], errors: [] };
    apply = () => {
      c.authenticationMode = target;
    };
  } else {
    const changes = logging?.clusterLogging ?? [];
    const next = new Set(c.logging);
    for (const change of changes) {
      for (const t of change.types ?? []) {
        if (change.enabled) next.add(t);
        else next.delete(t);
      }
    }
    if (next.size === c.logging.length && [...next].every((t) => c.logging.includes(t))) throw new ServiceError('InvalidParameterException', 'No changes needed for the logging config provided');
    update = {
      type: 'LoggingUpdate',
      status: 'InProgress',
      params: [{ type: 'ClusterLogging', value: JSON.stringify({ clusterLogging: changes }) }],
      errors: [],
    };
    apply = () => {
      c.logging = [...next];
      if (next.has('authenticator')) ensureLogGroup(ctx.state, `/aws/eks/${c.name}/cluster`, c.region);
    };
  }
  const record = { ...update, id, createdAt: Math.floor(now / 1000), completesAt: now + ctx.updateDelayMs };
  c.updates.set(id, record);
  // The cluster shows UPDATING until the update finishes.
  c.status = 'UPDATING';
  setTimeout(() => {
    apply();
    record.status = 'Successful';
    c.status = 'ACTIVE';
  }, ctx.updateDelayMs).unref();
  return { update: shapeUpdate(record) };
}

function shapeUpdate(u: ClusterUpdate) {
  return { id: u.id, status: u.status, type: u.type, params: u.params, createdAt: u.createdAt, errors: u.errors };
}

export function describeUpdate(req: EksRequest, [name, id]: string[], ctx: EksContext) {
  const c = requireCluster(ctx, req, name);
  const u = c.updates.get(id);
  if (!u) throw new ServiceError('ResourceNotFoundException', `No update found for ID: ${id}.`, 404);
  return { update: shapeUpdate(u) };
}
