// Reports flows into sinks: the taint rules NBG101-NBG104 when a secret reaches a sink's data
// arguments, and NBG301 when a credential is put into cluster-wide configuration.

import type { Arg, Span } from '../lower/ir';
import type { ArgSpec, SinkRule, TaintRuleId } from '../rules/ruleFile';
import { configKeyNamesSetting, isCredentialName } from '../rules/credentialNames';
import { isDottedClassName, isPlaceholder, isSecretReference } from '../detectors/notCredentials';
import { RULES, type Severity } from '../findings/ruleCatalog';
import { locOf, type RunContext } from './context';
import { staticText } from './expressions';
import { flowsOf, strongestFlow, type Flow, type Value } from './value';

export interface EvaluatedArg {
  readonly arg: Arg;
  readonly value: Value;
}

/** The values of the arguments an ArgSpec names (star arguments always count). */
export function selectArgs(args: readonly EvaluatedArg[], spec: ArgSpec | undefined): Value[] {
  if (spec === undefined || spec === 'all') return args.map((a) => a.value);
  const out: Value[] = [];
  let position = 0;
  for (const a of args) {
    if (a.arg.star) out.push(a.value);
    else if (a.arg.name !== undefined) {
      if (spec.includes(a.arg.name)) out.push(a.value);
    } else {
      if (spec.includes(position)) out.push(a.value);
      position++;
    }
  }
  return out;
}

const SINK_PHRASES: Record<TaintRuleId, (sink: string) => string> = {
  NBG101: (sink) => `reaches ${sink}`,
  NBG102: (sink) => `is passed to ${sink}; pass the secret scope and key names instead and read the secret where it is used`,
  NBG103: (sink) => `is written to storage by ${sink}`,
  NBG104: (sink) =>
    /sql/i.test(sink) ? `is put into SQL text given to ${sink}, which query history keeps` : `is put into the URL of ${sink}, which proxy and server logs keep`,
};

function sourcePhrase(flow: Flow): string {
  const s = flow.source;
  if (s.kind === 'secret') return `Secret from ${s.label}`;
  if (s.kind === 'hardcoded') return `${s.label[0].toUpperCase()}${s.label.slice(1)}`;
  return `Presumed secret (${s.label})`;
}

function severityFor(rule: keyof typeof RULES, flow: Flow): Severity {
  return flow.source.kind === 'presumed' ? 'warning' : RULES[rule].severity;
}

/** Reports `rule` at `span` when any of `values` is tainted. */
export function reportTaintSink(ctx: RunContext, rule: TaintRuleId, sinkLabel: string, span: Span, values: readonly Value[]): void {
  const flows = flowsOf(values);
  if (flows.length === 0) return;
  const flow = strongestFlow(flows);
  ctx.findings.report({
    ruleId: rule,
    severity: severityFor(rule, flow),
    message: `${sourcePhrase(flow)} ${SINK_PHRASES[rule](sinkLabel)}`,
    loc: locOf(ctx, span),
    flow,
  });
}

export function reportSinkRule(ctx: RunContext, sink: SinkRule, label: string, span: Span, args: readonly EvaluatedArg[]): void {
  reportTaintSink(ctx, sink.rule, label, span, selectArgs(args, sink.args));
}

const CONFIG_ADVICE =
  'use an instance profile, a Unity Catalog storage credential or a {{secrets/scope/key}} reference in the cluster configuration instead';

/** True when a configuration value is clearly not a credential (a placeholder, a reference, a class name). */
function isHarmlessConfigValue(v: Value): boolean {
  const text = v.str;
  if (text === undefined) return false;
  return text.trim() === '' || isPlaceholder(text) || isSecretReference(text) || isDottedClassName(text) || /^(true|false|\d+)$/i.test(text);
}

/** `where` completes "is set in ..." and says who can read it. */
function reportConfig(ctx: RunContext, span: Span, where: string, value: Value): void {
  const flow = value.flows.length > 0 ? strongestFlow(value.flows) : undefined;
  const what = flow ? `${sourcePhrase(flow)} is set in ${where}` : `A credential is set in ${where}`;
  ctx.findings.report({
    ruleId: 'NBG301',
    severity: flow?.source.kind === 'presumed' ? 'warning' : RULES.NBG301.severity,
    message: `${what}; ${CONFIG_ADVICE}`,
    loc: locOf(ctx, span),
    flow,
  });
}

/** spark.conf.set(key, value) and hadoopConfiguration().set(key, value). */
export function checkConfigSetter(ctx: RunContext, span: Span, label: string, key: Value | undefined, value: Value | undefined): void {
  if (!value) return;
  const keyText = key ? staticText(key) : undefined;
  const credentialKey = keyText !== undefined && ctx.rules.isCredentialConfigKey(keyText);
  // An identifier's or a setting's key (`...oauth2.client.id...`, `...client.endpoint...`): its
  // value is no credential, wherever it was read from.
  if (!credentialKey && keyText !== undefined && configKeyNamesSetting(keyText)) return;
  if (value.flows.length > 0 || (credentialKey && !isHarmlessConfigValue(value))) {
    reportConfig(ctx, span, `Spark configuration by ${label}${keyText ? ` ("${keyText}")` : ''}, where every user and job of the cluster can read it`, value);
  }
}

/** dbutils.fs.mount(..., extra_configs={...}). */
export function checkMountConfigs(ctx: RunContext, span: Span, label: string, configs: readonly Value[]): void {
  for (const config of configs) {
    if (config.flows.length > 0) {
      reportConfig(ctx, span, `the mount configuration of ${label}, and mounts are visible to every user of the workspace`, config);
      return;
    }
    for (const [key, v] of config.fields ?? []) {
      if ((ctx.rules.isCredentialConfigKey(key) || isCredentialName(key)) && !isHarmlessConfigValue(v)) {
        reportConfig(ctx, span, `the mount configuration of ${label} ("${key}"), and mounts are visible to every user of the workspace`, v);
        return;
      }
    }
  }
}

/** os.environ[k] = secret, os.environ.update(...), os.putenv(k, secret). */
export function checkEnvironment(ctx: RunContext, span: Span, key: string | undefined, values: readonly Value[]): void {
  // `os.environ["K"] = os.getenv("K") or getpass()` is how notebooks are told to configure
  // their libraries: only values from sources the rules do not ignore are findings.
  const ignored = ctx.rules.environmentIgnoredSources;
  const flows = flowsOf(values).filter((f) => !ignored.has(f.source.kind === 'secret' ? (f.source.rule ?? '') : f.source.kind));
  if (flows.length === 0) return;
  reportConfig(ctx, span, `the process environment${key ? ` ("${key}")` : ''}, where every library, child process and notebook sharing the cluster's Python process can read it`, { flows });
}
