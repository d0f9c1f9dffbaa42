/**
 * One declaration per command: src/core/commands.ts and package.json `contributes.commands` name the same commands,
 * each is registered exactly once through its constant, and no source file spells a command id out again.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allCommandIds, COMMANDS } from '../../../src/core/commands';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('contributed commands', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
  const sources = sourceFiles(path.join(ROOT, 'src')).map((file) => ({ file: path.relative(ROOT, file), text: fs.readFileSync(file, 'utf8') }));

  it('package.json contributes exactly the commands declared in src/core/commands.ts, each once', () => {
    const declared = allCommandIds();
    assert.deepStrictEqual([...declared].sort(), [...contributed].sort());
    assert.strictEqual(new Set(declared).size, declared.length, 'a command id is declared twice');
    assert.strictEqual(new Set(contributed).size, contributed.length, 'package.json contributes a command twice');
  });

  it('each constant is named after its id (COMMANDS.area.verb is eksAuth.area.verb)', () => {
    for (const [area, verbs] of Object.entries(COMMANDS)) {
      for (const [verb, id] of Object.entries(verbs)) assert.strictEqual(id, `eksAuth.${area}.${verb}`);
    }
  });

  it('every command is registered exactly once, through its constant', () => {
    const registered = new Map<string, string[]>();
    // registerGuarded(log, COMMANDS.a.b, ...) and vscode.commands.registerCommand(COMMANDS.a.b, ...)
    const call = /register(?:Guarded\([^,()]+,|Command\()\s*COMMANDS\.(\w+)\.(\w+)/g;
    for (const { file, text } of sources) {
      for (const m of text.matchAll(call)) {
        const id = `eksAuth.${m[1]}.${m[2]}`;
        registered.set(id, [...(registered.get(id) ?? []), file]);
      }
    }
    for (const id of contributed) assert.strictEqual(registered.get(id)?.length, 1, `${id} is registered in: ${registered.get(id)?.join(', ') || 'nowhere'}`);
    assert.deepStrictEqual([...registered.keys()].filter((id) => !contributed.includes(id)), []);
  });

  it('no source file outside src/core/commands.ts spells a command id as a string', () => {
    // Quoted strings only: comments name commands in backticks.
    const spelled = sources.filter((s) => s.file !== path.join('src', 'core', 'commands.ts')).flatMap((s) => contributed.filter((id) => s.text.includes(`'${id}'`) || s.text.includes(`"${id}"`)).map((id) => `${s.file}: ${id}`));
    assert.deepStrictEqual(spelled, []);
  });
});
