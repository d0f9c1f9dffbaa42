/** Seeded mutations of YAML text for the analyzer's fuzz test and benchmark. */

/** mulberry32: small, fast, reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['\t', '- ', ': ', '{{', '}}', '"', "'", '|', '>', '#', '\\', '\n', '  ', '---\n', 'é', '😀', '\u0000', '\ufeff', 'arn:aws:iam::1:role/a/b', 'system:masters', '{{SessionName}}', '&a', '*a', '!!binary', '[', ']', '{', '}'];

export function mutate(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  let out = text;
  const steps = 1 + pick(3);
  for (let s = 0; s < steps; s++) {
    const at = pick(out.length + 1);
    switch (pick(7)) {
      case 0:
        out = out.slice(0, at);
        break;
      case 1: {
        const lines = out.split('\n');
        const i = pick(lines.length);
        lines[i] = random() < 0.5 ? ' ' + lines[i] : lines[i].replace(/^ /, '');
        out = lines.join('\n');
        break;
      }
      case 2:
        out = out.slice(0, at) + PIECES[pick(PIECES.length)] + out.slice(at);
        break;
      case 3:
        out = out.slice(0, at) + 'x'.repeat(2000 + pick(20000)) + out.slice(at);
        break;
      case 4:
        out = out.slice(0, at) + String.fromCharCode(...Array.from({ length: 1 + pick(8) }, () => pick(0xffff))) + out.slice(at);
        break;
      case 5:
        out = out.slice(0, at) + out.slice(at + 1 + pick(20));
        break;
      default:
        out = out.replace(/ {2}/, '\t');
    }
  }
  return out;
}
