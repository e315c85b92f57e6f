// The rules nbguard reports, as the contract defines them: id, name, default severity and a
// one-line description (used by the CLI, the docs and later by SARIF and the editor).

export type RuleId = 'NBG101' | 'NBG102' | 'NBG103' | 'NBG104' | 'NBG201' | 'NBG301' | 'NBG401';
export type Severity = 'error' | 'warning' | 'info';

export interface RuleInfo {
  readonly id: RuleId;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
}

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  NBG101: { id: 'NBG101', name: 'secret-to-output', severity: 'error', summary: 'A secret reaches printed output, a log, a warning, an exception message or the cell output.' },
  NBG102: { id: 'NBG102', name: 'secret-to-workflow', severity: 'error', summary: 'A secret is passed to a child notebook, a job task value, a notebook exit value or a widget default.' },
  NBG103: { id: 'NBG103', name: 'secret-to-storage', severity: 'error', summary: 'A secret is written to a file, DBFS, a serialised object or MLflow.' },
  NBG104: { id: 'NBG104', name: 'secret-to-network-or-sql', severity: 'warning', summary: 'A secret is put into a request URL or into SQL text, where server logs and query history keep it.' },
  NBG201: { id: 'NBG201', name: 'hardcoded-credential', severity: 'error', summary: 'A credential is written into the notebook as a string literal.' },
  NBG301: { id: 'NBG301', name: 'insecure-configuration', severity: 'warning', summary: 'A credential is set in Spark/Hadoop configuration, a DBFS mount or the environment, where every user of the cluster can read it.' },
  NBG401: { id: 'NBG401', name: 'secret-in-output', severity: 'error', summary: 'A stored cell output holds a credential.' },
};

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold];
}

export function strongerSeverity(a: Severity, b: Severity): boolean {
  return SEVERITY_RANK[a] < SEVERITY_RANK[b];
}
