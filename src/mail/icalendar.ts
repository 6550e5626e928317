/**
 * The few parts of iCalendar (RFC 5545) that one webinar event needs: UTC date-times, escaped text,
 * quoted parameters and lines folded at 75 octets. Written out, because a general calendar library
 * weighed about 36 KB in every function that attaches an event, for these dozen lines of output.
 */

/** 2030-03-12T13:00:00.000Z → 20300312T130000Z (RFC 5545, 3.3.5, form #2: UTC). */
export function utcDateTime(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** A TEXT value (3.3.11): backslash, semicolon and comma escaped, line breaks as \n. */
export function text(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value (3.2): quoted where it holds a comma, colon or semicolon; never a quote itself. */
export function parameter(value: string): string {
  const clean = value.replace(/"/g, "'");
  return /[,:;]/.test(clean) ? `"${clean}"` : clean;
}

const encoder = new TextEncoder();
const FOLD_AT = 75;

/** One content line, folded so that no line is longer than 75 octets (3.1), never inside a character. */
export function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    // Continuation lines start with a space, which counts toward their 75 octets.
    if (octets + size > FOLD_AT) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

/** Content lines as a calendar file: folded, each ended by CRLF. */
export function calendarText(lines: readonly string[]): string {
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
