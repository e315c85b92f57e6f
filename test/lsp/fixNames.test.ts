// The names quick fixes derive: the secret-scope key from a variable name, and the name a
// literal is given to.

import { describe, expect, it } from 'vitest';
import { literalName, secretKeyName } from '../../server/src/analysis/fix/secretNames';

describe('quick-fix names', () => {
  it('turns any variable naming style into a secret key name', () => {
    expect(secretKeyName('DATABRICKS_TOKEN')).toBe('databricks-token');
    expect(secretKeyName('aws_secret_access_key')).toBe('aws-secret-access-key');
    expect(secretKeyName('apiKey')).toBe('api-key');
    expect(secretKeyName('fs.s3a.secret.key')).toBe('fs-s3a-secret-key');
    expect(secretKeyName(undefined)).toBe('secret');
  });

  it('finds the name a literal is given to', () => {
    const at = (line: string, literal: string) => literalName(line, { start: { line: 0, character: line.indexOf(literal) }, end: { line: 0, character: line.indexOf(literal) + literal.length } });
    expect(at('TOKEN = "dapi123"', '"dapi123"')).toBe('TOKEN');
    expect(at('connect(host="h", password="Pg!9x")', '"Pg!9x"')).toBe('password');
    expect(at('cfg = {"api_key": "abc123"}', '"abc123"')).toBe('api_key');
    expect(at('spark.conf.set("fs.s3a.secret.key", "abc")', '"abc"')).toBe('fs.s3a.secret.key');
    expect(at('os.environ["QDRANT_API_KEY"] = "abc"', '"abc"')).toBe('QDRANT_API_KEY');
    expect(at('%env OPENAI_API_KEY=abc', 'abc')).toBe('OPENAI_API_KEY');
    expect(at('!wandb login --api-key abc', 'abc')).toBe('api-key');
    expect(at('print("abc")', '"abc"')).toBeUndefined();
  });
});
