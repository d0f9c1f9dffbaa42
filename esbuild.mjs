// Bundles the extension host code, the CLI and the webview into dist/.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { buildGo } from './scripts/buildGo.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// jsonc-parser's default (UMD) entry loads its parts with a require() esbuild cannot follow: bundle its ES modules.
// tr46 (under @kubernetes/client-node's node-fetch) requires Node's built-in punycode, which Node 22 deprecates with a
// DeprecationWarning (DEP0040) printed on first use: bundle the userland punycode package, the same code, instead.
const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'warning', alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js', punycode: './node_modules/punycode/punycode.js' } };
// node-fetch 2 calls url.parse() on every request, which Node 24 deprecates with a DeprecationWarning (DEP0169) when the
// caller is not under node_modules, as bundled code is not: its `url` is src/shared/nodeFetchUrl.ts.
const nodeFetchUrl = {
  name: 'node-fetch-url',
  setup(build) {
    build.onResolve({ filter: /^url$/ }, (args) => (/[\\/]node-fetch[\\/]/.test(args.importer) ? { path: path.resolve('src/shared/nodeFetchUrl.ts') } : undefined));
  },
};
common.plugins = [nodeFetchUrl];
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node22', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node22', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['src/webview/insights/main.ts'], outfile: 'dist/webview/insights.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

// uPlot's stylesheet beside the webview bundle: the CSP allows styles from the extension only.
fs.mkdirSync('dist/webview', { recursive: true });
fs.copyFileSync('node_modules/uplot/dist/uPlot.min.css', 'dist/webview/uPlot.min.css');

// go-yaml v2 as WebAssembly (dist/goyaml), the library the extension reads aws-auth sections with, and the native
// oracle for the tests (out/go). A package must contain it; a development build without Go warns.
buildGo({ required: production });

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
