/**
 * With recordResponses, every AWS response as sent (status, error type, body), for the tests that hold the answers
 * to the service models (test/emulator/schemaConformance.test.ts). Taken where the response ends, so an error thrown
 * by a handler and answered by the server's catch-all is kept as it went out.
 */
import type * as http from 'http';

export interface RecordedResponse {
  service: string;
  operation: string;
  status: number;
  errorType?: string;
  body: string;
}

/** Keeps this response in `responses` when it is ended. */
export function recordResponse(responses: RecordedResponse[], res: http.ServerResponse, service: string, operation: string): void {
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => http.ServerResponse;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    const errorType = res.getHeader('x-amzn-errortype');
    responses.push({ service, operation, status: res.statusCode, errorType: errorType ? String(errorType).split(':')[0] : undefined, body: chunk === undefined || typeof chunk === 'function' ? '' : String(chunk) });
    return end(chunk, ...rest);
  }) as typeof res.end;
}
