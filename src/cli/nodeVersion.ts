/**
 * The oldest Node the CLI runs on: package.json's engines.node, the bundle's target (esbuild.mjs). The AWS SDK for
 * JavaScript v3 releases after the first week of January 2027 need Node 22 or later, and today's releases print a
 * NodeVersionSupportWarning on older ones (@aws-sdk/core, emitWarningIfUnsupportedVersion); we say it ourselves
 * instead, before any command runs.
 */
export const MIN_NODE_MAJOR = 22;

/** Our message when `version` (process.version, "v20.19.0") is older than MIN_NODE_MAJOR; undefined when it is not. */
export function unsupportedNode(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isFinite(major) || major >= MIN_NODE_MAJOR) return undefined;
  return `eks-auth needs Node.js ${MIN_NODE_MAJOR} or later; this is Node.js ${version}.\n`;
}
