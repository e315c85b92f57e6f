// A rule set compiled for fast lookups during the analysis: qualified-name tables for sources,
// sinks, sanitizers, configuration calls, kinds and aliases, and the detectors.

import { DetectorSet } from '../detectors/detectorSet';
import { configKeyAboutCredential, isCredentialEnvName } from './credentialNames';
import { globToRegExp, NameTable } from './namePattern';
import type { ArgSpec, RuleSet, SinkRule, SourceRule } from './ruleFile';

export interface ConfigSetter {
  readonly id: string;
  readonly key: number;
  readonly value: number;
}

/** Everything the rules say about calling one qualified name, looked up once per name. */
export interface CallRules {
  readonly sanitizer: boolean;
  readonly source?: SourceRule;
  readonly sinks: readonly SinkRule[];
  readonly setter?: ConfigSetter;
  readonly mount?: { id: string; configs: ArgSpec };
  readonly env: boolean;
  readonly kind?: string;
  /** True when any of the above applies. */
  readonly any: boolean;
}

export class CompiledRules {
  readonly sourceCalls = new NameTable<SourceRule>();
  readonly sourceSubscripts = new NameTable<SourceRule>();
  /** Qualified names of mappings that are secret as a whole (`os.environ`), with their rule. */
  readonly sourceMappings = new Map<string, SourceRule>();
  /** Objects every part of which is a secret (`streamlit.secrets`), with their rule. */
  readonly sourceStores = new Map<string, SourceRule>();
  /** Attributes whose value is a secret. */
  readonly sourceAttributes = new NameTable<SourceRule>();
  /** Shell commands whose output is a secret, in rule order. */
  readonly sourceCommands: readonly { rule: SourceRule; re: RegExp }[];
  readonly sinkCalls = new NameTable<SinkRule>();
  readonly sinkMethods = new Map<string, SinkRule[]>();
  readonly statementSinks = new Map<string, SinkRule>();
  readonly sanitizerCalls = new NameTable<true>();
  /** Library calls and methods whose result holds their inputs' value (everything else: a client, a response). */
  readonly carrierCalls = new NameTable<true>();
  readonly carrierMethods: ReadonlySet<string>;
  readonly carrierArgumentMethods: ReadonlySet<string>;
  /** Where a value put into the process environment may come from without an NBG301 finding. */
  readonly environmentIgnoredSources = new Set<string>();
  /** Source rules whose value is one string (`stringValue`). */
  readonly stringSources: ReadonlySet<string>;
  readonly sanitizerMethods: ReadonlySet<string>;
  readonly sanitizerPrefixes: readonly string[];
  readonly maxPreviewLength: number;
  readonly credentialKeywords: ReadonlySet<string>;
  readonly optionMethods: ReadonlySet<string>;
  readonly optionKeys: ReadonlySet<string>;
  readonly credentialDictKeywords: ReadonlySet<string>;
  readonly configSetters = new NameTable<ConfigSetter>();
  readonly mountCalls = new NameTable<{ id: string; configs: ArgSpec }>();
  readonly envCalls = new NameTable<string>();
  readonly envSubscripts = new NameTable<string>();
  readonly kindCalls = new NameTable<string>();
  readonly kindNames: readonly { kind: string; re: RegExp }[];
  readonly aliases = new NameTable<string>();
  readonly detectors: DetectorSet;
  private readonly credentialKeyPatterns: readonly RegExp[];
  private readonly canonicalCache = new Map<string, string>();
  private readonly memberCache = new Map<string, Map<string, string>>();
  private readonly callCache = new Map<string, CallRules>();
  private readonly kindNameCache = new Map<string, string | null>();

  constructor(readonly set: RuleSet) {
    const commands: { rule: SourceRule; re: RegExp }[] = [];
    for (const s of set.sources) {
      s.calls?.forEach((c) => this.sourceCalls.add(c, s));
      s.subscripts?.forEach((c) => this.sourceSubscripts.add(c, s));
      s.mappings?.forEach((m) => this.sourceMappings.set(m, s));
      s.stores?.forEach((m) => this.sourceStores.set(m, s));
      s.attributes?.forEach((a) => this.sourceAttributes.add(a, s));
      s.commands?.forEach((c) => commands.push({ rule: s, re: new RegExp(c) }));
    }
    this.sourceCommands = commands;
    for (const s of set.sinks) {
      s.calls?.forEach((c) => this.sinkCalls.add(c, s));
      s.methods?.forEach((m) => {
        const list = this.sinkMethods.get(m) ?? [];
        list.push(s);
        this.sinkMethods.set(m, list);
      });
      if (s.statement) this.statementSinks.set(s.statement, s);
    }
    set.sanitizers.calls.forEach((c) => this.sanitizerCalls.add(c, true));
    this.stringSources = new Set(set.sources.filter((s) => s.stringValue).map((s) => s.id));
    this.sanitizerMethods = new Set(set.sanitizers.methods);
    set.carriers.calls.forEach((c) => this.carrierCalls.add(c, true));
    this.carrierMethods = new Set(set.carriers.methods);
    this.carrierArgumentMethods = new Set(set.carriers.argumentMethods);
    this.sanitizerPrefixes = set.sanitizers.namePrefixes.map((p) => p.toLowerCase());
    this.maxPreviewLength = set.sanitizers.maxPreviewLength;
    this.credentialKeywords = new Set(set.credentialArguments.keywords.map((k) => k.toLowerCase()));
    this.optionMethods = new Set(set.credentialArguments.optionMethods);
    this.optionKeys = new Set(set.credentialArguments.optionKeys.map((k) => k.toLowerCase()));
    this.credentialDictKeywords = new Set(set.credentialArguments.dictKeywords.map((k) => k.toLowerCase()));
    for (const s of set.configuration.setters) s.calls.forEach((c) => this.configSetters.add(c, { id: s.id, key: s.key, value: s.value }));
    for (const m of set.configuration.mounts) m.calls.forEach((c) => this.mountCalls.add(c, { id: m.id, configs: m.configs }));
    for (const e of set.configuration.environment) {
      e.calls?.forEach((c) => this.envCalls.add(c, e.id));
      e.subscripts?.forEach((c) => this.envSubscripts.add(c, e.id));
      e.ignoreFrom?.forEach((from) => this.environmentIgnoredSources.add(from));
    }
    this.credentialKeyPatterns = set.configuration.credentialKeys.map(globToRegExp);
    const kindNames: { kind: string; re: RegExp }[] = [];
    for (const k of set.kinds) {
      k.calls?.forEach((c) => this.kindCalls.add(c, k.kind));
      if (k.names) kindNames.push({ kind: k.kind, re: new RegExp(k.names) });
    }
    this.kindNames = kindNames;
    for (const a of set.aliases) a.from.forEach((f) => this.aliases.add(f, a.to));
    this.detectors = new DetectorSet(set.detectors);
  }

  /**
   * canonical(`${base}.${member}`), or canonical(`${base}()`) when member is '()': cached per
   * base and member, so the hot path builds no string.
   */
  canonicalMember(base: string, member: string): string {
    let byMember = this.memberCache.get(base);
    if (!byMember) {
      if (this.memberCache.size > 20_000) this.memberCache.clear();
      byMember = new Map();
      this.memberCache.set(base, byMember);
    }
    let name = byMember.get(member);
    if (name === undefined) {
      name = this.canonical(member === '()' ? `${base}()` : `${base}.${member}`);
      byMember.set(member, name);
    }
    return name;
  }

  /** The canonical name for `qname` (`databricks.sdk.runtime.dbutils` -> `dbutils`). */
  canonical(qname: string): string {
    let name = this.canonicalCache.get(qname);
    if (name === undefined) {
      name = this.aliases.first(qname) ?? qname;
      if (this.canonicalCache.size > 50_000) this.canonicalCache.clear();
      this.canonicalCache.set(qname, name);
    }
    return name;
  }

  /**
   * The source rule whose `commands` match a shell command line (leading spaces trimmed), if
   * any; `only` limits the search to one rule (a call such as subprocess.check_output).
   */
  commandSource(command: string, only?: SourceRule): SourceRule | undefined {
    const text = command.trim();
    for (const { rule, re } of this.sourceCommands) {
      if (only && rule !== only) continue;
      const m = re.exec(text);
      if (!m) continue;
      const name = m.groups?.name;
      if (name === undefined || isCredentialEnvName(name)) return rule;
    }
    return undefined;
  }

  isCredentialConfigKey(key: string): boolean {
    return this.credentialKeyPatterns.some((re) => re.test(key)) && !configKeyAboutCredential(key);
  }

  kindOfName(name: string): string | undefined {
    let kind = this.kindNameCache.get(name);
    if (kind === undefined) {
      kind = this.kindNames.find((k) => k.re.test(name))?.kind ?? null;
      if (this.kindNameCache.size > 20_000) this.kindNameCache.clear();
      this.kindNameCache.set(name, kind);
    }
    return kind ?? undefined;
  }

  /** The rules for a call of `qname`, memoized (the same calls recur on every re-analysis). */
  callRules(qname: string): CallRules {
    let rules = this.callCache.get(qname);
    if (rules === undefined) {
      const sanitizer = this.sanitizerCalls.first(qname) !== undefined;
      const source = this.sourceCalls.first(qname);
      const sinks = this.sinkCalls.lookup(qname);
      const setter = this.configSetters.first(qname);
      const mount = this.mountCalls.first(qname);
      const env = this.envCalls.first(qname) !== undefined;
      const kind = this.kindCalls.first(qname);
      const any = sanitizer || source !== undefined || sinks.length > 0 || setter !== undefined || mount !== undefined || env || kind !== undefined;
      rules = { sanitizer, source, sinks, setter, mount, env, kind, any };
      if (this.callCache.size > 20_000) this.callCache.clear();
      this.callCache.set(qname, rules);
    }
    return rules;
  }

  isSanitizerName(name: string): boolean {
    const lower = name.toLowerCase();
    return this.sanitizerPrefixes.some((p) => lower.startsWith(p));
  }
}
