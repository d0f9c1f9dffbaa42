/**
 * Text tests that take linear time on hostile input. A regular expression such as `/a.*b/` starts its `.*` at every
 * `a` and runs to the end of the line each time, so a 64 KiB line of `a`s costs about two billion steps; these
 * helpers give the same answers in one pass. They serve text from outside: log lines, AWS error messages,
 * kubeconfig values.
 */

/**
 * ECMAScript's LineTerminator code points: what `.` does not match without the `s` flag (ECMA-262, "LineTerminator"
 * and "CharacterClassEscape"), so a `.*` never joins text across them.
 */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** Whether some line of `text` passes `test`, lines split as `.` splits them. */
export function someLine(text: string, test: (line: string) => boolean): boolean {
  return text.split(LINE_TERMINATOR).some(test);
}

/**
 * What `/first.*second/` answers, in linear time: `first` matches, and `second` matches after it on the same line.
 * `first` must match a fixed number of characters (a literal, with or without `i`): its leftmost match then also
 * ends first, so checking after that one match is enough. Neither may have the `g` or `y` flag.
 */
export function followedOnOneLine(text: string, first: RegExp, second: RegExp): boolean {
  return someLine(text, (line) => {
    const m = first.exec(line);
    return m !== null && second.test(line.slice(m.index + m[0].length));
  });
}

/** `text` without the run of `char` at its end: what `text.replace(/x+$/, '')` gives, without retrying every start of the run. */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/**
 * `text` without a final `[...]` holding no `]` (a Terraform instance key such as `["a"]` or `[0]`): what
 * `text.replace(/\[[^\]]*\]$/, '')` gives, found from the end instead of from every `[`.
 */
export function trimTrailingIndex(text: string): string {
  if (!text.endsWith(']')) return text;
  const open = text.indexOf('[', text.lastIndexOf(']', text.length - 2) + 1);
  return open >= 0 && open < text.length - 1 ? text.slice(0, open) : text;
}
