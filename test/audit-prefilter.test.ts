// The audit prefilter (analysis/audit/sessionPrefilter.ts): a session whose text holds nothing a
// rule could start from is not analysed. It must never clear a session that has a finding: checked
// against the analysis on the labelled corpus and the examples (whole notebooks and runs of cells),
// and through the CLI on a generated log, with and without --no-prefilter.

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Analyzer, readNotebookText } from '../server/src/analysis';
import { analyseSession } from '../server/src/analysis/audit/analyseSession';
import { SessionPrefilter } from '../server/src/analysis/audit/sessionPrefilter';
import { attach, auditLog, generateLog, run } from './auditLog';
import { audit, useAuditFolder, write } from './auditRun';
import { createAnalyzer } from '../server/src/node/createAnalyzer';

const GHP = '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';
let analyzer: Analyzer;
let prefilter: SessionPrefilter;

beforeAll(async () => {
  analyzer = await createAnalyzer();
  prefilter = new SessionPrefilter(analyzer.rules);
});

describe('the audit prefilter', () => {
  it('is derived from the rules: pieces of the secret sources, not common words', () => {
    expect(prefilter.enabled).toBe(true);
    expect(prefilter.sourceTriggers).toEqual(expect.arrayContaining(['secrets', 'environ', 'getpass', 'userdata', 'hvac']));
    // Found through the credential words their argument must hold, or too common to look for.
    for (const word of ['conf', 'get', 'input', 'client', 'default', 'databricks']) expect(prefilter.sourceTriggers).not.toContain(word);
  });

  it.each([
    ['plain data work', ['df = spark.read.table("sales")\ndisplay(df.groupBy("region").count())', 'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])']],
    ['a tokenizer, max_tokens and dict keys', ['tok = AutoTokenizer.from_pretrained("bert")\nids = tok(text, max_tokens=512)\nfor k in d.keys(): print(k)']],
    ['URLs without a password', ['r = requests.get("https://api.example.com/v1/items?page=2")\ndf = spark.read.csv("s3://bucket/x.csv")']],
    // Not analysed at all (another language): even a credential in them is no finding.
    ['Markdown and SQL commands', ['%md\n# The password policy', `%sql\nSELECT * FROM secrets_audit WHERE t = "${GHP}"`]],
  ])('clears %s', (_what, commands) => {
    expect(prefilter.mayFind(commands)).toBe(false);
  });

  it.each([
    ['a secret scope read', 'pw = dbutils.secrets.get("db", "pw")'],
    ['the whole environment shown', 'import os\nprint(os.environ)'],
    ['an environment variable named like a credential', 'hf = os.getenv("HF_TOKEN")'],
    ['a prompt asking for a key', 'k = input("Paste the key: ")'],
    ['a credential name in camel case', 'openaiApiKey = cfg["x"]'],
    ['a credential configuration key', 'spark.conf.set("fs.azure.sas.box.acct.blob.core.windows.net", sas)'],
    ['an AWS secret key under a name with key', 'aws_k = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq3vT8yPw1Lx"'],
    ['a token in a comment', `# old: ${GHP}`],
    ['a URL with a password', 'engine = create_engine("postgresql://etl:Xk9mQ2vLp7@db/app")'],
    ['a shell command that prints a token', '!gcloud auth print-access-token'],
    ['%env', '%env'],
    ['a token assembled from escapes', `t = "\\x67hp_${GHP.slice(4)}"`],
  ])('keeps %s', (_what, command) => {
    expect(prefilter.mayFind(['x = 1', command])).toBe(true);
  });

  it('follows user rules: a source of their own is looked for', async () => {
    const rules = mkdtempSync(join(tmpdir(), 'nbguard-pf-rules-'));
    writeFileSync(join(rules, 'corp.yaml'), 'sources:\n  - id: corp-vault\n    calls: [corpvault.fetch_value]\n');
    const own = new SessionPrefilter((await createAnalyzer({ rulesDirs: [rules] })).rules);
    expect(own.sourceTriggers).toContain('fetch_value');
    expect(own.mayFind(['v = corpvault.fetch_value("db")\nprint(v)'])).toBe(true);
    expect(prefilter.mayFind(['v = corpvault.fetch_value("db")\nprint(v)'])).toBe(false);
  });

  it('never clears a session with a finding: the labelled corpus and the examples, whole and in runs of cells', () => {
    // The labelled corpus sits beside the repository where the project is developed; a clone alone has the examples.
    const dirs = [resolve(__dirname, '..', '..', 'shared', 'corpus'), resolve(__dirname, '..', 'examples')].filter((d) => existsSync(d));
    let cleared = 0;
    let checked = 0;
    const check = (name: string, commands: string[]) => {
      checked++;
      if (prefilter.mayFind(commands)) return;
      cleared++;
      const session = { id: 's', notebookId: 'n', path: name, commands: commands.map((text, i) => ({ commandId: `c${i}`, text, time: i, seq: i })) };
      expect(analyseSession(analyzer, session).findings.map((f) => `${name} ${f.ruleId} ${f.message}`)).toEqual([]);
    };
    // Plain data work beside the notebooks that handle secrets.
    check('plain', ['import pandas as pd', 'df = pd.read_csv("orders.csv")\ndf.head()', 'df.groupby("region").sum().plot()']);
    for (const dir of dirs) {
      for (const name of readdirSync(dir).filter((f) => /\.(ipynb|py)$/.test(f))) {
        let cells: string[];
        try {
          cells = readNotebookText(name, readFileSync(join(dir, name), 'utf8')).cells.filter((c) => c.kind === 'code').map((c) => c.code);
        } catch {
          continue;
        }
        for (const commands of [cells, ...cells.map((_, i) => cells.slice(i, i + 3))]) check(name, commands);
      }
    }
    const withCorpus = dirs.length > 1;
    expect(checked).toBeGreaterThan(withCorpus ? 100 : 10);
    expect(cleared).toBeGreaterThan(withCorpus ? 10 : 0);
  });
});

describe('nbguard audit with the prefilter', () => {
  useAuditFolder();

  it('reports the same findings as without it, and says how many sessions it cleared', async () => {
    const generated = generateLog(20240502, 30);
    const clean = Array.from({ length: 20 }, (_, i) => [attach(`plain${i}`, 10 + i, `/Users/x/plain${i}`), run(`plain${i}`, 20 + i, `p${i}`, 'df = spark.read.table("t")\ndisplay(df)')]).flat();
    const file = write('mixed.jsonl', auditLog([...generated.events, ...clean], { shape: 'table' }));
    const [withPrefilter, without] = [audit(['--format', 'jsonl', file]), audit(['--format', 'jsonl', '--no-prefilter', file])];
    const lines = (out: string) => out.split('\n').filter(Boolean).sort();
    expect(lines(withPrefilter.stdout)).toEqual(lines(without.stdout));
    expect(lines(withPrefilter.stdout).length).toBeGreaterThan(0);
    expect(withPrefilter.stderr).toMatch(/cleared: {2}\d+ sessions? \(\d+%\) with [\d,]+ commands?: nothing a rule could start from, not parsed/);
    expect(without.stderr).not.toMatch(/cleared:/);
  });
});
