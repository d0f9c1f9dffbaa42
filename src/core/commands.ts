/**
 * Every command the extension contributes (package.json `contributes.commands`), declared once. Registrations, tree
 * nodes, code lenses and the status bar refer to these constants; test/unit/core/commands.test.ts checks that this
 * list and package.json name the same commands and that each is registered exactly once. VS Code-free, so the core's
 * tree nodes can name the command a click runs.
 */
export const COMMANDS = {
  clusters: {
    refresh: 'eksAuth.clusters.refresh',
    refreshNode: 'eksAuth.clusters.refreshNode',
    copyArn: 'eksAuth.clusters.copyArn',
    openConsole: 'eksAuth.clusters.openConsole',
    showLogs: 'eksAuth.clusters.showLogs',
    changeAuthenticationMode: 'eksAuth.clusters.changeAuthenticationMode',
    enableAuthenticatorLogging: 'eksAuth.clusters.enableAuthenticatorLogging',
  },
  awsAuth: {
    openFromCluster: 'eksAuth.awsAuth.openFromCluster',
    save: 'eksAuth.awsAuth.save',
  },
  accessEntries: {
    create: 'eksAuth.accessEntries.create',
    delete: 'eksAuth.accessEntries.delete',
    associatePolicy: 'eksAuth.accessEntries.associatePolicy',
    disassociatePolicy: 'eksAuth.accessEntries.disassociatePolicy',
    loadMore: 'eksAuth.accessEntries.loadMore',
  },
  nodeRoles: {
    fix: 'eksAuth.nodeRoles.fix',
  },
  insights: {
    troubleshoot: 'eksAuth.insights.troubleshoot',
    editQuery: 'eksAuth.insights.editQuery',
    runQueryDocument: 'eksAuth.insights.runQueryDocument',
  },
  setup: {
    configureProfile: 'eksAuth.setup.configureProfile',
    openDocs: 'eksAuth.setup.openDocs',
    openDemoGuide: 'eksAuth.setup.openDemoGuide',
  },
  access: {
    explain: 'eksAuth.access.explain',
    migrate: 'eksAuth.access.migrate',
  },
  workload: {
    explain: 'eksAuth.workload.explain',
  },
  kubeconfig: {
    diagnose: 'eksAuth.kubeconfig.diagnose',
    fix: 'eksAuth.kubeconfig.fix',
    refresh: 'eksAuth.kubeconfig.refresh',
    openFile: 'eksAuth.kubeconfig.openFile',
    addContext: 'eksAuth.kubeconfig.addContext',
  },
} as const;

/** The id of one contributed command. */
export type CommandId = { [A in keyof typeof COMMANDS]: (typeof COMMANDS)[A][keyof (typeof COMMANDS)[A]] }[keyof typeof COMMANDS];

/** Every contributed command id, in declaration order. */
export function allCommandIds(): CommandId[] {
  return Object.values(COMMANDS).flatMap((area) => Object.values(area) as CommandId[]);
}
