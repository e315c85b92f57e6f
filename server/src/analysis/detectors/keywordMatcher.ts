// Finds detector keywords in text in one pass, whatever their number: an Aho-Corasick automaton
// over ASCII with letters folded to lower case (keywords match case-insensitively). A regex
// alternation of a hundred case-insensitive words costs V8 several times more per byte and grows
// with the words; this costs one table lookup per character. Keywords are ASCII; any other
// character simply resets the automaton (no keyword contains one).

/** ASCII; `>> 7` turns a state's offset back into its number. */
const ALPHABET = 128;

/** Lower-cases A-Z, keeps the rest of ASCII. */
const FOLD = (() => {
  const fold = new Uint8Array(ALPHABET);
  for (let c = 0; c < ALPHABET; c++) fold[c] = c >= 65 && c <= 90 ? c + 32 : c;
  return fold;
})();

export class KeywordMatcher {
  /**
   * (state * ALPHABET + char) -> next state * ALPHABET: a full DFA (failure links already
   * followed), holding offsets so that the hot loop does no multiplication.
   */
  private readonly next: Int32Array;
  /** 1 for the states (by offset / ALPHABET) where a keyword ends. */
  private readonly terminal: Uint8Array;
  /** For each state, the keywords (indices) that end there, through failure links too; null if none. */
  private readonly outputs: (readonly number[] | null)[];
  readonly size: number;

  constructor(readonly keywords: readonly string[]) {
    const trie: number[][] = [new Array<number>(ALPHABET).fill(-1)];
    const ends: number[][] = [[]];
    keywords.forEach((keyword, index) => {
      let state = 0;
      for (const ch of keyword.toLowerCase()) {
        const c = ch.charCodeAt(0);
        if (c >= ALPHABET) throw new Error(`keyword ${JSON.stringify(keyword)} is not ASCII`);
        if (trie[state][c] < 0) {
          trie[state][c] = trie.length;
          trie.push(new Array<number>(ALPHABET).fill(-1));
          ends.push([]);
        }
        state = trie[state][c];
      }
      ends[state].push(index);
    });
    const count = trie.length;
    this.size = count;
    const next = new Int32Array(count * ALPHABET);
    const fail = new Int32Array(count);
    const outputs: number[][] = ends.map((e) => [...e]);
    // Breadth-first: a state's failure link is a shorter state, already complete.
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const s = trie[0][c];
      next[c] = s < 0 ? 0 : s;
      if (s > 0) queue.push(s);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      outputs[state].push(...outputs[fail[state]]);
      for (let c = 0; c < ALPHABET; c++) {
        const s = trie[state][c];
        if (s < 0) next[state * ALPHABET + c] = next[fail[state] * ALPHABET + c];
        else {
          fail[s] = next[fail[state] * ALPHABET + c];
          next[state * ALPHABET + c] = s;
          queue.push(s);
        }
      }
    }
    for (let i = 0; i < next.length; i++) next[i] *= ALPHABET;
    this.next = next;
    this.outputs = outputs.map((o) => (o.length > 0 ? [...new Set(o)] : null));
    this.terminal = Uint8Array.from(this.outputs, (o) => (o === null ? 0 : 1));
  }

  /** Calls `hit` with each keyword index found in text[from, to) (a keyword may be reported more than once). */
  forEachHit(text: string, hit: (keyword: number) => void, from = 0, to = text.length): void {
    const { next, outputs, terminal } = this;
    let at = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      at = c < ALPHABET ? next[at + FOLD[c]] : 0;
      if (terminal[at >> 7] !== 0) for (const k of outputs[at >> 7] as readonly number[]) hit(k);
    }
  }

  /** The offset where the first keyword found at or after `from` starts, or -1. */
  firstHit(text: string, from = 0, to = text.length): number {
    const { next, outputs, terminal, keywords } = this;
    let at = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      at = c < ALPHABET ? next[at + FOLD[c]] : 0;
      if (terminal[at >> 7] !== 0) {
        let longest = 0;
        for (const k of outputs[at >> 7] as readonly number[]) longest = Math.max(longest, keywords[k].length);
        return i + 1 - longest;
      }
    }
    return -1;
  }
}
