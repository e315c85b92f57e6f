import { describe, expect, it } from 'vitest';
import { cells } from './helpers';

describe('smoke', () => {
  it('follows a secret across cells into print', async () => {
    expect(await cells('pw = dbutils.secrets.get("db", "password")', 'url = f"jdbc://u:{pw}@h"', 'print(url)')).toEqual(['NBG101@2:1']);
  });
});
