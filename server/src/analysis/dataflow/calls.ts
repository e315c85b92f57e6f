// Evaluates calls: user-defined functions and lambdas are interpreted with the arguments' values
// (so a sink inside a function fires when a secret is passed in, in the defining cell); library
// calls are matched against the rules (sanitizers, sources, sinks, configuration); anything
// else passes taint from its receiver and arguments to its result, unless it received the
// secret as a credential (password=..., .option("password", ...)), which yields a clean object.

import type { Expr } from '../lower/ir';
import { isCredentialEnvName, isCredentialName, keyNamesSetting, promptAsksForSecret, promptNamesSecret } from '../rules/credentialNames';
import type { SourceRule } from '../rules/ruleFile';
import { isCredentialFor, newSource, type RunContext } from './context';
import { attributeQname, evalExpr, restOf, staticText } from './expressions';
import { exprText, calleeText } from './exprText';
import { callUserFunction, type BoundSelf } from './functions';
import { shownCommand } from './magicValues';
import type { Scope } from './scope';
import { checkConfigSetter, checkEnvironment, checkMountConfigs, reportSinkRule, selectArgs, type EvaluatedArg } from './sinks';
import { CLEAN, flowsOf, unionFlows, withHop, type ClassValue, type Flow, type FunctionValue, type Value } from './value';

type CallExpr = Extract<Expr, { k: 'call' }>;

const MUTATORS = new Set(['append', 'extend', 'insert', 'add', 'update', 'setdefault', 'appendleft', 'extendleft', 'put', 'put_nowait']);
const DICT_READERS = new Set(['get', 'pop']);
/** Methods of a secret mapping (os.environ) that return all of its values. */
const WHOLE_MAPPING_METHODS = new Set(['items', 'values', 'copy']);

export function evalCall(ctx: RunContext, e: CallExpr, scope: Scope): Value {
  let receiver: Value | undefined;
  let method: string | undefined;
  let callee: Value;
  let qname: string | undefined;
  if (e.fn.k === 'attr') {
    receiver = evalExpr(ctx, e.fn.obj, scope);
    method = e.fn.attr;
    qname = attributeQname(ctx, receiver, method);
    callee = receiver.fields?.get(method) ?? { flows: [], qname };
  } else {
    callee = evalExpr(ctx, e.fn, scope);
    qname = callee.qname;
  }
  const args: EvaluatedArg[] = e.args.map((arg) => ({ arg, value: evalExpr(ctx, arg.value, scope) }));

  const simpleName = method ?? (e.fn.k === 'name' ? e.fn.id : undefined);
  if (simpleName !== undefined && ctx.rules.isSanitizerName(simpleName)) return CLEAN;
  if (callee.cls) return instantiate(ctx, callee.cls, args, e, scope);
  if (receiver?.instanceOf && method !== undefined) {
    const m = receiver.instanceOf.methods.get(method);
    if (m) return callMethod(ctx, m, receiver, args, e, scope);
  }
  if (callee.fn) return callUserFunction(ctx, callee.fn, args, e, scope);

  if (qname !== undefined) {
    const matched = matchLibraryCall(ctx, e, qname, args);
    if (matched) return matched;
  }
  if (method !== undefined && receiver !== undefined) {
    const matched = matchMethod(ctx, e, method, receiver, args, scope);
    if (matched) return matched;
  }
  return propagate(ctx, qname, method, receiver, args);
}

/** `Conn(pw)`: runs __init__ on a new instance (or fills a dataclass's annotated fields). */
function instantiate(ctx: RunContext, cls: ClassValue, args: readonly EvaluatedArg[], e: CallExpr, scope: Scope): Value {
  const fields = new Map(cls.attributes);
  const init = cls.methods.get('__init__');
  if (!init) {
    const positional = args.filter((a) => !a.arg.star && a.arg.name === undefined);
    cls.annotated.forEach((name, i) => positional[i] && fields.set(name, positional[i].value));
    for (const a of args) if (a.arg.name !== undefined) fields.set(a.arg.name, a.value);
  }
  const self: BoundSelf = { value: { flows: flowsOf([...fields.values()]), qname: `${cls.name}()`, instanceOf: cls, fields } };
  if (init) callUserFunction(ctx, init, args, e, scope, self);
  return self.value;
}

/** `obj.method(...)` on a user-class instance: the method runs with `self` bound; changes to self stick. */
function callMethod(ctx: RunContext, method: FunctionValue, receiver: Value, args: readonly EvaluatedArg[], e: CallExpr, scope: Scope): Value {
  const self: BoundSelf = { value: receiver };
  const result = callUserFunction(ctx, method, args, e, scope, self);
  if (self.value !== receiver && e.fn.k === 'attr' && e.fn.obj.k === 'name') scope.assign(e.fn.obj.id, self.value);
  return result;
}

/** Sanitizers, sources, sinks and configuration calls found by qualified name. */
function matchLibraryCall(ctx: RunContext, e: CallExpr, qname: string, args: readonly EvaluatedArg[]): Value | undefined {
  const rules = ctx.rules.callRules(qname);
  if (!rules.any) return undefined;
  if (rules.sanitizer) return CLEAN;

  const { sinks, setter, mount, env } = rules;
  const isSink = sinks.length > 0 || setter !== undefined || mount !== undefined || env;
  if (isSink) {
    const label = calleeText(e.fn);
    for (const sink of sinks) reportSinkRule(ctx, sink, label, e.span, args);
    if (setter) {
      const positional = args.filter((a) => a.arg.name === undefined && !a.arg.star);
      checkConfigSetter(ctx, e.span, label, positional[setter.key]?.value, positional[setter.value]?.value);
    }
    if (mount) checkMountConfigs(ctx, e.span, label, selectArgs(args, mount.configs));
    if (env) {
      const key = args[0] && !args[0].arg.name ? staticText(args[0].value) : undefined;
      const values = qname.endsWith('putenv') || qname.endsWith('setdefault') ? args.slice(1).map((a) => a.value) : args.map((a) => a.value);
      checkEnvironment(ctx, e.span, key, values);
    }
  }
  // Sources after sinks: os.environ.setdefault("HF_TOKEN", pw) stores a secret and reads one.
  const source = rules.source;
  // subprocess.check_output(["gcloud", "auth", "print-access-token"]): a source only for such a command.
  if (source?.commands) {
    const command = args[0] && !args[0].arg.star ? commandText(args[0].value) : undefined;
    if (command === undefined || !ctx.rules.commandSource(command, source)) return isSink ? CLEAN : undefined;
    const src = newSource(ctx, `${exprText(e.fn)}("${shownCommand(ctx, command)}")`, 'secret', e.span, source.id);
    // subprocess.run(...): the token is in .stdout; .stderr and .returncode say how it went.
    return { flows: [{ source: src, path: null }], qname: ctx.rules.canonicalMember(qname, '()'), fields: COMMAND_STATUS };
  }
  if (source) {
    const key = args.find((a) => !a.arg.star && (a.arg.name === undefined || a.arg.name === 'key' || a.arg.name === 'varname' || a.arg.name === 'prompt'));
    const keyText = key ? staticText(key.value) : undefined;
    const asksForSecret =
      source.promptArgument === 'named'
        ? keyText !== undefined && promptNamesSecret(keyText)
        : !source.promptArgument || keyText === undefined || promptAsksForSecret(keyText);
    const keyed =
      !readsStoredSetting(args, source) &&
      (!source.credentialNameArgument || (keyText !== undefined && isCredentialEnvName(keyText))) &&
      (!source.credentialKeyArgument || (keyText !== undefined && ctx.rules.isCredentialConfigKey(keyText))) &&
      (source.whenKeyword === undefined || args.some((a) => a.arg.name === source.whenKeyword && !isFalseConstant(a.arg.value)));
    if (asksForSecret && keyed) {
      // An environment read shows its variable's name, never its default value.
      const shown = source.credentialNameArgument ? { maxArgs: 1 } : {};
      const src = newSource(ctx, exprText(e, { ...shown, isCredential: isCredentialFor(ctx) }), 'secret', e.span, source.id);
      const flows = [{ source: src, path: null }];
      const resultName = ctx.rules.canonicalMember(qname, '()');
      if (!source.fields) return { flows, qname: resultName };
      // A response whose named fields hold the credential: `create_api_key(...)["encoded"]`.
      return { ...secretFields(flows, source.fields), qname: resultName };
    }
  }
  // A sink's result is not the secret (print returns None, requests.get a response).
  return isSink ? CLEAN : undefined;
}

const COMMAND_STATUS: ReadonlyMap<string, Value> = new Map([
  ['stderr', CLEAN],
  ['returncode', CLEAN],
  ['args', CLEAN],
]);

/**
 * A value that is secret as a whole but whose fields other than `paths` are clean; a dotted path
 * names a nested field (`Credentials.SecretAccessKey`: `Credentials["Expiration"]` is clean).
 */
function secretFields(flows: readonly Flow[], paths: readonly string[]): Value {
  const fields = new Map<string, Value>();
  const nested = new Map<string, string[]>();
  for (const path of paths) {
    const dot = path.indexOf('.');
    if (dot < 0) fields.set(path, { flows });
    else nested.set(path.slice(0, dot), [...(nested.get(path.slice(0, dot)) ?? []), path.slice(dot + 1)]);
  }
  for (const [field, inner] of nested) if (!fields.has(field)) fields.set(field, secretFields(flows, inner));
  return { flows, fields, rest: [] };
}

/**
 * Whether the call reads a secret store entry whose literal name is an identifier's or a
 * setting's (`dbutils.secrets.get("sp", "client-id")`): the source's keyArgument says where the
 * name is. A name that is not a literal, or names a secret, leaves the call a source.
 */
function readsStoredSetting(args: readonly EvaluatedArg[], source: SourceRule): boolean {
  const where = source.keyArgument;
  if (!where) return false;
  let arg = where.keyword !== undefined ? args.find((a) => a.arg.name === where.keyword) : undefined;
  if (!arg && where.position !== undefined) arg = args.filter((a) => a.arg.name === undefined && !a.arg.star)[where.position];
  const name = arg ? staticText(arg.value) : undefined;
  return name !== undefined && keyNamesSetting(name);
}

/** `False`, `0`, `None` written as such: `WithDecryption=False`. */
function isFalseConstant(e: Expr): boolean {
  return (e.k === 'num' && e.value === 0) || (e.k === 'const' && (e.name === 'false' || e.name === 'none'));
}

/** A command given as a string or as a list of constant strings (`["gcloud", "auth", ...]`). */
function commandText(v: Value): string | undefined {
  if (v.str !== undefined) return v.str;
  if (!v.fields || v.fields.size === 0) return undefined;
  const words: string[] = [];
  for (let i = 0; i < v.fields.size; i++) {
    const word = v.fields.get(String(i))?.str;
    if (word === undefined) return undefined;
    words.push(word);
  }
  return words.join(' ');
}

/** Method sinks (logger.info, f.write), sanitizing methods, dict reads and container mutation. */
function matchMethod(ctx: RunContext, e: CallExpr, method: string, receiver: Value, args: readonly EvaluatedArg[], scope: Scope): Value | undefined {
  if (ctx.rules.sanitizerMethods.has(method)) return CLEAN;
  const sinks = ctx.rules.sinkMethods.get(method);
  if (sinks) {
    let isSink = false;
    for (const sink of sinks) {
      if (sink.receiver !== undefined && sink.receiver !== receiver.kind) continue;
      reportSinkRule(ctx, sink, calleeText(e.fn), e.span, args);
      isSink = true;
    }
    if (isSink) return CLEAN;
  }
  // cfg.get("password") reads one known field.
  if (DICT_READERS.has(method) && receiver.fields && args[0]) {
    const key = staticText(args[0].value);
    const field = key !== undefined ? receiver.fields.get(key) : undefined;
    if (field) return field;
    // Another constant key of a dict whose secrets all went in under known keys: its default.
    if (key !== undefined && receiver.rest !== undefined) return { flows: unionFlows(receiver.rest, args[1]?.value.flows ?? []) };
  }
  if (MUTATORS.has(method) && e.fn.k === 'attr') {
    const added = flowsOf(args.map((a) => a.value));
    if (added.length > 0) mutate(ctx, e.fn.obj, receiver, method, args, scope, e);
    return method === 'setdefault' ? (args[1]?.value ?? CLEAN) : CLEAN;
  }
  return undefined;
}

/** `lst.append(secret)`, `d.update({...})`: the container now holds the secret. */
function mutate(ctx: RunContext, target: Expr, receiver: Value, method: string, args: readonly EvaluatedArg[], scope: Scope, e: CallExpr): void {
  const added = args.map((a) => a.value);
  let fields = receiver.fields;
  // What other constant keys read afterwards (see Value.rest): unknown unless every added entry has a known key.
  let rest: readonly Flow[] = unionFlows(restOf(receiver), flowsOf(added));
  if (method === 'update' && added[0]?.fields && args.length === 1) {
    const merged = new Map(receiver.fields ?? []);
    added[0].fields.forEach((v, k) => merged.set(k, v));
    fields = merged;
    rest = unionFlows(restOf(receiver), restOf(added[0]));
  } else if (method === 'setdefault' && args[0] && args[1]) {
    const key = staticText(args[0].value);
    if (key !== undefined) {
      fields = new Map([...(receiver.fields ?? []), [key, args[1].value]]);
      rest = restOf(receiver);
    }
  }
  const updated: Value = { ...receiver, flows: unionFlows(receiver.flows, flowsOf(added)), fields, rest };
  if (target.k === 'name') {
    if (receiver.qname !== undefined && !/[)\]]$/.test(receiver.qname)) return; // a module, not a container
    scope.assign(target.id, withHop(updated, { loc: { cell: ctx.cell, span: e.span }, label: `${target.id}.${method}()` }));
  }
}

/** Builtins that build containers: `dict(password=pw)` holds the secret, it does not consume it. */
const CONTAINER_BUILTINS = new Set(['dict', 'list', 'tuple', 'set', 'frozenset', 'collections.OrderedDict', 'collections.defaultdict', 'types.SimpleNamespace', 'argparse.Namespace']);

/** `dict(user=u, password=pw)`, `dict(other, k=v)`: a container with known fields. */
function buildContainer(args: readonly EvaluatedArg[]): Value {
  const fields = new Map<string, Value>();
  for (const { arg, value } of args) {
    if (arg.name !== undefined) fields.set(arg.name, value);
    else value.fields?.forEach((v, k) => fields.set(k, v));
  }
  return { flows: flowsOf(args.map((a) => a.value)), fields };
}

/** Whether the call receives a secret as a credential (so its result is a client, not the secret). */
function receivesCredential(ctx: RunContext, method: string | undefined, args: readonly EvaluatedArg[]): boolean {
  const credentialKey = (k: string) => isCredentialName(k) || ctx.rules.optionKeys.has(k.toLowerCase());
  for (const { arg, value } of args) {
    if (arg.name !== undefined && value.flows.length > 0 && (isCredentialName(arg.name) || ctx.rules.credentialKeywords.has(arg.name.toLowerCase()))) {
      return true;
    }
    // spark.read.jdbc(url, table, properties={"password": pw}), create_engine(url, connect_args={...})
    if (arg.name !== undefined && value.fields && ctx.rules.credentialDictKeywords.has(arg.name.toLowerCase())) {
      for (const [k, v] of value.fields) if (v.flows.length > 0 && credentialKey(k)) return true;
    }
    if (arg.star === 2 && value.fields) {
      for (const [k, v] of value.fields) if (v.flows.length > 0 && credentialKey(k)) return true;
    }
  }
  if (method !== undefined && ctx.rules.optionMethods.has(method)) {
    const positional = args.filter((a) => a.arg.name === undefined && !a.arg.star);
    const key = positional[0] ? staticText(positional[0].value) : undefined;
    if (key !== undefined && positional[1]?.value.flows.length && credentialKey(key)) return true;
    const dict = positional[0]?.value.fields;
    if (positional.length === 1 && dict) for (const [k, v] of dict) if (v.flows.length > 0 && credentialKey(k)) return true;
  }
  return false;
}

/**
 * What an unmodelled call's result holds of its inputs (rules/propagation.yaml, `carriers`): a
 * carrier call or a value method (`str(pw)`, `pw.strip()`) its receiver's and arguments' value;
 * a string-building method (`"".join(...)`, `"{}".format(pw)`) also its arguments'; a bare name
 * nbguard cannot resolve (a function from `%run`) its arguments; any other library call nothing:
 * given a secret, it returns a client or a response that uses it, not the secret.
 */
function carriedFlows(ctx: RunContext, qname: string | undefined, method: string | undefined, receiver: Value | undefined, args: readonly EvaluatedArg[]): readonly Flow[] {
  const fromArgs = () => flowsOf(args.map((a) => a.value));
  const isCarrierCall = qname !== undefined && ctx.rules.carrierCalls.first(qname) !== undefined;
  // A function of a module (`base64.b64encode`, `requests.get`) is judged by its name alone; a
  // module's qualified name has no call in it, an object's (`Client().payload`) does.
  const onModule = receiver?.qname !== undefined && !receiver.qname.includes('(');
  // os.environ.items(), .values(), .copy(): all of the environment again; anything of st.secrets.
  if (method !== undefined && receiver?.qname !== undefined && WHOLE_MAPPING_METHODS.has(method) && ctx.rules.sourceMappings.has(receiver.qname)) {
    return receiver.flows;
  }
  if (method !== undefined && receiver?.qname !== undefined && ctx.rules.sourceStores.has(receiver.qname)) return receiver.flows;
  if (method !== undefined && receiver !== undefined && !onModule) {
    if (isCarrierCall || ctx.rules.carrierArgumentMethods.has(method)) return unionFlows(receiver.flows, fromArgs());
    return ctx.rules.carrierMethods.has(method) ? receiver.flows : [];
  }
  if (isCarrierCall || qname === undefined) return fromArgs();
  return /^[A-Za-z_]\w*$/.test(qname) ? fromArgs() : [];
}

/** An unmodelled call: what its result carries of the secret, its qualified name and kind. */
function propagate(ctx: RunContext, qname: string | undefined, method: string | undefined, receiver: Value | undefined, args: readonly EvaluatedArg[]): Value {
  if (qname !== undefined && CONTAINER_BUILTINS.has(qname)) return buildContainer(args);
  const resultName = qname !== undefined ? ctx.rules.canonicalMember(qname, '()') : undefined;
  const kind = qname !== undefined ? ctx.rules.callRules(qname).kind : undefined;
  const flows = receivesCredential(ctx, method, args) ? [] : carriedFlows(ctx, qname, method, receiver, args);
  if (flows.length === 0 && resultName === undefined && kind === undefined) return CLEAN;
  return { flows, qname: resultName, kind };
}
