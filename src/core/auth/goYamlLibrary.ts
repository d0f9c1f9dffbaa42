/**
 * The real YAML stack of aws-iam-authenticator, loaded as WebAssembly: our Go program go/awsauthyaml (go-yaml v2,
 * sigs.k8s.io/yaml and encoding/json from Debian's packages, built by scripts/buildGo.mjs) turns a section's text
 * into the JSON the authenticator unmarshals, or go-yaml's own error. The model's verdict on a section comes from
 * here; the TypeScript tree (goYaml.ts) only places values and errors in the text.
 *
 * Loading compiles 3.6 MB of WebAssembly (about 50 ms), so the extension starts it in the background at activation
 * (`preloadGoYamlLibrary`); a call that comes first loads it synchronously.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';

/** What go/awsauthyaml answers for one section (the Go struct `sectionResult`). */
export interface GoSectionResult {
  /** ParseMap's isSkippable: blank after trimming, two backticks or `""`. */
  skipped?: boolean;
  /** What utilyaml.ToJSON returned (mapRoles, mapUsers). */
  json?: string;
  /** ToJSON's error, or for mapAccounts go-yaml's: the authenticator logs it. */
  error?: string;
  /** The 1-based line of a syntax error, when go-yaml's message names one. */
  errorLine?: number;
  /** encoding/json's error decoding mapRoles or mapUsers into the mapping types. */
  unmarshalError?: string;
  accounts?: string[];
}

type Call = (request: string) => string;

const FILE = 'awsauthyaml.wasm';
let call: Call | undefined;
let loading: Promise<void> | undefined;

/** Where the build put the library: beside the bundle (dist/goyaml), or dist/goyaml of the checkout that runs us. */
export function goYamlLibraryDir(): string {
  const override = process.env.EKS_AUTH_GOYAML_DIR;
  if (override) return override;
  const candidates = [path.join(__dirname, 'goyaml')];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'dist', 'goyaml'));
    if (path.dirname(dir) === dir) break;
  }
  const found = candidates.find((d) => fs.existsSync(path.join(d, FILE)));
  if (!found) throw new Error(`The go-yaml library (${FILE}) is missing: build it with \`npm run build\` on a machine with Go: ${candidates[0]}`);
  return found;
}

/** The part of the WebAssembly JavaScript API used here: Node has it, and Node code compiles without the DOM types. */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
}
type WasmModule = { readonly __wasmModule?: never };
type WasmInstance = { readonly exports: object };
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Runs Go's wasm_exec.js with its own global object, so the `Go` class, the `fs` stub it installs and our function do
 * not land on the extension host's shared `globalThis`.
 */
function runtime(dir: string): { scope: Record<string, unknown>; Go: new () => { importObject: object; run(i: WasmInstance): Promise<void> } } {
  const own: Record<string | symbol, unknown> = {};
  // Reads fall through to the real global (with it as `this`: Node's crypto getter checks that); writes stay here.
  const scope = new Proxy(own, {
    get: (t, k) => (k in t ? t[k] : Reflect.get(globalThis, k, globalThis)),
    has: (t, k) => k in t || k in globalThis,
  }) as Record<string, unknown>;
  new Function('globalThis', fs.readFileSync(path.join(dir, 'wasm_exec.js'), 'utf8'))(scope);
  return { scope, Go: scope.Go as ReturnType<typeof runtime>['Go'] };
}

function start(module: WasmModule, dir: string): void {
  const { scope, Go } = runtime(dir);
  const go = new Go();
  const instance = new wasm.Instance(module, go.importObject);
  // main() registers the function and then blocks; run() returns to us at that point, before its promise settles.
  void go.run(instance);
  const fn = scope.eksAuthGoYaml as Call | undefined;
  if (typeof fn !== 'function') throw new Error('The go-yaml library did not start');
  call = fn;
}

/** Loads the library off the caller's path (activation): compiling happens asynchronously. */
export function preloadGoYamlLibrary(): Promise<void> {
  if (call) return Promise.resolve();
  loading ??= (async () => {
    const dir = goYamlLibraryDir();
    const module = await wasm.compile(await fs.promises.readFile(path.join(dir, FILE)));
    if (!call) start(module, dir);
    // The first call sets up Go's heap and runs code V8 has not optimised yet (about 100 ms): do it now, not on a
    // keystroke.
    await new Promise((resolve) => setImmediate(resolve));
    call!(JSON.stringify({ id: 0, op: 'section', section: 'mapRoles', text: '- rolearn: a\n  groups: [b]\n', convertOnly: true }));
  })();
  return loading;
}

function library(): Call {
  if (!call) {
    const dir = goYamlLibraryDir();
    start(new wasm.Module(fs.readFileSync(path.join(dir, FILE))), dir);
  }
  return call!;
}

/**
 * go-yaml recurses once per nesting level (and again through each alias), and under WebAssembly every level is a frame
 * on the JavaScript stack: about 2,000 levels fit in the extension host's, while go-yaml itself allows 10,000. Text that
 * may nest deeper than this estimate goes to a worker thread with a larger stack, waited for synchronously; text the
 * estimate misjudges overflows the main thread's stack, and is then read in the worker too (see readSectionWithGo).
 */
const MAIN_THREAD_DEPTH = 1500;

/**
 * How deep go-yaml may recurse for this text: the deepest run of flow openers (`[`, `{`; quoted brackets such as the
 * braces of `"{{SessionName}}"` count too, which only raises the estimate), plus the widest indentation, times the
 * aliases that can repeat it.
 */
export function nestingBound(text: string): number {
  let flow = 0;
  let depth = 0;
  let aliases = 0;
  let line = 0;
  let widestLine = 0;
  let indent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      widestLine = Math.max(widestLine, line);
      line = 0;
      indent = true;
      continue;
    }
    if (c === 91 || c === 123) flow = Math.max(flow, ++depth);
    else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (c === 42) aliases++;
    if (indent && c === 32) line++;
    else {
      indent = false;
      // "-", ":" and "?" are the only block indicators that can open a level after the indentation.
      if (c === 45 || c === 58 || c === 63) line++;
    }
  }
  widestLine = Math.max(widestLine, line);
  return (flow + widestLine + 2) * (aliases + 1);
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
new Function(fs.readFileSync(path.join(workerData.dir, 'wasm_exec.js'), 'utf8'))();
const go = new globalThis.Go();
go.run(new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(path.join(workerData.dir, '${FILE}'))), go.importObject));
parentPort.on('message', (request) => {
  let response;
  try { response = globalThis.eksAuthGoYaml(request); } catch (e) { response = JSON.stringify({ fail: String(e) }); }
  workerData.port.postMessage(response);
  Atomics.store(workerData.signal, 0, 1);
  Atomics.notify(workerData.signal, 0);
});`;

let deep: { worker: Worker; port: MessagePort; signal: Int32Array } | undefined;

function deepCall(request: string): string {
  if (!deep) {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dir: goYamlLibraryDir(), port: port2, signal }, transferList: [port2], resourceLimits: { stackSizeMb: 512 } });
    worker.unref();
    deep = { worker, port: port1, signal };
  }
  Atomics.store(deep.signal, 0, 0);
  deep.worker.postMessage(request);
  if (Atomics.wait(deep.signal, 0, 0, 120_000) === 'timed-out') throw new Error('go-yaml library: the deep-nesting worker did not answer');
  const answer = receiveMessageOnPort(deep.port);
  if (!answer) throw new Error('go-yaml library: no answer from the deep-nesting worker');
  return answer.message as string;
}

/**
 * A call on the extension host's own stack. A stack overflow inside the WebAssembly leaves Go's runtime in an unknown
 * state: the instance is dropped (the next call starts a fresh one) and this text is read in the worker instead.
 */
function onMainThread(request: string): string {
  try {
    return library()(request);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    call = undefined;
    loading = undefined;
    return deepCall(request);
  }
}

let nextId = 0;

/** One section through the authenticator's own libraries. */
export function readSectionWithGo(section: 'mapRoles' | 'mapUsers' | 'mapAccounts', text: string): GoSectionResult {
  const id = ++nextId;
  const request = JSON.stringify({ id, op: 'section', section, text, convertOnly: true });
  const response = JSON.parse(nestingBound(text) > MAIN_THREAD_DEPTH ? deepCall(request) : onMainThread(request)) as { section?: GoSectionResult; fail?: string };
  if (!response.section) throw new Error(`go-yaml library: ${response.fail ?? 'no answer'}`);
  return response.section;
}
