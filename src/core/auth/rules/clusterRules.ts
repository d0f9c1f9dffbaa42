/** Rules that need the live cluster's facts: its authentication mode, access entries and log types. */
import type { Node as YamlNode, YAMLMap } from 'yaml';
import { accessEntryMatches } from '../authenticator';
import { rule, type Rule } from './rule';

const clusterName = (name?: string) => (name ? `Cluster ${name}` : 'The cluster');
const firstKey = (data: YAMLMap) => (data.items[0]?.key as YamlNode | undefined) ?? data;

export const CLUSTER_RULES: Rule[] = [
  rule({ id: 'C01', severity: 'warning', scope: 'cluster', title: 'The cluster ignores aws-auth' }, {
    document({ report, cluster }, _loaded, data) {
      if (cluster?.authenticationMode === 'API') report.at(firstKey(data), `${clusterName(cluster.name)} uses authentication mode API: it ignores this ConfigMap entirely. Manage access with access entries instead.`);
    },
  }),
  rule({ id: 'C02', severity: 'info', scope: 'cluster', title: 'An access entry wins over this mapping' }, {
    document({ report, cluster }, loaded) {
      if (cluster?.authenticationMode !== 'API_AND_CONFIG_MAP' || !cluster.accessEntryArns?.length) return;
      for (const section of ['mapRoles', 'mapUsers'] as const) {
        const s = loaded.get(section);
        for (const item of s?.model.items ?? []) {
          if (item.dropped || !item.fields.arn || item.replacedBy) continue;
          const entry = cluster.accessEntryArns.find((a) => accessEntryMatches(a, item.arn));
          if (entry) report.inEmbedded(s!.embedded, item.fields.arn.valueRange, `${clusterName(cluster.name)} has an access entry for ${entry}; in API_AND_CONFIG_MAP mode the access entry wins and this mapping is not used.`);
        }
      }
    },
  }),
  rule({ id: 'C03', severity: 'info', scope: 'cluster', title: 'Authenticator logs are off' }, {
    document({ report, cluster }, _loaded, data) {
      if (cluster?.authenticatorLogging === false) report.at(firstKey(data), `${clusterName(cluster.name)} does not send authenticator logs to CloudWatch: "EKS: Troubleshoot Authentication" will find nothing until the authenticator log type is enabled.`);
    },
  }),
];
