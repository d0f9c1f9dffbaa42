#!/usr/bin/env bash
# Runs node from the Node LTS pinned in scripts/test-hosts.json ("node", installed by scripts/setup-test-host.sh from
# the npm registry), whatever Node the machine has, and puts it first on PATH so that what it starts (mocha, npm,
# the emulator, the CLI) runs on it too. The CLI, the emulator, the benchmarks and the tests run on it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NODE="$ROOT/.vscode-test-host/bin/node"
if [ ! -x "$NODE" ]; then
  echo "No Node in .vscode-test-host/bin: run 'bash scripts/setup-test-host.sh' first." >&2
  exit 1
fi
export PATH="$ROOT/.vscode-test-host/bin:$PATH"
exec "$NODE" "$@"
