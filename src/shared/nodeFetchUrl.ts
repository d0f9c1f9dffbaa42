/**
 * The `url` module as node-fetch 2 (under @kubernetes/client-node) sees it in our bundles. node-fetch turns every
 * request URL into Node's legacy url object with `url.parse()` (node-fetch/lib/index.js, parseURL), and Node 24
 * prints a DeprecationWarning (DEP0169) for every `url.parse()` call from code outside node_modules, which bundled
 * code is: the current VS Code's extension host would log it on the first Kubernetes request. Here `parse` builds
 * the same fields from the WHATWG URL instead; node-fetch hands it only absolute URLs (it makes them with
 * `new URL(...).toString()` first and rejects anything without a protocol and a host name), and reads protocol,
 * hostname, port, path and auth from the result to call http.request. URL and format are Node's own.
 * test/unit/shared/nodeFetchUrl.test.ts holds these fields to Node's url.parse.
 */
import * as url from 'url';

export interface LegacyUrl {
  protocol: string | null;
  slashes: boolean | null;
  auth: string | null;
  host: string | null;
  port: string | null;
  hostname: string | null;
  hash: string | null;
  search: string | null;
  query: string | null;
  pathname: string | null;
  path: string | null;
  href: string;
}

export function parse(input: string): LegacyUrl {
  let u: url.URL;
  try {
    u = new url.URL(input);
  } catch {
    // Not absolute: node-fetch answers "Only absolute URLs are supported" when protocol or hostname is missing.
    return { protocol: null, slashes: null, auth: null, host: null, port: null, hostname: null, hash: null, search: null, query: null, pathname: input, path: input, href: input };
  }
  const auth = u.username || u.password ? `${decodeURIComponent(u.username)}${u.password ? `:${decodeURIComponent(u.password)}` : ''}` : null;
  // The legacy object names an IPv6 host without its brackets (http.request wants it so).
  const hostname = u.hostname.startsWith('[') && u.hostname.endsWith(']') ? u.hostname.slice(1, -1) : u.hostname;
  return {
    protocol: u.protocol,
    slashes: true,
    auth,
    host: u.host,
    port: u.port || null,
    hostname,
    hash: u.hash || null,
    search: u.search || null,
    query: u.search ? u.search.slice(1) : null,
    pathname: u.pathname,
    path: `${u.pathname}${u.search}`,
    href: u.href,
  };
}

// What else node-fetch takes from `url`.
export const URL = url.URL;
export const format = url.format;
