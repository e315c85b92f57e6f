import { afterEach, describe, expect, it } from 'vitest';
import { LspTestClient } from './lspClient';

let client: LspTestClient | undefined;
afterEach(async () => client?.stop());

describe('language server smoke', () => {
  it('publishes a cross-cell finding on the right cell of an opened notebook', async () => {
    client = new LspTestClient();
    await client.initialize();
    const nb = 'file:///w/a.ipynb';
    const cells = ['pw = dbutils.secrets.get("db", "password")', 'url = f"jdbc:x://h?password={pw}"', 'print(url)'];
    const uris = cells.map((_, i) => `vscode-notebook-cell:/w/a.ipynb#C${i}`);
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri: nb, notebookType: 'jupyter-notebook', version: 1, cells: uris.map((u) => ({ kind: 2, document: u })) },
      cellTextDocuments: uris.map((u, i) => ({ uri: u, languageId: 'python', version: 1, text: cells[i] })),
    });
    await client.waitFor(() => client!.codes(uris[2]).length > 0);
    expect(client.codes(uris[2])).toEqual(['NBG101@0:0']);
    const d = client.diagnostics.get(uris[2])![0];
    expect(d.source).toBe('nbguard');
    expect(d.relatedInformation?.map((r) => r.location.uri)).toEqual([uris[0], uris[0], uris[1], uris[2]]);
  });
});
