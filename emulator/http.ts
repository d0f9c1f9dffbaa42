/**
 * Wire-level helpers shared by the emulated services: reading requests, telling which caller and region a SigV4
 * request is for, and writing errors in the shape each AWS protocol's SDK deserializer expects.
 */
import type * as http from 'http';
import { randomUUID } from 'crypto';

export type Protocol = 'restJson' | 'json' | 'query';

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Members of the error besides its message (MalformedQueryException's queryCompileError). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Call {
  service: string;
  operation: string;
  region: string;
  params: Record<string, unknown>;
  at: number;
}

/**
 * How much of a request body the emulator will take, and for how long it waits for the rest of one. A server that
 * buffers whatever it is sent, for as long as it is sent, can be made to hold memory and sockets forever.
 */
export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBytes: 10 * 1024 * 1024, timeoutMs: 10_000 };

/** Why a body was not read: over the limit (declared or counted while it streamed), too slow, or cut off. */
export class BodyError extends Error {
  constructor(
    readonly kind: 'tooLarge' | 'timeout' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body within the limits: a Content-Length over the limit is refused before a byte is read, a chunked
 * body is counted as it streams, and a body that has not ended within the timeout is given up.
 */
export function readBody(req: http.IncomingMessage, limits: BodyLimits = DEFAULT_BODY_LIMITS): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limits.maxBytes) {
    return Promise.reject(new BodyError('tooLarge', `Request body of ${declared} bytes is over the limit of ${limits.maxBytes} bytes`));
  }
  // A client that resets after the body was given up must not become an unhandled 'error' event.
  req.on('error', () => undefined);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => done(new BodyError('timeout', `The request body did not arrive within ${limits.timeoutMs} ms`)), limits.timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return done(new BodyError('tooLarge', `Request body is over the limit of ${limits.maxBytes} bytes`));
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onAbort = () => done(new BodyError('aborted', 'The client closed the connection before the body ended'));
    function done(error?: BodyError) {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks));
    }
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/**
 * Answers without reading (the rest of) the body: the response says `Connection: close`, and the socket is destroyed
 * shortly after the answer is written, so whatever the client still sends is dropped, not read. The short grace lets
 * the answer reach the client before a reset could discard it.
 */
export function closeAfterResponse(req: http.IncomingMessage, res: http.ServerResponse, graceMs = 500): void {
  const socket = req.socket;
  if (!res.headersSent) res.setHeader('connection', 'close');
  // 'close' follows the end of the answer, or a connection that went away first.
  res.once('close', () => setTimeout(() => socket.destroy(), graceMs).unref());
}

/**
 * `Credential=AKID/20261128/us-east-1/eks/aws4_request` names the key, region and service of a signed request, in the
 * Authorization header or, for a presigned URL, in the X-Amz-Credential query parameter.
 */
export function credentialScope(req: http.IncomingMessage): { accessKeyId: string; region: string; service: string } | undefined {
  const credential = req.headers.authorization ? /Credential=([^,\s]+)/.exec(req.headers.authorization)?.[1] : new URL(req.url ?? '/', 'http://localhost').searchParams.get('X-Amz-Credential');
  const m = /^([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request$/.exec(credential ?? '');
  return m ? { accessKeyId: m[1], region: m[2], service: m[3] } : undefined;
}

export function parseJsonBody(body: string): Record<string, unknown> {
  if (!body.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ServiceError('SerializationException', 'Start of structure or map found where not expected, or body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceError('SerializationException', 'Expected a JSON object as the request body');
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendXml(res: http.ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}

export function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

/** An error in the protocol's shape; query-protocol errors carry their service's XML namespace (STS by default). */
export function sendError(res: http.ServerResponse, protocol: Protocol, error: ServiceError, xmlNamespace = 'https://sts.amazonaws.com/doc/2011-06-15/'): void {
  if (protocol === 'restJson') {
    const text = JSON.stringify({ message: error.message });
    res.writeHead(error.status, { 'content-type': 'application/json', 'x-amzn-errortype': `${error.code}:`, 'x-amzn-requestid': randomUUID() });
    res.end(text);
  } else if (protocol === 'json') {
    sendJson(res, error.status, { __type: error.code, message: error.message, ...error.extra }, 'application/x-amz-json-1.1');
  } else {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    sendXml(
      res,
      error.status,
      `<ErrorResponse xmlns="${xmlNamespace}"><Error><Type>${type}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
  }
}

export function requireString(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') {
    throw new ServiceError('InvalidParameterException', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** Pages a list with an opaque token that is the next index, as the services' own tokens are opaque. */
export function paginate<T>(items: T[], maxResults: unknown, nextToken: unknown, defaultMax: number, cap: number): { page: T[]; nextToken?: string } {
  let max = defaultMax;
  if (maxResults !== undefined && maxResults !== null && maxResults !== '') {
    max = Number(maxResults);
    if (!Number.isInteger(max) || max < 1 || max > cap) {
      throw new ServiceError('InvalidParameterException', `maxResults must be between 1 and ${cap}`);
    }
  }
  let start = 0;
  if (typeof nextToken === 'string' && nextToken !== '') {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^idx:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) throw new ServiceError('InvalidParameterException', 'The nextToken is not valid');
    start = decoded;
  }
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(`idx:${start + max}`).toString('base64url') : undefined;
  return { page, nextToken: next };
}
