/**
 * When a kubeconfig that another program is writing has been written. awscli is not atomic: kubeconfig.py
 * `KubeconfigWriter.write_kubeconfig` opens the file with "w+" (truncating it) and then streams a YAML dump into it, so
 * a read in between sees an empty or cut-off file, which may still be valid YAML (cut at a line end).
 */
import { readKubeconfig } from './kubeconfig';

/**
 * True when the file was written and is done: its text differs from the text before the command, is the same on two
 * reads in a row (a write in progress grows between them), parses as a kubeconfig, and defines `context` (the one
 * `--alias` writes). `undefined` is a file that does not exist.
 */
export function kubeconfigWriteSettled(before: string | undefined, previousRead: string | undefined, read: string | undefined, context: string): boolean {
  if (read === undefined || read === before || read !== previousRead || !read.trim()) return false;
  const parsed = readKubeconfig([{ path: 'kubeconfig', text: read }]);
  return !parsed.errors.length && parsed.contexts.some((c) => c.name === context);
}
