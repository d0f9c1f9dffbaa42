/**
 * The emulator's own routes under `/_emulator/`, for tests and the demo: the call log, faults, a reset, and the demo
 * kubeconfig. They are not AWS: unsigned, and answered as plain JSON.
 */
import type * as http from 'http';
import { faultProblem, type Fault } from './faults';
import { sendJson } from './http';
import type { EmulatorRuntime } from './runtime';

export function adminRoute(rt: EmulatorRuntime, method: string, path: string, body: string, res: http.ServerResponse) {
  const { emulator, options } = rt;
  if (path === '/_emulator/calls' && method === 'GET') return sendJson(res, 200, emulator.calls);
  if (path === '/_emulator/kubeconfig' && method === 'GET') {
    void emulator.kubeconfig(options.demoAwsCommand).then(
      (text) => {
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end(text);
      },
      (e: Error) => sendJson(res, 404, { message: `no demo kubeconfig for this scenario: ${e.message}` }),
    );
    return;
  }
  if (path === '/_emulator/calls' && method === 'DELETE') {
    emulator.calls.length = 0;
    return sendJson(res, 200, {});
  }
  if (path === '/_emulator/faults' && method === 'POST') {
    // A bad fault is refused whole: one that slipped in would make every later request fail.
    let fault: unknown;
    try {
      fault = JSON.parse(body);
    } catch {
      return sendJson(res, 400, { message: 'the fault is not JSON: expected {"target": "eks:ListClusters", "kind": "throttle"}' });
    }
    const problem = faultProblem(fault);
    if (problem) return sendJson(res, 400, { message: problem });
    emulator.faults.push(fault as Fault);
    return sendJson(res, 200, emulator.faults);
  }
  if (path === '/_emulator/faults' && method === 'DELETE') {
    emulator.faults.length = 0;
    return sendJson(res, 200, {});
  }
  if (path === '/_emulator/reset' && method === 'POST') {
    emulator.reset();
    return sendJson(res, 200, {});
  }
  return sendJson(res, 404, { message: `unknown emulator admin route ${method} ${path}` });
}
