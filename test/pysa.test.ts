// Pysa models: a team that wrote .pysa models and a taint.config for the Pysa setup of the
// seed article passes the folder with --rules and gets the same checks from nbguard: sources on
// returns, sinks on parameters, sanitizers; what does not carry over is told, never silent.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebookText, RuleLoadError } from '../server/src/analysis';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import { ipynb } from './helpers';
import { createAnalyzer } from '../server/src/node/createAnalyzer';

const cli = resolve(__dirname, '..', 'dist', 'cli.js');

function modelDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nbguard-pysa-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The dbutils models of the seed article, as its Pysa setup wrote them. */
const SEED_MODELS = `### dbutils
def dbutils.secrets.get(scope, key) -> TaintSource[UserSecrets]: ...

def dbutils.secrets.getBytes(scope, key) -> TaintSource[UserSecrets]: ...

def dbutils.credentials.getCurrentCredentials() -> TaintSource[UserSecrets]: ...

def spark.conf.set(key, value: TaintSink[RequestSend_DATA]): ...

def dbutils.notebook.run(path, timeout_seconds, arguments: TaintSink[RequestSend_DATA]): ...

def dbutils.fs.mount(source, mountPoint, encryptionType, extraConfigs: TaintSink[Authentication, DataStorage]): ...

def dbutils.fs.put(file, contents: TaintSink[FileSystem_ReadWrite], overwrite): ...
`;

const SEED_CONFIG = JSON.stringify({
  sources: [{ name: 'UserSecrets', comment: 'secret scopes and credentials' }, { name: 'UserControlled' }],
  sinks: [{ name: 'RequestSend_DATA' }, { name: 'Authentication' }, { name: 'DataStorage' }, { name: 'FileSystem_ReadWrite' }, { name: 'Logging' }],
  features: [],
  rules: [
    {
      name: 'Credential leak',
      code: 5001,
      sources: ['UserSecrets'],
      sinks: ['RequestSend_DATA', 'Authentication', 'DataStorage', 'FileSystem_ReadWrite', 'Logging'],
      message_format: 'Data from [{$sources}] source(s) may reach [{$sinks}] sink(s)',
    },
  ],
});

async function findingsWith(dirs: string[], cells: string[]): Promise<string[]> {
  const analyzer = await createAnalyzer({ rulesDirs: dirs });
  return analyzer.analyze(readNotebookText('nb.ipynb', ipynb(cells))).findings.map((f) => `${f.ruleId}@${f.cell}:${f.line}`);
}

describe('Pysa models (--rules)', () => {
  it("loads the seed's dbutils models; flows they describe are reported once, under nbguard's rule for the call", async () => {
    const dir = modelDir({ 'dbutils.pysa': SEED_MODELS, 'taint.config': SEED_CONFIG });
    const cells = [
      'pw = dbutils.secrets.get("db", "password")',
      'dbutils.notebook.run("child", 60, {"pw": pw})',
      'dbutils.fs.put("/tmp/pw.txt", pw)',
      'creds = dbutils.credentials.getCurrentCredentials()\ndbutils.fs.put("/tmp/c", str(creds))',
      'spark.conf.set("fs.s3a.secret.key", pw)',
    ];
    const withModels = await findingsWith([dir], cells);
    expect(withModels).toEqual(await findingsWith([], cells));
    expect(withModels).toEqual(expect.arrayContaining(['NBG102@1:1', 'NBG103@2:1', 'NBG103@3:2', 'NBG301@4:1']));
    const set = loadRuleSet([dir]);
    expect(set.sinks.filter((s) => s.id.startsWith('pysa-')).map((s) => `${s.id} ${s.rule} ${JSON.stringify(s.args)}`)).toEqual([
      'pysa-dbutils-notebook-run-nbg102 NBG102 [2,"arguments"]',
      'pysa-dbutils-fs-put-nbg103 NBG103 [1,"contents"]',
    ]);
    expect(set.sources.filter((s) => s.id.startsWith('pysa-')).map((s) => s.calls?.[0])).toEqual([
      'dbutils.secrets.get',
      'dbutils.secrets.getBytes',
      'dbutils.credentials.getCurrentCredentials',
    ]);
    // The sinks nbguard checks as configuration say so rather than vanish.
    expect(set.notes.join('\n')).toMatch(/dbutils\.pysa:8: spark\.conf\.set\(value\): nbguard checks this call as configuration \(NBG301\)/);
    expect(set.notes.join('\n')).toMatch(/dbutils\.pysa:12: dbutils\.fs\.mount\(extraConfigs\)/);
  });

  it("a team's own models add sources, sinks (methods, keyword-only, *args) and sanitizers", async () => {
    const models = `
def acme.vault.fetch(name) -> TaintSource[UserSecrets]: ...
def acme.telemetry.Client.send(self, event, payload: TaintSink[Logging], *, tags: TaintSink[Logging] = ...): ...
def acme.archive.store(*items: TaintSink[FileSystem_ReadWrite]): ...
def acme.partner.push(
    url,
    body: TaintSink[RequestSend_DATA, Via[partner]],
): ...
@Sanitize
def acme.crypto.fingerprint(value): ...
def acme.crypto.redact(value) -> Sanitize: ...
`;
    const dir = modelDir({ 'acme.pysa': models, 'taint.config': SEED_CONFIG });
    const cells = [
      'import acme.vault, acme.telemetry, acme.archive, acme.partner, acme.crypto\ntoken = acme.vault.fetch("warehouse")\nclient = acme.telemetry.Client()',
      'client.send("login", token)',
      'client.send("login", "ok", tags=[token])',
      'client.send(token, "payload is clean")',
      'acme.archive.store("a", "b", token)',
      'acme.partner.push("https://p.example", {"t": token})',
      'client.send("fp", acme.crypto.fingerprint(token))\nclient.send("r", acme.crypto.redact(token))',
    ];
    expect(await findingsWith([], cells)).toEqual([]);
    expect(await findingsWith([dir], cells)).toEqual(['NBG101@1:1', 'NBG101@2:1', 'NBG103@4:1', 'NBG104@5:1']);
  });

  it('a rule file next to the models maps a sink kind to another rule', async () => {
    const dir = modelDir({
      'jobs.pysa': 'def acme.jobs.submit(name, params: TaintSink[JobParameters]): ...\ndef acme.jobs.note(text: TaintSink[Mystery]): ...\n',
      'pysa.yaml': 'pysa:\n  sinkKinds:\n    JobParameters: NBG102\n',
    });
    const cells = ['import acme.jobs\npw = dbutils.secrets.get("s", "k")\nacme.jobs.submit("nightly", {"pw": pw})\nacme.jobs.note(pw)'];
    // Without a taint.config every kind counts; unknown kinds take the default rule (NBG104).
    expect(await findingsWith([dir], cells)).toEqual(['NBG102@0:3', 'NBG104@0:4']);
  });

  it('a single .pysa file can be given to --rules', async () => {
    const dir = modelDir({ 'one.pysa': 'def acme.vault.fetch(name) -> TaintSource[UserSecrets]: ...\n' });
    expect(await findingsWith([join(dir, 'one.pysa')], ['import acme.vault\nprint(acme.vault.fetch("x"))'])).toEqual(['NBG101@0:2']);
  });

  it('a folder may hold other files (a README); a file given on its own must be rules or models', () => {
    const dir = modelDir({ 'README.md': '# our models\n' });
    expect(() => loadRuleSet([dir])).not.toThrow();
    expect(() => loadRuleSet([join(dir, 'README.md')])).toThrow(/README\.md: is not a rule file/);
  });

  it('taint.config decides which kinds matter: a source kind no rule leads to a sink is not a secret', async () => {
    const dir = modelDir({
      'm.pysa': 'def acme.forms.read(field) -> TaintSource[UserControlled]: ...\ndef acme.vault.fetch(name) -> TaintSource[UserSecrets]: ...\n',
      'taint.config': SEED_CONFIG,
    });
    expect(await findingsWith([dir], ['import acme.forms, acme.vault\nprint(acme.forms.read("q"))\nprint(acme.vault.fetch("k"))'])).toEqual(['NBG101@0:3']);
    expect(loadRuleSet([dir]).notes.join('\n')).toMatch(/m\.pysa:1: acme\.forms\.read: no taint\.config rule leads UserControlled to a sink; not a source/);
  });

  it('skips what it cannot use and says why (ModelQuery, attribute models, parameter sanitizers)', () => {
    const dir = modelDir({
      'm.pysa': [
        'ModelQuery(',
        '  name = "get_secrets",',
        '  find = "functions",',
        '  where = [name.matches("secret")],',
        '  model = [Returns(TaintSource[UserSecrets])]',
        ')',
        'os.environ: TaintSource[UserSecrets] = ...',
        'def acme.clean(value: Sanitize): ...',
        'def acme.pipe(value: TaintInTaintOut[LocalReturn]): ...',
      ].join('\n'),
    });
    const notes = loadRuleSet([dir]).notes.join('\n');
    expect(notes).toMatch(/m\.pysa:1: ModelQuery is not supported/);
    expect(notes).toMatch(/m\.pysa:7: attribute models are not supported/);
    expect(notes).toMatch(/m\.pysa:8: acme\.clean\(value\): Sanitize on a parameter is ignored/);
    expect(notes).not.toMatch(/acme\.pipe/); // taint in, taint out is what nbguard does anyway
  });

  it('errors name the file and line: bad syntax, undeclared kinds, a broken taint.config', () => {
    const syntax = modelDir({ 'bad.pysa': '\n\ndef acme.f(x: TaintSink[Logging]) -> None\n' });
    expect(() => loadRuleSet([syntax])).toThrow(RuleLoadError);
    expect(() => loadRuleSet([syntax])).toThrow(/bad\.pysa:3: a model must end with ": \.\.\."/);
    const undeclared = modelDir({ 'm.pysa': 'def acme.f(x: TaintSink[Loging]): ...\n', 'taint.config': SEED_CONFIG });
    expect(() => loadRuleSet([undeclared])).toThrow(/m\.pysa:1: acme\.f: the sink kind "Loging" is not declared in taint\.config/);
    const broken = modelDir({ 'taint.config': '{"sources": [' });
    expect(() => loadRuleSet([broken])).toThrow(/taint\.config: not valid JSON/);
    const badRule = modelDir({ 'taint.config': JSON.stringify({ sources: [{ name: 'A' }], sinks: [], rules: [{ name: 'r', sources: ['A'], sinks: ['B'] }] }) });
    expect(() => loadRuleSet([badRule])).toThrow(/rules\[0\] \(r\) names the sink "B", which "sinks" does not declare/);
  });

  it('the CLI reads models from --rules, tells the notes on stderr, and exits 2 on a broken model', () => {
    const dir = modelDir({ 'dbutils.pysa': SEED_MODELS, 'taint.config': SEED_CONFIG, 'acme.pysa': 'def acme.vault.fetch(name) -> TaintSource[UserSecrets]: ...\n' });
    const nb = join(dir, 'nb.ipynb');
    writeFileSync(nb, ipynb(['import acme.vault\nprint(acme.vault.fetch("k"))']));
    const ok = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', '--rules', dir, nb], { encoding: 'utf8' });
    expect(ok.status).toBe(1);
    expect(JSON.parse(ok.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['NBG101']);
    expect(ok.stderr).toMatch(/note: .*dbutils\.pysa:8: spark\.conf\.set\(value\)/);
    const bad = modelDir({ 'bad.pysa': 'def acme.f(x:\n' });
    const failed = spawnSync(process.execPath, [cli, 'scan', '--rules', bad, nb], { encoding: 'utf8' });
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/rule file error: .*bad\.pysa:1: unclosed bracket/);
  });
});
