// The quick fixes as the library plans them for a cell (what JupyterLab applies to its model; the
// language server's code actions are checked in test/lsp/codeActions.test.ts): each fix, applied
// to the cell's text, makes its finding go away and leaves the rest of the cell as it was.

import { describe, expect, it } from 'vitest';
import { applyLineEdits, cellFixTarget, quickFixes, type Finding, type QuickFix } from '../server/src/analysis';
import { codeUsesOf } from '../server/src/analysis/fix/codeNames';
import { analyzer, findings, ipynb } from './helpers';

const DAPI = 'dapi' + '0123456789abcdef0123456789abcdef';
const READ = 'pw = dbutils.secrets.get("db", "password")';

async function fixesFor(cells: string[], ruleId: string, hasOutputs = true): Promise<{ finding: Finding; fixes: QuickFix[] }> {
  const all = await findings('t.ipynb', ipynb(cells));
  const finding = all.find((f) => f.ruleId === ruleId);
  if (!finding) throw new Error(`no ${ruleId} in ${JSON.stringify(all.map((f) => f.ruleId))}`);
  const a = await analyzer();
  const ctx = { text: cells[finding.cell], notebookText: cells.join('\n'), isDatabricks: false, hasOutputs, secretScope: 'nbguard', isCredential: (t: string) => a.holdsCredential(t) };
  return { finding, fixes: quickFixes(cellFixTarget(finding), ctx) };
}

/** Applies the fix titled like `title` to its cell and returns the notebook's cells after it. */
async function apply(cells: string[], ruleId: string, title: RegExp): Promise<string[]> {
  const { finding, fixes } = await fixesFor(cells, ruleId);
  const fix = fixes.find((f) => title.test(f.title));
  if (!fix || !('edits' in fix)) throw new Error(`no edit fix ${title} in ${JSON.stringify(fixes.map((f) => f.title))}`);
  const next = cells.map((c, i) => (i === finding.cell ? applyLineEdits(c, fix.edits) : c));
  const left = (await findings('t.ipynb', ipynb(next))).filter((f) => f.ruleId === ruleId && f.cell === finding.cell);
  expect(left, `${ruleId} still there after "${fix.title}": ${JSON.stringify(next[finding.cell])}`).toEqual([]);
  return next;
}

describe('quick fixes planned by the library, applied to a cell', () => {
  it('NBG201: the key becomes os.environ["NAME"], `import os` goes at the top of the cell, the rest stays', async () => {
    const next = await apply(['x = 1', `df = load()\nTOKEN = "${DAPI}"  # prod`], 'NBG201', /environment/);
    expect(next[1]).toBe('import os\ndf = load()\nTOKEN = os.environ["TOKEN"]  # prod');
    expect(next[0]).toBe('x = 1');
  });

  it('NBG201 in a notebook that uses dbutils: the scope it reads from, the key named after the variable', async () => {
    const { fixes } = await fixesFor([READ, `apiKey = "${DAPI}"`], 'NBG201');
    expect(fixes.map((f) => [f.title, f.preferred])).toEqual([
      ['Read it from the secret scope: dbutils.secrets.get(scope="db", key="api-key")', true],
      ['Read it from the environment: os.environ["API_KEY"]', false],
      ['Suppress NBG201 on this line (# nbguard: ignore)', false],
    ]);
  });

  it('NBG101: mask the variable that carried the secret across cells', async () => {
    const next = await apply([READ, 'conn = pw', 'print("conn:", conn)'], 'NBG101', /^Mask/);
    expect(next[2]).toBe('print("conn:", conn[-4:])');
  });

  it('NBG101: a secret read right in the print is masked where it is read', async () => {
    expect((await apply(['import os\nprint(os.getenv("API_KEY"))'], 'NBG101', /^Mask/))[0]).toBe('import os\nprint(os.getenv("API_KEY")[-4:])');
    const fstring = await apply(["import os\nprint(f\"key: {os.environ.get('API_KEY')[:8]}...\")"], 'NBG101', /^Mask/);
    expect(fstring[0]).toBe("import os\nprint(f\"key: {os.environ.get('API_KEY')[-4:][:8]}...\")");
    const echoed = await apply(['import os\n"key: " + os.environ["API_KEY"]'], 'NBG101', /^Mask/);
    expect(echoed[0]).toBe('import os\n"key: " + os.environ["API_KEY"][-4:]');
  });

  it('NBG201 in a %env line or an os.environ assignment: set it outside the notebook; on Colab, read it from its secrets', async () => {
    expect((await apply(['x = 1', `%env OPENAI_API_KEY=sk-proj-${'Ab3dEf6hIj9kLm2nOp5qRs8t'}T3BlbkFJ${'Uv1wXy4zAb7cDe0fGh3iJk6l'}`, 'y = 2'], 'NBG201', /^Remove it/))[1]).toBe('');
    const assign = await apply([`import os\nos.environ["HF_TOKEN"] = "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"\nlogin()`], 'NBG201', /^Remove it: set HF_TOKEN/);
    expect(assign[0]).toBe('import os\nlogin()');
    const colab = await apply(['from google.colab import drive', `%env HF_TOKEN=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`], 'NBG201', /Colab/);
    expect(colab[1]).toBe('import os\nfrom google.colab import userdata\nos.environ["HF_TOKEN"] = userdata.get("HF_TOKEN")');
  });

  it('NBG201 in a shell line: $NAME for the environment, {call} for a platform read', async () => {
    const shell = await apply(['!huggingface-cli login --token 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'], 'NBG201', /environment/);
    expect(shell[0]).toBe('!huggingface-cli login --token $TOKEN');
    const colab = await apply(['from google.colab import userdata', '!huggingface-cli login --token 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'], 'NBG201', /Colab/);
    expect(colab[1]).toBe('!huggingface-cli login --token {userdata.get("TOKEN")}');
  });

  it('NBG201 in a shell cell: only what the shell understands ($NAME, or no export at all), never Python', async () => {
    const KEY = `sk-proj-${'Ab3dEf6hIj9kLm2nOp5qRs8t'}T3BlbkFJ${'Uv1wXy4zAb7cDe0fGh3iJk6l'}`;
    const exported = await fixesFor(['from google.colab import userdata', `%%bash\nexport OPENAI_API_KEY=${KEY}\npython train.py`], 'NBG201');
    expect(exported.fixes.map((f) => f.title)).toEqual(['Remove it: set OPENAI_API_KEY in the environment the notebook starts from', 'Suppress NBG201 on this line (# nbguard: ignore)']);
    expect((await apply(['x = 1', `%%bash\nexport OPENAI_API_KEY=${KEY}\npython train.py`], 'NBG201', /^Remove it/))[1]).toBe('%%bash\npython train.py');
    const curl = await apply([`%%bash\ncurl -H "Authorization: Bearer ${KEY}" https://api.openai.com/v1/models`], 'NBG201', /environment/);
    expect(curl[0]).toBe('%%bash\ncurl -H "Authorization: Bearer $SECRET" https://api.openai.com/v1/models');
  });

  it('in shell commands: NBG101 is not masked with Python, and suppression goes above a line that goes on', async () => {
    const env = await fixesFor(['%%bash\nenv'], 'NBG101');
    expect(env.fixes.map((f) => f.title)).toEqual(['Remove this statement', 'Suppress NBG101 on this line (# nbguard: ignore)']);
    const bang = await fixesFor(['!printenv'], 'NBG101');
    expect(bang.fixes.map((f) => f.title)).toEqual(['Remove this statement', 'Suppress NBG101 on this line (# nbguard: ignore)']);
    const curl = await apply(['%%bash\ncurl "https://x.example.com/v1?key=$GEMINI_API_KEY" \\\n  -H "a: b"'], 'NBG104', /Suppress/);
    expect(curl[0]).toBe('%%bash\n# nbguard: ignore[NBG104]\ncurl "https://x.example.com/v1?key=$GEMINI_API_KEY" \\\n  -H "a: b"');
  });

  it('NBG101: remove the statement, the only one of its block leaves `pass`', async () => {
    const next = await apply([READ, 'if debug:\n    print(pw)\nx = 2'], 'NBG101', /^Remove/);
    expect(next[1]).toBe('if debug:\n    pass\nx = 2');
  });

  it('NBG102: the child notebook gets the scope and key names', async () => {
    const next = await apply([READ, 'dbutils.notebook.run("child", 60, {"password": pw})'], 'NBG102', /scope/);
    expect(next[1]).toBe('dbutils.notebook.run("child", 60, {"password_scope": "db", "password_key": "password"})');
  });

  it('suppress: a marker at the end of the line, or a comment line above a finding that spans lines', async () => {
    expect((await apply([READ, 'print(pw)'], 'NBG101', /^Suppress/))[1]).toBe('print(pw)  # nbguard: ignore[NBG101]');
    const pem = 'key = """-----BEGIN RSA PRIVATE KEY-----\nz+rEkvo2j7LSvjYl5UTA7Sse50lHSDEgzxcoceCrJLG5hrOfqogk5uOoOiwCNQsN\n-----END RSA PRIVATE KEY-----"""';
    expect((await apply(['    ', pem], 'NBG201', /^Suppress/))[1].split('\n')[0]).toBe('# nbguard: ignore[NBG201]');
  });

  it('suppress keeps a CRLF line ending where the cell has one', async () => {
    const next = await apply([READ, 'print(pw)\r\nx = 1'], 'NBG101', /^Suppress/);
    expect(next[1]).toBe('print(pw)  # nbguard: ignore[NBG101]\r\nx = 1');
  });

  it('NBG401: clear and redact are output actions, offered only where the text has outputs', async () => {
    const cells = [{ source: 'show()', outputs: [{ output_type: 'stream', name: 'stdout', text: `token ${DAPI}\n` }] }];
    const finding = (await findings('t.ipynb', ipynb(cells))).find((f) => f.ruleId === 'NBG401')!;
    const ctx = { text: 'show()', notebookText: 'show()', isDatabricks: false, secretScope: 's', isCredential: () => false };
    expect(quickFixes(cellFixTarget(finding), { ...ctx, hasOutputs: true }).map((f) => ('outputs' in f ? f.outputs : 'edit'))).toEqual(['clear', 'redact', 'edit']);
    expect(quickFixes(cellFixTarget(finding), { ...ctx, hasOutputs: false }).map((f) => f.title)).toEqual(['Suppress NBG401 on this line (# nbguard: ignore)']);
  });

  it('no fix title or edit holds the credential', async () => {
    const { fixes } = await fixesFor([`TOKEN = "${DAPI}"`], 'NBG201');
    expect(JSON.stringify(fixes.map((f) => ({ title: f.title, edits: 'edits' in f ? f.edits : [] })))).not.toContain(DAPI.slice(4));
  });
});

describe('names used as code in a snippet (what the masking fix rewrites)', () => {
  const uses = (code: string, name: string) => codeUsesOf(code, name).map((at) => code.slice(0, at) + '|');
  it('skips strings, comments and longer names; finds f-string fields, nested calls and arguments', () => {
    expect(uses('print("pw:", pw, pw2, my_pw)  # pw', 'pw')).toEqual(['print("pw:", |']);
    expect(uses('print(f"pw={pw} and {{pw}} {len(pw):>4}")', 'pw')).toEqual(['print(f"pw={|', 'print(f"pw={pw} and {{pw}} {len(|']);
    expect(uses("log(rb'pw' + r\"\\\" pw\" + '''pw\n''' + str(pw))", 'pw')).toEqual(["log(rb'pw' + r\"\\\" pw\" + '''pw\n''' + str(|"]);
    expect(uses('display({"pw": pw}); 1e5', 'pw')).toEqual(['display({"pw": |']);
  });

  it('masks an f-string field and leaves the text around it', async () => {
    const next = await apply([READ, 'print(f"pw={pw} (pw)")'], 'NBG101', /^Mask/);
    expect(next[1]).toBe('print(f"pw={pw[-4:]} (pw)")');
  });
});
