// The shape of a rule file (rules/*.yaml, validated against rules/schema/rules.schema.json) and
// of the merged rule set that the analysis compiles.

export type ArgSpec = 'all' | readonly (number | string)[];

export interface SourceRule {
  readonly id: string;
  readonly description?: string;
  readonly calls?: readonly string[];
  readonly subscripts?: readonly string[];
  readonly credentialNameArgument?: boolean;
  /**
   * The first argument is a prompt. true: a prompt that asks for something else (a URL, an id, a
   * name) reads no secret (getpass); `named`: only a prompt that names a secret does (input).
   */
  readonly promptArgument?: boolean | 'named';
  /** Objects every part of which is a secret: keys, attributes, method results (`st.secrets`). */
  readonly stores?: readonly string[];
  /** Attributes whose value is a secret (`google.auth.default()[].token`). */
  readonly attributes?: readonly string[];
  /** The calls are sources only when this keyword argument is given and not False. */
  readonly whenKeyword?: string;
  /** Only when the first argument is a credential configuration key. */
  readonly credentialKeyArgument?: boolean;
  /** What the call reads is one string, not a container: `token[0]` is a one-character preview. */
  readonly stringValue?: boolean;
  /** Where the call names what it reads: a name of an identifier or a setting (client-id) reads no secret. */
  readonly keyArgument?: { readonly position?: number; readonly keyword?: string };
  /** Shell commands whose output is a secret (regular expressions); `calls` then run such a command. */
  readonly commands?: readonly string[];
  /** Only these keys or attributes of the result hold the secret; the others are clean. */
  readonly fields?: readonly string[];
  /** Mappings that are secret as a whole (`os.environ`). */
  readonly mappings?: readonly string[];
}

export type TaintRuleId = 'NBG101' | 'NBG102' | 'NBG103' | 'NBG104';

export interface SinkRule {
  readonly id: string;
  readonly rule: TaintRuleId;
  readonly description?: string;
  readonly calls?: readonly string[];
  readonly methods?: readonly string[];
  readonly receiver?: string;
  readonly statement?: 'echo' | 'raise' | 'assert';
  readonly args?: ArgSpec;
}

export interface ConfigurationRules {
  readonly setters?: readonly { id: string; calls: readonly string[]; key: number; value: number }[];
  readonly mounts?: readonly { id: string; calls: readonly string[]; configs: ArgSpec }[];
  readonly environment?: readonly { id: string; calls?: readonly string[]; subscripts?: readonly string[]; ignoreFrom?: readonly string[] }[];
  readonly credentialKeys?: readonly string[];
}

export interface SanitizerRules {
  readonly calls?: readonly string[];
  readonly methods?: readonly string[];
  readonly namePrefixes?: readonly string[];
  readonly maxPreviewLength?: number;
}

export interface CredentialArgumentRules {
  readonly keywords?: readonly string[];
  readonly dictKeywords?: readonly string[];
  readonly optionMethods?: readonly string[];
  readonly optionKeys?: readonly string[];
}

export interface KindRule {
  readonly kind: string;
  readonly calls?: readonly string[];
  readonly names?: string;
}

export interface AliasRule {
  readonly to: string;
  readonly from: readonly string[];
}

export interface DetectorRule {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly kind?: string;
  readonly pattern: string;
  readonly flags?: string;
  readonly group?: number;
  readonly confidence?: 'high' | 'medium';
  readonly redaction?: string;
  /** Entropy floor of the credential; `auto`: the calibrated floor for its length and alphabet. */
  readonly minEntropy?: number | 'auto';
  /** Texts (case-insensitive) one of which every text with this credential contains: the prefilter. */
  readonly keywords?: readonly string[];
  /** A built-in structural or checksum check (detectors/validators.ts). */
  readonly validator?: string;
  /** What a match failing the validator becomes: dropped (default) or a warning (`warn`). */
  readonly invalid?: 'drop' | 'warn';
  /**
   * A catch-all (a password in a connection string or a URL): where a typed detector matches the
   * same characters, the typed one names the credential (`Password=dckr_pat_…` is a Docker token).
   */
  readonly fallback?: boolean;
  /** Test vectors beside the rule: positive texts it reports, negative texts it does not. */
  readonly samples?: { readonly positive?: readonly string[]; readonly negative?: readonly string[] };
}

/** Calls and methods whose result carries their inputs' value (see rules/propagation.yaml). */
export interface CarrierRules {
  readonly calls?: readonly string[];
  readonly methods?: readonly string[];
  readonly argumentMethods?: readonly string[];
}

export interface PysaRules {
  readonly sinkKinds?: Readonly<Record<string, TaintRuleId>>;
  readonly defaultSinkRule?: TaintRuleId;
}

export interface RuleFile {
  readonly sources?: readonly SourceRule[];
  readonly sinks?: readonly SinkRule[];
  readonly configuration?: ConfigurationRules;
  readonly sanitizers?: SanitizerRules;
  readonly credentialArguments?: CredentialArgumentRules;
  readonly carriers?: CarrierRules;
  readonly kinds?: readonly KindRule[];
  readonly aliases?: readonly AliasRule[];
  readonly detectors?: readonly DetectorRule[];
  readonly pysa?: PysaRules;
}

/** All rule files merged: lists are concatenated, later files add to earlier ones. */
export interface RuleSet {
  readonly sources: SourceRule[];
  readonly sinks: SinkRule[];
  readonly configuration: {
    setters: NonNullable<ConfigurationRules['setters']>[number][];
    mounts: NonNullable<ConfigurationRules['mounts']>[number][];
    environment: NonNullable<ConfigurationRules['environment']>[number][];
    credentialKeys: string[];
  };
  readonly sanitizers: { calls: string[]; methods: string[]; namePrefixes: string[]; maxPreviewLength: number };
  readonly credentialArguments: { keywords: string[]; dictKeywords: string[]; optionMethods: string[]; optionKeys: string[] };
  readonly carriers: { calls: string[]; methods: string[]; argumentMethods: string[] };
  readonly kinds: KindRule[];
  readonly aliases: AliasRule[];
  readonly detectors: DetectorRule[];
  readonly pysa: { sinkKinds: Map<string, TaintRuleId>; defaultSinkRule: TaintRuleId };
  /** Things a rule file asked for that nbguard does not do (skipped Pysa models), for the user. */
  readonly notes: string[];
  /** Which file each rule came from, for messages. */
  readonly origins: string[];
  /** How many detectors the built-in rules define (user detectors follow them). */
  builtinDetectors: number;
  /** The file each detector came from (same order as `detectors`). */
  readonly detectorOrigins: string[];
}

export function emptyRuleSet(): RuleSet {
  return {
    sources: [],
    sinks: [],
    configuration: { setters: [], mounts: [], environment: [], credentialKeys: [] },
    sanitizers: { calls: [], methods: [], namePrefixes: [], maxPreviewLength: 4 },
    credentialArguments: { keywords: [], dictKeywords: [], optionMethods: [], optionKeys: [] },
    carriers: { calls: [], methods: [], argumentMethods: [] },
    kinds: [],
    aliases: [],
    detectors: [],
    pysa: { sinkKinds: new Map(), defaultSinkRule: 'NBG104' },
    notes: [],
    origins: [],
    builtinDetectors: 0,
    detectorOrigins: [],
  };
}

export function mergeRuleFile(set: RuleSet, file: RuleFile, origin: string): void {
  set.sources.push(...(file.sources ?? []));
  set.sinks.push(...(file.sinks ?? []));
  const c = file.configuration;
  if (c) {
    set.configuration.setters.push(...(c.setters ?? []));
    set.configuration.mounts.push(...(c.mounts ?? []));
    set.configuration.environment.push(...(c.environment ?? []));
    set.configuration.credentialKeys.push(...(c.credentialKeys ?? []));
  }
  const s = file.sanitizers;
  if (s) {
    set.sanitizers.calls.push(...(s.calls ?? []));
    set.sanitizers.methods.push(...(s.methods ?? []));
    set.sanitizers.namePrefixes.push(...(s.namePrefixes ?? []));
    if (s.maxPreviewLength !== undefined) set.sanitizers.maxPreviewLength = s.maxPreviewLength;
  }
  const a = file.credentialArguments;
  if (a) {
    set.credentialArguments.keywords.push(...(a.keywords ?? []));
    set.credentialArguments.dictKeywords.push(...(a.dictKeywords ?? []));
    set.credentialArguments.optionMethods.push(...(a.optionMethods ?? []));
    set.credentialArguments.optionKeys.push(...(a.optionKeys ?? []));
  }
  set.carriers.calls.push(...(file.carriers?.calls ?? []));
  set.carriers.methods.push(...(file.carriers?.methods ?? []));
  set.carriers.argumentMethods.push(...(file.carriers?.argumentMethods ?? []));
  set.kinds.push(...(file.kinds ?? []));
  set.aliases.push(...(file.aliases ?? []));
  set.detectors.push(...(file.detectors ?? []));
  for (const [kind, rule] of Object.entries(file.pysa?.sinkKinds ?? {})) set.pysa.sinkKinds.set(kind, rule);
  if (file.pysa?.defaultSinkRule) set.pysa.defaultSinkRule = file.pysa.defaultSinkRule;
  set.detectorOrigins.push(...(file.detectors ?? []).map(() => origin));
  set.origins.push(origin);
}
