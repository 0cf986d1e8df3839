import { ProgressLine } from './progress-line.js';

const CLEAR_TO_END_OF_LINE = '\x1b[K';

/** A stand-in for stderr that records what is drawn (each line without its clearing code). */
function terminal(isTTY: boolean) {
  const written: string[] = [];
  const out = {
    isTTY,
    write: (text: string) => written.push(text.replace(CLEAR_TO_END_OF_LINE, '')) > 0,
  };
  return { out: out as unknown as NodeJS.WriteStream, written };
}

describe('ProgressLine', () => {
  it('draws a bar, the share done, the rate and the time left when the total is known', () => {
    const { out, written } = terminal(true);
    const line = new ProgressLine('copy:users', 1_000, out);
    line.finish(250);
    expect(written[0]).toMatch(
      /^\rcopy:users \[#{5}\.{15}\] 250 \/ 1,000 \(25%\) rows, [\d,]+ rows\/s, ETA \d+s$/,
    );
    expect(written[1]).toBe('\n');
  });

  it('leaves the ETA out once done, and the bar out without a total', () => {
    const { out, written } = terminal(true);
    new ProgressLine('copy:users', 4, out).finish(4);
    new ProgressLine('checking', undefined, out).finish(12_345);
    expect(written[0]).toMatch(/\[#{20}\] 4 \/ 4 \(100%\) rows, [\d,]+ rows\/s$/);
    expect(written[2]).toMatch(/^\rchecking 12,345 rows, [\d,]+ rows\/s$/);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const { out, written } = terminal(false);
    const line = new ProgressLine('copy:users', 10, out);
    line.update(5);
    line.finish(10);
    expect(written).toEqual([]);
  });
});
