// Finds detector keywords in text in one pass, whatever their number: an Aho-Corasick automaton
// over ASCII, matching case-insensitively. A regex alternation of a hundred case-insensitive
// words costs V8 several times more per byte and grows with the words; this costs one table
// lookup per character (it is the whole cost of redacting a log's lines that hold nothing, so
// the table does the folding of upper case, and states are numbered so that one comparison
// tells a keyword's end). Keywords are ASCII; any other character resets the automaton (no
// keyword contains one).

/** ASCII; `>> 7` turns a state's offset back into its number. */
const ALPHABET = 128;

export class KeywordMatcher {
  /**
   * (state * ALPHABET + char) -> next state * ALPHABET: a full DFA (failure links already
   * followed, upper-case letters leading where their lower case does), holding offsets so that
   * the hot loop does no multiplication.
   */
  private readonly next: Int32Array;
  /** States from this offset on are those where a keyword ends (they are numbered last). */
  private readonly firstTerminal: number;
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
    // Renumber: states where no keyword ends first (the root stays 0), then the others.
    const order = [...Array(count).keys()].sort((a, b) => Number(outputs[a].length > 0) - Number(outputs[b].length > 0) || a - b);
    const renamed = new Int32Array(count);
    order.forEach((state, i) => (renamed[state] = i));
    const table = new Int32Array(count * ALPHABET);
    for (let state = 0; state < count; state++) {
      const row = renamed[state] * ALPHABET;
      for (let c = 0; c < ALPHABET; c++) {
        // Keywords are lower case: an upper-case letter goes where its lower case goes.
        const lower = c >= 65 && c <= 90 ? c + 32 : c;
        table[row + c] = renamed[next[state * ALPHABET + lower]] * ALPHABET;
      }
    }
    this.next = table;
    this.outputs = order.map((state) => (outputs[state].length > 0 ? [...new Set(outputs[state])] : null));
    const terminals = order.findIndex((state) => outputs[state].length > 0);
    this.firstTerminal = (terminals < 0 ? count : terminals) * ALPHABET;
  }

  /** Calls `hit` with each keyword index found in text[from, to) (a keyword may be reported more than once). */
  forEachHit(text: string, hit: (keyword: number) => void, from = 0, to = text.length): void {
    const { next, outputs, firstTerminal } = this;
    let at = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      at = c < ALPHABET ? next[at + c] : 0;
      if (at >= firstTerminal) for (const k of outputs[at >> 7] as readonly number[]) hit(k);
    }
  }

  /** The offset where the first keyword found at or after `from` starts, or -1. */
  firstHit(text: string, from = 0, to = text.length): number {
    const { next, outputs, firstTerminal, keywords } = this;
    let at = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      at = c < ALPHABET ? next[at + c] : 0;
      if (at >= firstTerminal) {
        let longest = 0;
        for (const k of outputs[at >> 7] as readonly number[]) longest = Math.max(longest, keywords[k].length);
        return i + 1 - longest;
      }
    }
    return -1;
  }
}
