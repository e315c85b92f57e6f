// Credentials in the structured data a notebook stores (issue 10, items 5 and 6): the notebook's
// and its cells' metadata (Databricks widget values, papermill parameters, an ipywidgets Password
// widget's state) and the JSON of application/json outputs. NBG401, masked, at line 1 of the cell
// (the first cell for the notebook's own metadata).

import { describe, expect, it } from 'vitest';
import { findings, ipynb } from './helpers';

const EVENT_HUB_KEY = 'q3Vb7Lm2Xz9Rt4Kp8Wn1Yc6Hd5Jf0Gs2Ae7Uq9Wo4Zx=';
const CONNECTION = `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${EVENT_HUB_KEY};EntityPath=events`;
const TOKEN = 'Zq8Lm2Xr9Tn4Kp7Wc1Yd6Hf3Gs5Ae0';

/** An .ipynb of two code cells with the given notebook and cell metadata. */
function notebook(meta: Record<string, unknown>, cellMeta: Record<string, unknown> = {}, outputs: unknown[] = []): string {
  const doc = JSON.parse(ipynb(['x = 1', 'y = 2']));
  doc.metadata = { ...doc.metadata, ...meta };
  doc.cells[1].metadata = cellMeta;
  doc.cells[1].outputs = outputs;
  return JSON.stringify(doc);
}

async function found(text: string) {
  const fs = await findings('t.ipynb', text);
  expect(JSON.stringify(fs)).not.toContain(EVENT_HUB_KEY);
  expect(JSON.stringify(fs)).not.toContain(TOKEN);
  return fs.map((f) => `${f.ruleId}@${f.cell}:${f.line} ${f.message}`);
}

describe('metadata', () => {
  it('reports a connection string saved as a Databricks widget value, at the first cell', async () => {
    const widgets = { eventhub_cs: { currentValue: CONNECTION, nuid: 'a1', widgetInfo: { widgetType: 'text', defaultValue: '', name: 'eventhub_cs' } } };
    const [f, ...rest] = await found(notebook({ 'application/vnd.databricks.v1+notebook': { notebookName: 'ingest', widgets } }));
    expect(rest).toEqual([]);
    expect(f).toMatch(/^NBG401@0:1 The metadata of the notebook holds an Azure shared access key \(q3Vb\*+4Zx=\) at application\/vnd\.databricks\.v1\+notebook › widgets › eventhub_cs › currentValue/);
  });

  it('reports a widget named like a credential and a papermill parameter', async () => {
    const widgets = { w: { currentValue: '', widgetInfo: { name: 'api_token', defaultValue: TOKEN } } };
    expect(await found(notebook({ 'application/vnd.databricks.v1+notebook': { widgets } }))).toEqual([
      expect.stringMatching(/^NBG401@0:1 .*credential in the widget "api_token".* widgetInfo › defaultValue/),
    ]);
    expect(await found(notebook({ papermill: { parameters: { api_key: TOKEN, n_rows: 10 } } }))).toEqual([
      expect.stringMatching(/^NBG401@0:1 .*credential under "api_key".* papermill › parameters › api_key/),
    ]);
  });

  it("reports a cell's metadata at that cell and a Password widget's saved state", async () => {
    expect(await found(notebook({}, { tags: ['parameters'], papermill: { parameters: { db_password: TOKEN } } }))).toEqual([
      expect.stringMatching(/^NBG401@1:1 The metadata of this cell holds/),
    ]);
    const state = { 'application/vnd.jupyter.widget-state+json': { state: { m1: { model_name: 'PasswordModel', state: { _model_name: 'PasswordModel', description: 'Key', value: TOKEN } } } } };
    expect(await found(notebook({ widgets: state }))).toEqual([expect.stringMatching(/^NBG401@0:1 .*password typed into a Password widget/)]);
  });

  it('does not report ordinary metadata', async () => {
    const meta = {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      colab: { provenance: [], toc_visible: true, gpuType: 'T4' },
      'application/vnd.databricks.v1+notebook': { notebookName: 'etl', widgets: { env: { currentValue: 'prod', widgetInfo: { name: 'env', defaultValue: 'dev' } }, secret_scope: { currentValue: 'kv-prod-ingest', widgetInfo: { name: 'secret_scope' } } } },
      papermill: { parameters: { token_limit: 4096, api_key: 'YOUR_API_KEY' } },
      widgets: { 'application/vnd.jupyter.widget-state+json': { state: { m1: { state: { _model_name: 'PasswordModel', value: '' } }, m2: { state: { _model_name: 'TextModel', value: 'hello world' } } } } },
    };
    expect(await found(notebook(meta, { id: 'Xq9Lm2Rv7Tn4', collapsed: false, tags: ['hide-input'] }))).toEqual([]);
  });
});

describe('application/json outputs', () => {
  const json = (data: unknown) => [{ output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'application/json': data, 'text/plain': ['<IPython.core.display.JSON object>'] } }];

  it('reports a credential under a credential-named key', async () => {
    expect(await found(notebook({}, {}, json({ access_token: TOKEN, token_type: 'bearer', expires_in: 3599 })))).toEqual([
      expect.stringMatching(/^NBG401@1:1 The stored outputs of this cell hold a credential under "access_token" \(Zq8L\*+Gs5Ae0|^NBG401@1:1 The stored outputs of this cell hold a credential under "access_token"/),
    ]);
  });

  it('does not report ordinary JSON', async () => {
    expect(await found(notebook({}, {}, json({ token_type: 'bearer', usage: { total_tokens: 120 }, model: 'gpt-4o', id: 'chatcmpl-9Xq2Lm7Rv4Tn8Kp3Zw' })))).toEqual([]);
  });
});
