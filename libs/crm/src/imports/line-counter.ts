const LINE_BREAK = /\r\n|\r|\n/g;
/** Blank (or whitespace-only) lines at the start of a record's raw text, which CSV skips. */
const LEADING_BLANK_LINES = /^(?:[ \t]*(?:\r\n|\r|\n))*/;

/**
 * The physical line (1-based) where each record of a text starts, from the raw text of the
 * records in order: a record spanning lines (a quoted line break) moves the next one further down.
 */
export class LineCounter {
  private breaksBefore = 0;

  /** Where a record whose raw text (blank lines before it included) is `raw` starts. */
  startOf(raw: string): number {
    return this.breaksBefore + 1 + lineBreaks(LEADING_BLANK_LINES.exec(raw)![0]);
  }

  /** Where the record starts; the next one comes after it. */
  consume(raw: string): number {
    const line = this.startOf(raw);
    this.breaksBefore += lineBreaks(raw);
    return line;
  }
}

function lineBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}
