/**
 * Reads the protobuf body kubectl sends for a SelfSubjectAccessReview (`kubectl auth can-i`, which client-go posts
 * with Content-Type `application/vnd.kubernetes.protobuf`; its Accept also names `application/json`, so the answer
 * stays JSON). The wire format:
 * - the envelope: magic `k8s\0` (kubernetes staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go,
 *   protoEncodingPrefix 0x6b 0x38 0x73 0x00), then runtime.Unknown (apimachinery pkg/runtime/generated.proto:
 *   typeMeta=1 {apiVersion=1, kind=2}, raw=2, contentEncoding=3, contentType=4);
 * - raw: authorization.k8s.io/v1 SelfSubjectAccessReview (kubernetes staging/src/k8s.io/api/authorization/v1/generated.proto:
 *   metadata=1, spec=2 {resourceAttributes=1 {namespace=1, verb=2, group=3, version=4, resource=5, subresource=6,
 *   name=7}, nonResourceAttributes=2 {path=1, verb=2}}, status=3).
 * A body that is not this gets the API server's words: apiserver pkg/endpoints/handlers/rest.go transformDecodeError,
 * "the object provided is unrecognized (must be of type SelfSubjectAccessReview): ERROR (SUMMARY)".
 */

export interface AccessReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Length-delimited fields (wire type 2) of one message by field number; varints are skipped. Throws on a truncated body. */
function fields(data: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= data.length || shift > 63) throw new Error('unexpected EOF');
      const byte = data[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < data.length) {
    const key = varint();
    const wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 2) {
      const length = varint();
      if (at + length > data.length) throw new Error('unexpected EOF');
      out.set(Math.floor(key / 8), data.subarray(at, at + length));
      at += length;
    } else if (wire === 1 || wire === 5) at += wire === 1 ? 8 : 4;
    else throw new Error(`proto: illegal wireType ${wire}`);
  }
  return out;
}

function strings<K extends string>(data: Buffer | undefined, names: K[]): { [key in K]?: string } | undefined {
  if (!data) return undefined;
  const f = fields(data);
  const out: { [key in K]?: string } = {};
  names.forEach((name, i) => {
    const value = f.get(i + 1)?.toString('utf8');
    if (value) out[name] = value;
  });
  return out;
}

/** apiserver's summarizeData(body, 30): JSON shown as text, anything else as hex. */
function summary(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  const head = body.subarray(0, 30);
  const text = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return body.length > 30 ? `${text} ...` : text;
}

/** The spec of a protobuf SelfSubjectAccessReview, or the 400 message the API server gives for the body. */
export function readAccessReviewProtobuf(body: Buffer): { spec: AccessReviewSpec } | { badRequest: string } {
  const unrecognized = (why: string) => ({ badRequest: `the object provided is unrecognized (must be of type SelfSubjectAccessReview): ${why} (${summary(body)})` });
  if (body.length === 0) return unrecognized('empty data');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) return unrecognized(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`);
  if (body.length === MAGIC.length) return unrecognized('empty body');
  try {
    const envelope = fields(body.subarray(MAGIC.length));
    // The envelope's typeMeta is not checked: the URL already names the kind.
    const spec = fields(envelope.get(2) ?? Buffer.alloc(0)).get(2);
    const parts = spec ? fields(spec) : new Map<number, Buffer>();
    return {
      spec: {
        resourceAttributes: strings(parts.get(1), ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']),
        nonResourceAttributes: strings(parts.get(2), ['path', 'verb']),
      },
    };
  } catch (e) {
    return unrecognized((e as Error).message);
  }
}

/** The spec of a SelfSubjectAccessReview body, protobuf or (any other Content-Type, as before) JSON. */
export function readAccessReview(body: Buffer, contentType: string): { spec: AccessReviewSpec } | { badRequest: string } {
  if (contentType.split(';')[0].trim() === 'application/vnd.kubernetes.protobuf') return readAccessReviewProtobuf(body);
  try {
    return { spec: (JSON.parse(body.toString('utf8')) as { spec?: AccessReviewSpec }).spec ?? {} };
  } catch {
    return { badRequest: 'the body of the request was in an unknown format' };
  }
}
