// The facts of one cell: its Python syntax tree lowered to plain JavaScript objects. Lowering
// happens once per parse of a cell; the dataflow then runs over these objects, never touching
// the (wasm-backed, slow to walk) syntax tree again. Positions are 0-based rows and columns in
// the cell's code.

export interface Span {
  readonly r: number;
  readonly c: number;
  readonly er: number;
  readonly ec: number;
}

export interface Arg {
  /** Keyword name for `name=value`; undefined for positional arguments. */
  readonly name?: string;
  /** 1 for `*value`, 2 for `**value`. */
  readonly star?: 1 | 2;
  readonly value: Expr;
}

/** A piece of an f-string: literal text or an interpolated expression. */
export type FPart = { readonly text: string; readonly span: Span } | { readonly expr: Expr };

export interface Comprehension {
  readonly target: Target;
  readonly iter: Expr;
  readonly ifs: readonly Expr[];
}

export interface Param {
  readonly name: string;
  readonly star?: 1 | 2;
  readonly default?: Expr;
  readonly span: Span;
}

export interface FunctionDef {
  /** Unique within the whole analysis (cell id + offset), used to recognise recursion. */
  readonly id: string;
  readonly name: string;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  /** For lambdas: the single body expression. */
  readonly lambdaBody?: Expr;
  readonly span: Span;
  /** Names declared `global` anywhere in the body. */
  readonly globals: ReadonlySet<string>;
}

export type Expr =
  | { readonly k: 'name'; readonly id: string; readonly span: Span }
  | { readonly k: 'str'; readonly value: string; readonly span: Span; readonly bytes?: boolean }
  | { readonly k: 'fstr'; readonly parts: readonly FPart[]; readonly span: Span }
  | { readonly k: 'num'; readonly value: number; readonly span: Span }
  | { readonly k: 'const'; readonly span: Span; /** Which constant, when the code wrote one. */ readonly name?: 'true' | 'false' | 'none' | 'ellipsis' }
  | { readonly k: 'attr'; readonly obj: Expr; readonly attr: string; readonly span: Span }
  | { readonly k: 'sub'; readonly obj: Expr; readonly index: Expr; readonly span: Span }
  | { readonly k: 'slice'; readonly lower?: Expr; readonly upper?: Expr; readonly step?: Expr; readonly span: Span }
  | { readonly k: 'call'; readonly fn: Expr; readonly args: readonly Arg[]; readonly span: Span }
  | { readonly k: 'binop'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly span: Span }
  /** Operators whose result is not the operand's data: comparisons, `not`, `in`, `is`. */
  | { readonly k: 'test'; readonly operands: readonly Expr[]; readonly span: Span }
  /** Expressions whose value is one of their operands: `and`, `or`, `x if c else y`, unary +/-. */
  | { readonly k: 'either'; readonly options: readonly Expr[]; readonly evaluated: readonly Expr[]; readonly span: Span }
  | { readonly k: 'seq'; readonly kind: 'list' | 'tuple' | 'set'; readonly elts: readonly Expr[]; readonly span: Span }
  | { readonly k: 'dict'; readonly items: readonly DictItem[]; readonly span: Span }
  | { readonly k: 'star'; readonly value: Expr; readonly span: Span }
  | { readonly k: 'comp'; readonly elt: Expr; readonly key?: Expr; readonly gens: readonly Comprehension[]; readonly span: Span }
  | { readonly k: 'lambda'; readonly def: FunctionDef; readonly span: Span }
  | { readonly k: 'walrus'; readonly target: string; readonly value: Expr; readonly span: Span }
  /** Anything else (await, yield, unknown syntax): its value mixes its children's. */
  | { readonly k: 'other'; readonly children: readonly Expr[]; readonly span: Span };

export interface DictItem {
  /** Undefined for `**splat` items. */
  readonly key?: Expr;
  readonly value: Expr;
}

export type Target =
  | { readonly k: 'name'; readonly id: string; readonly span: Span }
  | { readonly k: 'attr'; readonly obj: Expr; readonly attr: string; readonly span: Span }
  | { readonly k: 'sub'; readonly obj: Expr; readonly index: Expr; readonly span: Span }
  | { readonly k: 'unpack'; readonly elts: readonly Target[]; readonly span: Span }
  | { readonly k: 'starred'; readonly target: Target; readonly span: Span };

export interface Handler {
  readonly types?: Expr;
  readonly name?: string;
  readonly body: readonly Stmt[];
}

export interface WithItem {
  readonly ctx: Expr;
  readonly target?: Target;
}

export interface ImportName {
  /** Dotted module path (`os.path`), or for `from m import n`: `m.n`. */
  readonly qname: string;
  /** The name bound in the namespace. */
  readonly bind: string;
}

export type Stmt =
  | { readonly k: 'expr'; readonly value: Expr; readonly span: Span; readonly semicolon: boolean }
  | { readonly k: 'assign'; readonly targets: readonly Target[]; readonly value: Expr; readonly span: Span }
  | { readonly k: 'augassign'; readonly target: Target; readonly op: string; readonly value: Expr; readonly span: Span }
  | { readonly k: 'annassign'; readonly target: Target; readonly value?: Expr; readonly span: Span }
  | { readonly k: 'if'; readonly branches: readonly { test?: Expr; body: readonly Stmt[] }[]; readonly span: Span }
  | { readonly k: 'for'; readonly target: Target; readonly iter: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[]; readonly span: Span }
  | { readonly k: 'while'; readonly test: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[]; readonly span: Span }
  | { readonly k: 'try'; readonly body: readonly Stmt[]; readonly handlers: readonly Handler[]; readonly orelse: readonly Stmt[]; readonly finalbody: readonly Stmt[]; readonly span: Span }
  | { readonly k: 'with'; readonly items: readonly WithItem[]; readonly body: readonly Stmt[]; readonly span: Span }
  | { readonly k: 'def'; readonly def: FunctionDef; readonly decorators: readonly Expr[]; readonly span: Span }
  | { readonly k: 'class'; readonly name: string; readonly bases: readonly Expr[]; readonly body: readonly Stmt[]; readonly span: Span }
  | { readonly k: 'return'; readonly value?: Expr; readonly span: Span }
  | { readonly k: 'raise'; readonly value?: Expr; readonly span: Span }
  | { readonly k: 'assert'; readonly test: Expr; readonly msg?: Expr; readonly span: Span }
  | { readonly k: 'import'; readonly names: readonly ImportName[]; readonly span: Span }
  | { readonly k: 'global'; readonly names: readonly string[]; readonly span: Span }
  | { readonly k: 'del'; readonly targets: readonly Target[]; readonly span: Span }
  /** A statement with no dataflow of its own (pass, break, match arms...) whose expressions still run. */
  | { readonly k: 'other'; readonly exprs: readonly Expr[]; readonly body: readonly Stmt[]; readonly span: Span };

/** The lowered facts of one cell. */
export interface CellFacts {
  readonly body: readonly Stmt[];
  /** Rows with `# nbguard: ignore` comments: the rule ids, or null for all rules. */
  readonly suppressions: ReadonlyMap<number, ReadonlySet<string> | null>;
  /** Syntax errors found in the cell (rows and columns of ERROR/MISSING nodes). */
  readonly syntaxErrors: readonly Span[];
  /** Other reasons part of the cell was not analysed. */
  readonly problems?: readonly { span: Span; message: string }[];
}
