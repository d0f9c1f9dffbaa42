/** Markdown for previews built from values that came from a cluster, a file or a log line. */

/**
 * The text as literal Markdown: punctuation that could start a link, an image, emphasis, a table cell, a heading or
 * a template is backslash-escaped, HTML is written as entities, and line breaks become spaces, so a hostile ARN or
 * username shows as the characters it holds and renders nothing.
 */
export function markdownText(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
