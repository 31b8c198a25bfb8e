// The security plugin's `/regex/` role-mapping patterns are Java regular expressions matched
// against the whole value (Pattern.matcher(value).matches()). Account data can hold any pattern,
// and a backtracking engine spins for ever on shapes such as `(.*.*)*X`, so patterns are compiled
// to a Thompson automaton and run in lock step: at most (value length + 1) × (automaton size) steps,
// whatever the pattern. Constructs whose meaning needs backtracking or Java-specific rules
// (backreferences, lookaround, possessive or atomic groups, inline flags, Unicode classes, nested
// class operations) are not guessed at: the answer is "undecidable", with the reason.

export type RegexVerdict = { matches: boolean } | { undecidable: string };

/** More states than this (large counted repetitions, huge patterns) is answered as undecidable. */
const MAX_STATES = 20_000;
/** Deeper group nesting than this is answered as undecidable (the parser recurses per group). */
const MAX_NESTING = 100;

class Undecidable extends Error {}

type CharTest = (codePoint: number) => boolean;

type Node =
  | { kind: 'char'; test: CharTest }
  | { kind: 'empty' }
  | { kind: 'concat'; parts: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number | undefined };

/** Java's `.` without DOTALL: anything but a line terminator. */
const LINE_TERMINATORS = new Set([0x0a, 0x0d, 0x85, 0x2028, 0x2029]);
const isDigit: CharTest = (c) => c >= 0x30 && c <= 0x39;
const isWord: CharTest = (c) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
/** Java's \s: [ \t\n\x0B\f\r]. */
const isSpace: CharTest = (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const not =
  (test: CharTest): CharTest =>
  (c) =>
    !test(c);

const SIMPLE_ESCAPES: Record<string, number> = { t: 0x09, n: 0x0a, r: 0x0d, f: 0x0c, a: 0x07, e: 0x1b };
const CLASS_ESCAPES: Record<string, CharTest> = { d: isDigit, D: not(isDigit), w: isWord, W: not(isWord), s: isSpace, S: not(isSpace) };

class Parser {
  private readonly chars: string[];
  private at = 0;
  private depth = 0;

  constructor(pattern: string) {
    this.chars = [...pattern];
  }

  parse(): Node {
    // In a whole-value match a leading ^ and a trailing $ change nothing.
    if (this.chars[0] === '^') this.at = 1;
    const end = this.chars.length;
    if (end > this.at && this.chars[end - 1] === '$' && this.chars[end - 2] !== '\\') this.chars.pop();
    const node = this.alternation();
    if (this.at < this.chars.length) throw new Undecidable(`unbalanced ")" at ${this.at}`);
    return node;
  }

  private peek(): string | undefined {
    return this.chars[this.at];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.at += 1;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  private sequence(): Node {
    const parts: Node[] = [];
    while (this.at < this.chars.length && this.peek() !== '|' && this.peek() !== ')') parts.push(this.quantified(this.atom()));
    return parts.length === 1 ? parts[0]! : parts.length === 0 ? { kind: 'empty' } : { kind: 'concat', parts };
  }

  private quantified(node: Node): Node {
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number | undefined;
      if (c === '*') [min, max] = [0, undefined];
      else if (c === '+') [min, max] = [1, undefined];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const bounds = /^\{(\d{1,6})(?:(,)(\d{1,6})?)?\}/.exec(this.chars.slice(this.at, this.at + 16).join(''));
        if (!bounds) throw new Undecidable(`"{" at ${this.at} is not a repetition Java accepts`);
        min = Number(bounds[1]);
        max = bounds[2] ? (bounds[3] !== undefined ? Number(bounds[3]) : undefined) : min;
        if (max !== undefined && max < min) throw new Undecidable(`the repetition at ${this.at} has its bounds reversed`);
        this.at += bounds[0].length - 1;
      } else return node;
      this.at += 1;
      // A lazy quantifier matches the same whole values; a possessive one does not, without backtracking.
      if (this.peek() === '?') this.at += 1;
      else if (this.peek() === '+') throw new Undecidable(`possessive quantifier at ${this.at}`);
      node = { kind: 'repeat', node, min, max };
    }
  }

  private atom(): Node {
    const c = this.chars[this.at++]!;
    switch (c) {
      case '.':
        return { kind: 'char', test: (cp) => !LINE_TERMINATORS.has(cp) };
      case '(':
        return this.group();
      case '[':
        return { kind: 'char', test: this.charClass() };
      case '\\':
        return this.peek() === 'Q' ? this.quoted() : this.escape(false);
      case '^':
      case '$':
        throw new Undecidable(`anchor "${c}" inside the pattern`);
      case '*':
      case '+':
      case '?':
      case '{':
        throw new Undecidable(`dangling "${c}" at ${this.at - 1}`);
      default: {
        const cp = c.codePointAt(0)!;
        return { kind: 'char', test: (x) => x === cp };
      }
    }
  }

  /** \\Q…\\E: everything up to \\E (or the end) taken literally. */
  private quoted(): Node {
    this.at += 1;
    const parts: Node[] = [];
    while (this.at < this.chars.length && !(this.chars[this.at] === '\\' && this.chars[this.at + 1] === 'E')) {
      const cp = this.chars[this.at++]!.codePointAt(0)!;
      parts.push({ kind: 'char', test: (x) => x === cp });
    }
    if (this.at < this.chars.length) this.at += 2;
    return { kind: 'concat', parts };
  }

  private group(): Node {
    if (++this.depth > MAX_NESTING) throw new Undecidable(`groups nested deeper than ${MAX_NESTING}`);
    if (this.peek() === '?') {
      const next = this.chars[this.at + 1];
      if (next === ':') this.at += 2;
      else if (next === '<' && /[A-Za-z]/.test(this.chars[this.at + 2] ?? '')) {
        const close = this.chars.indexOf('>', this.at);
        if (close < 0) throw new Undecidable('unterminated group name');
        this.at = close + 1;
      } else throw new Undecidable(`group construct "(?${next ?? ''}" (lookaround, atomic group or inline flags)`);
    }
    const node = this.alternation();
    if (this.peek() !== ')') throw new Undecidable('unterminated group');
    this.at += 1;
    this.depth -= 1;
    return node;
  }

  private escape(inClass: boolean): Node {
    const c = this.chars[this.at++];
    if (c === undefined) throw new Undecidable('the pattern ends with "\\"');
    if (CLASS_ESCAPES[c]) return { kind: 'char', test: CLASS_ESCAPES[c] };
    const code = this.escapedCodePoint(c, inClass);
    return { kind: 'char', test: (x) => x === code };
  }

  /** The character an escape stands for; anything with another meaning in Java is undecidable. */
  private escapedCodePoint(c: string, inClass: boolean): number {
    if (SIMPLE_ESCAPES[c] !== undefined) return SIMPLE_ESCAPES[c];
    if (c === 'x' || c === 'u') {
      const width = c === 'x' ? 2 : 4;
      const hex = this.chars.slice(this.at, this.at + width).join('');
      if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(hex)) throw new Undecidable(`"\\${c}" escape at ${this.at - 2}`);
      this.at += width;
      return parseInt(hex, 16);
    }
    if (/[A-Za-z0-9]/.test(c)) {
      const what = /[1-9]/.test(c) || c === 'k' ? 'backreference' : inClass ? 'escape in a class' : 'escape';
      throw new Undecidable(`${what} "\\${c}" (Java-specific meaning)`);
    }
    return c.codePointAt(0)!;
  }

  private charClass(): CharTest {
    const negated = this.peek() === '^';
    if (negated) this.at += 1;
    const tests: CharTest[] = [];
    let first = true;
    for (;;) {
      const c = this.chars[this.at];
      if (c === undefined) throw new Undecidable('unterminated character class');
      if (c === ']' && !first) {
        this.at += 1;
        break;
      }
      first = false;
      if (c === '[' || (c === '&' && this.chars[this.at + 1] === '&')) throw new Undecidable('nested class or class intersection (Java-specific)');
      const low = this.classMember(tests);
      if (low === undefined) continue;
      if (this.peek() === '-' && this.chars[this.at + 1] !== undefined && this.chars[this.at + 1] !== ']') {
        this.at += 1;
        const high = this.classMember(tests);
        if (high === undefined || high < low) throw new Undecidable('character range Java would refuse');
        tests.push((x) => x >= low && x <= high);
      } else tests.push((x) => x === low);
    }
    const any: CharTest = (x) => tests.some((t) => t(x));
    return negated ? not(any) : any;
  }

  /** One class member: a code point, or undefined after pushing a predefined class (\d, \w…). */
  private classMember(tests: CharTest[]): number | undefined {
    const c = this.chars[this.at++]!;
    if (c !== '\\') return c.codePointAt(0)!;
    const e = this.chars[this.at++];
    if (e === undefined) throw new Undecidable('unterminated character class');
    if (CLASS_ESCAPES[e]) {
      tests.push(CLASS_ESCAPES[e]);
      return undefined;
    }
    return this.escapedCodePoint(e, true);
  }
}

// The automaton: a state tests one code point and moves on, splits, or accepts.
type State = { test: CharTest; next: number } | { split: [number, number] } | { accept: true };

class Automaton {
  readonly states: State[] = [];
  /** Compile steps, bounded too: repeating an empty group a million times adds no state but takes time. */
  private steps = 0;

  private add(state: State): number {
    if (this.states.length >= MAX_STATES) throw new Undecidable(`the pattern needs more than ${MAX_STATES} automaton states`);
    this.states.push(state);
    return this.states.length - 1;
  }

  /** Compiles `node` so that it continues at `next`; returns its entry state. */
  compile(node: Node, next: number): number {
    if (++this.steps > 4 * MAX_STATES) throw new Undecidable(`the pattern needs more than ${4 * MAX_STATES} compile steps`);
    switch (node.kind) {
      case 'empty':
        return next;
      case 'char':
        return this.add({ test: node.test, next });
      case 'concat':
        return node.parts.reduceRight((to, part) => this.compile(part, to), next);
      case 'alt':
        return node.options.slice(1).reduce((entry, option) => this.add({ split: [entry, this.compile(option, next)] }), this.compile(node.options[0]!, next));
      case 'repeat': {
        let entry = next;
        if (node.max === undefined) {
          // A loop: the split is patched once the body, which returns to it, exists.
          const loop = this.add({ split: [-1, next] });
          const body = this.compile(node.node, loop);
          this.states[loop] = { split: [body, next] };
          entry = loop;
        } else {
          for (let i = node.min; i < node.max; i += 1) entry = this.add({ split: [this.compile(node.node, entry), next] });
        }
        for (let i = 0; i < node.min; i += 1) entry = this.compile(node.node, entry);
        return entry;
      }
    }
  }
}

/** The states reachable from `from` without reading a character, added to `into`. */
function closure(states: State[], from: number, into: Set<number>): void {
  const stack = [from];
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (into.has(index)) continue;
    into.add(index);
    const state = states[index]!;
    if ('split' in state) stack.push(state.split[1], state.split[0]);
  }
}

/** Whether the Java regular expression `source` matches the whole of `value`, or why that cannot be told. */
export function javaRegexMatches(source: string, value: string): RegexVerdict {
  let states: State[];
  let start: number;
  try {
    const automaton = new Automaton();
    const accept = automaton.states.push({ accept: true }) - 1;
    start = automaton.compile(new Parser(source).parse(), accept);
    states = automaton.states;
  } catch (error) {
    if (error instanceof Undecidable) return { undecidable: error.message };
    throw error;
  }
  let current = new Set<number>();
  closure(states, start, current);
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    const next = new Set<number>();
    for (const index of current) {
      const state = states[index]!;
      if ('test' in state && state.test(cp)) closure(states, state.next, next);
    }
    if (next.size === 0) return { matches: false };
    current = next;
  }
  return { matches: [...current].some((index) => 'accept' in states[index]!) };
}
