/**
 * What a Logs Insights query will scan, which is what it costs (CloudWatch Logs bills Insights by data scanned):
 * estimated from the last query's bytes for its range, in proportion to the new range.
 */
export function estimateBytes(last: { bytesScanned: number; rangeMinutes: number } | undefined, rangeMinutes: number): number | undefined {
  if (!last || last.bytesScanned <= 0 || last.rangeMinutes <= 0) return undefined;
  return Math.round((last.bytesScanned * rangeMinutes) / last.rangeMinutes);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e12) return `${(bytes / 1e12).toFixed(2)} TB`;
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
