/** Untrusted text, made safe to print on one line of a terminal or a log. */

/** Control characters (C0, DEL, C1): terminal escape sequences start with one. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** Every way a line can end: CR LF, a lone CR or LF, NEL, the Unicode line and paragraph separators. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;

/** Text without line breaks or control characters: safe on a terminal or in one line of a log. */
export function plainLine(text: string): string {
  return text.replace(LINE_BREAK, " ").replace(/\t/g, " ").replace(CONTROL, "");
}
