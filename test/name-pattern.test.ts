// Rule name patterns (server/src/analysis/rules/namePattern.ts): a pattern with `*` matches a
// name exactly when the regular expression it stands for (`*` as `.*`, anchored) does, for the
// shapes the rules use and for random names and patterns, line breaks (where `.` stops) included.

import { describe, expect, it } from 'vitest';
import { escapeRegExp, globMatcher, NameTable } from '../server/src/analysis/rules/namePattern';

const asRegExp = (pattern: string) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);

describe('rule name patterns', () => {
  it('match the names the rules mean', () => {
    const table = new NameTable<string>();
    table.add('dbutils.secrets.get', 'exact');
    table.add('*.hadoopConfiguration().set', 'suffix');
    table.add('hashlib.*', 'prefix');
    table.add('*SparkSession.builder*getOrCreate()', 'middle');
    table.add('*fs.s3a.bucket.*.secret.key', 'two stars');
    expect(table.lookup('dbutils.secrets.get')).toEqual(['exact']);
    expect(table.lookup('spark.sparkContext._jsc.hadoopConfiguration().set')).toEqual(['suffix']);
    expect(table.lookup('hashlib.sha256')).toEqual(['prefix']);
    expect(table.lookup('pyspark.sql.SparkSession.builder.appName().getOrCreate()')).toEqual(['middle']);
    expect(table.lookup('fs.s3a.bucket.raw.secret.key')).toEqual(['two stars']);
    expect(table.lookup('hashlib')).toEqual([]);
    expect(table.lookup('SparkSession.builder.getOrCreate().x')).toEqual([]);
    // `*` is `.*`: it does not cross a line break, but a line break in the pattern is text.
    expect(globMatcher('a*b')('a\rb')).toBe(false);
    expect(globMatcher('*\nb')('\nb')).toBe(true);
  });

  it('agree with the regular expression on random names and patterns', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    // Line breaks in names and in patterns too: `.` stops at all four.
    const alphabet = 'ab.\n\r\u2028*';
    const text = (max: number, stars: boolean) => Array.from({ length: random(max) }, () => alphabet[random(stars ? 7 : 6)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const pattern = text(7, true);
      const name = text(9, false);
      expect(globMatcher(pattern)(name), `${JSON.stringify(pattern)} ~ ${JSON.stringify(name)}`).toBe(asRegExp(pattern).test(name));
    }
  });
});
