// Words and shapes without which no detector can match: a line that has none of them is
// passed through untouched without running any detector. This is what makes redaction of
// multi-gigabyte logs fast: one scan for triggers, detectors only on the few lines that hit.
// Keep in step with rules/detectors.yaml: a detector whose credential can appear without any
// of these triggers must add one (user detectors get their own literal prefix added).

export const BUILTIN_TRIGGERS = [
  'AKIA', 'ASIA', 'ABIA', 'ACCA', // AWS key ids
  'dapi', // Databricks tokens
  'ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_', 'github_pat_',
  'xoxa-', 'xoxb-', 'xoxp-', 'xoxr-', 'xoxs-',
  'PRIVATE KEY', 'private_key',
  'AccountKey', 'account.key', 'SharedAccess', // Azure storage and shared access keys
  'hooks.slack.com', // Slack webhooks
  'assword', 'ASSWORD', 'pwd', 'PWD', 'Pwd', // password=, PWD=
  'ecret', 'ECRET', // AWS secret keys need a credential word nearby...
  'redential', 'REDENTIAL', 'oken', 'OKEN', 'fs.s3a',
];

/** `scheme://user:password@`: a URL with credentials (a bare `://` is too common in logs). */
const URL_WITH_PASSWORD = '://[^\\s:/@]{1,128}:[^\\s@/]{0,256}@';

/** A regex matching any trigger; `extra` adds literal prefixes of user detectors. */
export function triggerRegExp(extra: readonly string[] = []): RegExp {
  const words = [...BUILTIN_TRIGGERS, ...extra].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp([...words, URL_WITH_PASSWORD].join('|'), 'g');
}
