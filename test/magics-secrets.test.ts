// Line magics and shell escapes (issue 10, item 8): they are masked before parsing, yet they hold
// credentials (`%env KEY=sk-...`, `--token hf_...`), read them (`x = !gcloud auth
// print-access-token`, subprocess) and print them (`!env`, `!echo $HF_TOKEN`, `%env`,
// `print(os.environ)`). Edits to a magic line re-analyse the cell although the masked code is the same.

import { describe, expect, it } from 'vitest';
import { readNotebookText } from '../server/src/analysis';
import { analyzer, cellFindings, cells, ipynb } from './helpers';

const OPENAI = `sk-i7Qx2LmRv9Tn4Kp8Zw3Yb6Nc1Hd5Jf0Gs2Ae7Uq9Wo4${'ZQmL'}`;
const HF = `hf_Qx7Lm2Rv9Tn4Kp8Zw3Yb6Nc1Hd5Jf0G${'sAe'}`;

describe('credentials written into magics and shell escapes are NBG201', () => {
  it.each([
    ['%env NAME=value', `%env OPENAI_API_KEY=${OPENAI}`, 1],
    ['%env NAME value', `x = 1\n%env OPENAI_API_KEY ${OPENAI}`, 2],
    ['%set_env', `%set_env OPENAI_API_KEY "${OPENAI}"`, 1],
    ['a --token option', `!huggingface-cli login --token ${HF}`, 1],
    ['a shell setting', `!OPENAI_API_KEY=${OPENAI} python train.py`, 1],
    ['a password in an index URL', '!pip install --index-url https://svc:Pq7xLm2Zt9@pypi.corp.example/simple pkg', 1],
    ['an indented escape in a block', `for i in range(2):\n    !curl --user-token=${HF} https://api.example.com`, 2],
    ['a continuation line', `!python train.py \\\n    --api-key ${HF}`, 1],
    ['an automagic pip line', 'pip install --index-url https://svc:Pq7xLm2Zt9@pypi.corp.example/simple pkg', 1],
  ])('%s', async (_what, code, line) => {
    expect(await cells(code)).toEqual([`NBG201@0:${line}`]);
  });

  it('places the finding on the value and masks it in the message', async () => {
    const [f] = await cellFindings(`!huggingface-cli login --token ${HF}`);
    expect(f.column).toBe(`!huggingface-cli login --token `.length + 1);
    expect(f.message).toContain('"token"');
    expect(JSON.stringify(f)).not.toContain(HF);
  });

  it.each([
    ['values filled in by IPython or the shell', '%env HF_TOKEN=$HF_TOKEN\n!huggingface-cli login --token $HF_TOKEN\n!curl --api-key {api_key} https://x\n!echo "token=$(cat ~/.token)"\n!huggingface-cli login --token {userdata.get("HF_TOKEN")}'],
    ['placeholders', '%env OPENAI_API_KEY=sk-...\n%env OPENAI_API_KEY=<your-key>\n!huggingface-cli login --token YOUR_TOKEN'],
    ['options and settings that are not credentials', '!pip install --upgrade transformers==4.41.0\n!python run.py --max_tokens 4096 --model_name gpt-4o\n!CUDA_VISIBLE_DEVICES=0 python train.py'],
  ])('does not report %s', async (_what, code) => {
    expect(await cells(code)).toEqual([]);
  });
});

describe('commands whose output is a secret', () => {
  it.each([
    ['x = !gcloud auth print-access-token', 'TOKEN = !gcloud auth print-access-token\nprint(TOKEN)', 'NBG101@0:2'],
    ['subprocess.check_output of a list', 'import subprocess\nt = subprocess.check_output(["gcloud", "auth", "print-access-token"]).decode().strip()\nprint(t)', 'NBG101@0:3'],
    ['subprocess.run(...).stdout', 'import subprocess\nr = subprocess.run("az account get-access-token", shell=True, capture_output=True)\nprint(r.stderr, r.returncode)\nprint(r.stdout)', 'NBG101@0:4'],
    ['the token sent in a URL', 'tok = !gh auth token\nimport requests\nrequests.get(f"https://api.example.com/?token={tok}")', 'NBG104@0:3'],
    ['!cmd prints its output', 'x = 1\n!gcloud auth print-access-token', 'NBG101@0:2'],
  ])('%s', async (_what, code, expected) => {
    expect(await cells(code)).toEqual([expected]);
  });

  it.each([
    ['output piped to another command', '!aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin x'],
    ['output written to a file', '!gcloud auth print-access-token > /tmp/t'],
    // The contract's corpus (15_workspace_audit_outputs): the shell line is no code finding, its stored output is NBG401.
    ['!cat of a credentials file', '!cat ~/.databrickscfg'],
    ['other commands', 'files = !ls\nprint(files)\n!gcloud auth login\nimport subprocess\nprint(subprocess.check_output(["git", "rev-parse", "HEAD"]))'],
  ])('does not report %s', async (_what, code) => {
    expect(await cells(code)).toEqual([]);
  });
});

describe('the whole environment printed', () => {
  it.each([
    ['print(os.environ)', 'import os\nprint(os.environ)', 'NBG101@0:2'],
    ['os.environ echoed', 'import os\nos.environ', 'NBG101@0:2'],
    ['from os import environ', 'from os import environ\nprint(dict(environ))', 'NBG101@0:2'],
    ['items() in a loop', 'import os\nfor k, v in os.environ.items():\n    print(k, v)', 'NBG101@0:3'],
    ['written to a file', 'import os, json\njson.dump(dict(os.environ), open("env.json", "w"))', 'NBG103@0:2'],
    ['%env with no argument, last in the cell', '%env', 'NBG101@0:1'],
    ['%env NAME of a credential', 'x = 1\n%env OPENAI_API_KEY', 'NBG101@0:2'],
    ['!env', '!env', 'NBG101@0:1'],
    ['!printenv NAME of a credential', '!printenv HF_TOKEN', 'NBG101@0:1'],
    ['!echo $NAME of a credential', '!echo $OPENAI_API_KEY', 'NBG101@0:1'],
  ])('%s', async (_what, code, expected) => {
    expect(await cells(code)).toEqual([expected]);
  });

  it('names the source in the message', async () => {
    const [f] = await cellFindings('import os\nprint(os.environ)');
    expect(f.message).toContain('os.environ (the whole environment)');
  });

  it.each([
    ['one variable that is not a credential', 'import os\nprint(os.environ["HOME"], os.environ.get("PATH"), os.getenv("USER"))\nname = "LANG"\nprint(os.environ[name])'],
    ['setting and testing variables', 'import os\nos.environ["WANDB_MODE"] = "offline"\nif "HF_TOKEN" in os.environ:\n    print("token set")\nprint(len(os.environ))'],
    ['%env of a variable that is not a credential, and !echo $HOME', '%env CUDA_VISIBLE_DEVICES\n!echo $HOME'],
    ['%env not last in the cell', '%env\nx = 1'],
  ])('does not report %s', async (_what, code) => {
    expect(await cells(code)).toEqual([]);
  });
});

describe('editing a magic line', () => {
  it('re-analyses the cell although its masked code did not change', async () => {
    const a = await analyzer();
    const placeholder = `%env OPENAI_API_KEY=${'x'.repeat(OPENAI.length)}`;
    const nb = a.open(readNotebookText('n.ipynb', ipynb([placeholder, '!echo $HOMEPATH'])));
    expect(nb.analyze().findings).toEqual([]);
    const parses = nb.parses;
    nb.updateCell(0, `%env OPENAI_API_KEY=${OPENAI}`);
    nb.updateCell(1, '!echo $HF_TOKEN');
    expect(nb.parses).toBe(parses); // the same masked code: no parse
    expect(nb.analyze().findings.map((f) => `${f.ruleId}@${f.cell}`)).toEqual(['NBG201@0', 'NBG101@1']);
    nb.updateCell(1, '!echo $HOMEPATH');
    expect(nb.analyze().findings.map((f) => `${f.ruleId}@${f.cell}`)).toEqual(['NBG201@0']);
    nb.dispose();
  });
});

describe('shell cells (%%bash, %%sh, %%script bash, Databricks %sh) are read like ! lines', () => {
  const KEY = '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';

  it('a credential environment variable expanded into a URL is NBG104, at the variable (found 40 times on the second real-world corpus)', async () => {
    const curl = '%%bash\ncurl "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=$GEMINI_API_KEY" \\\n    -H \'Content-Type: application/json\' \\\n    -d \'{"contents": [{"parts": [{"text": "hi"}]}]}\'';
    const fs = await cellFindings(curl, '!wget -q "https://api.example.com/export?api_token=${EXPORT_API_TOKEN}&format=csv"', '%sh\ncurl -s https://admin:$DB_PASSWORD@db.example.com/backup');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}:${f.column}`)).toEqual(['NBG104@0:2:100', 'NBG104@1:1:52', 'NBG104@2:2:23']);
    expect(fs[0].message).toBe('Secret from $GEMINI_API_KEY is put into the URL of curl (the shell expands $GEMINI_API_KEY into it), which proxy and server logs keep');
  });

  it('a credential in a header, or a variable that names no credential, is not', async () => {
    expect(await cells('%%bash\ncurl -H "Authorization: Bearer $HF_TOKEN" "https://huggingface.co/api/whoami-v2"\ncurl "https://example.com/data?id=$DATASET_ID"', '%%script bash\n# curl "https://x?key=$API_KEY"\necho done')).toEqual([]);
  });

  it('credentials written in them are NBG201; commands that print secrets are NBG101', async () => {
    const fs = await cellFindings(`%%bash\nexport OPENAI_API_KEY=${KEY}\npython train.py`, '%%sh\nenv', '%%bash\necho $HF_TOKEN');
    expect(fs.map((f) => `${f.ruleId}@${f.cell}:${f.line}`)).toEqual(['NBG201@0:2', 'NBG101@1:2', 'NBG101@2:2']);
    expect(JSON.stringify(fs)).not.toContain(KEY);
  });

  it('other cell magics stay skipped', async () => {
    expect(await cells(`%%sql\nSELECT '${KEY}'`, `%%script python3\nprint("${KEY}")`)).toEqual([]);
  });
});

describe('credential variables in command URLs, more shapes', () => {
  it('a URL built from variables, a loop body, and what is not the URL', async () => {
    expect(await cells('%%bash\n. vars.sh\ncurl "${BASE_URL}/upload/v1beta/files?key=${GEMINI_API_KEY}" -D h.tmp')).toEqual(['NBG104@0:3']);
    expect(await cells('%%bash\nwhile true; do\n  curl "${file_uri}?key=${GEMINI_API_KEY}" >f.json\ndone')).toEqual(['NBG104@0:3']);
    expect(await cells("%%bash\ncurl -d \"a=1&api_key=$API_KEY\" https://x.example.com/form\ncurl 'https://x.example.com/?key=$API_KEY'")).toEqual([]);
  });
});

describe('suppressing a finding on a magic or shell line', () => {
  it('a `# nbguard: ignore[...]` comment at the end of a shell escape, a shell cell line or a magic assignment silences it', async () => {
    expect(await cells('!echo $OPENAI_API_KEY  # nbguard: ignore', '%%bash\ncurl "https://x.example.com/v1?key=$GEMINI_API_KEY"  # nbguard: ignore[NBG104]', 'k = !gcloud auth print-access-token  # nbguard: ignore\nprint(k)')).toEqual(['NBG101@2:2']);
    expect(await cells('!echo $OPENAI_API_KEY  # nbguard: ignore[NBG201]')).toEqual(['NBG101@0:1']);
  });
});
