// Decides whether a name denotes a credential: variables, parameters, keyword arguments, dict
// keys and option keys word by word (snake_case, camelCase, dotted.keys), and environment
// variable names split on `_`. Tuned against the names that fool other tools: tokenizer,
// max_tokens, token_count, TOKENIZERS_PARALLELISM, secret_scope, password_hint, PWD.

export const CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'apikey', 'credential', 'credentials', 'passphrase']);
export const CREDENTIAL_PAIRS: ReadonlySet<string> = new Set(['api key', 'access key', 'secret key', 'private key', 'account key', 'auth token', 'access token', 'client secret']);
/** A last word that makes the name about a credential rather than the credential itself. */
export const NOT_CREDENTIAL_LAST_WORDS: ReadonlySet<string> = new Set([
  'name', 'names', 'path', 'paths', 'url', 'uri', 'file', 'files', 'len', 'length', 'count', 'counts', 'id', 'ids', 'type', 'types',
  'field', 'fields', 'column', 'columns', 'hint', 'scope', 'scopes', 'prompt', 'label', 'env', 'var', 'key_name', 'ref', 'reference',
  'version', 'expiry', 'expires', 'ttl', 'header', 'policy', 'rotation', 'format', 'regex', 'pattern', 'provider', 'manager', 'client',
  'store', 'vault', 'arn', 'mode', 'flag', 'set', 'exists', 'present', 'configured', 'valid', 'checked', 'dir', 'size', 'limit', 'budget',
  'usage', 'usages', 'index', 'indices', 'logprob', 'logprobs', 'embedding', 'embeddings', 'stats', 'metrics',
  // A tokenizer's output (fill-mask results' token_str) and NLP tasks ("token-classification").
  'str', 'classification', 'classifier',
  // A class that provides one (`fs.azure.account.custom.token.provider.class`).
  'class',
]);
/**
 * First words that make the name something else than a credential: the tokenizer family
 * (max_tokens, pad_token) and pagination cursors (NextToken, page_token, continuation_token,
 * which AWS and Google APIs pass back and forth in the open).
 */
const FIRST_WORD_EXCEPTIONS = new Set([
  'max', 'min', 'num', 'n', 'total', 'is', 'has', 'use', 'should', 'new', 'old', 'pad', 'eos', 'bos', 'unk', 'sep', 'cls', 'mask',
  'next', 'page', 'pagination', 'continuation', 'resume', 'cursor', 'prev', 'previous', 'sync',
]);

/** Splits `dbPassword`, `db_password`, `fs.s3a.secret.key`, `SF-PASSWORD` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function hasCredentialWord(words: string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    if (CREDENTIAL_WORDS.has(words[i])) return true;
    if (i + 1 < words.length && CREDENTIAL_PAIRS.has(`${words[i]} ${words[i + 1]}`)) return true;
  }
  return false;
}

/** Names judged so far: the same keys and variables recur in every cell, output and metadata. */
const judged = new Map<string, boolean>();

/** True for identifiers, keyword names, dict keys and option keys that denote a credential. */
export function isCredentialName(name: string): boolean {
  let answer = judged.get(name);
  if (answer === undefined) {
    answer = judgeName(name);
    if (judged.size >= 50_000) judged.clear();
    judged.set(name, answer);
  }
  return answer;
}

/** A tokenizer's special tokens (`custom_pad_token`, `default_eos_token`): vocabulary, not credentials. */
const SPECIAL_TOKEN_WORDS = new Set(['pad', 'eos', 'bos', 'unk', 'sep', 'cls', 'mask', 'special', 'start', 'end', 'stop']);

/** First words of an upper-case `*_KEY` constant that is no credential (`SORT_KEY`, `PRIMARY_KEY`, `PUBLIC_KEY`). */
const NOT_SECRET_KEY_WORDS = new Set([
  'sort', 'primary', 'foreign', 'partition', 'cache', 'hash', 'lookup', 'dict', 'map', 'group', 'join', 'index', 'row', 'column',
  'composite', 'unique', 'shard', 'sharding', 'routing', 'idempotency', 'public', 'pub', 'hotkey', 'hot', 'shortcut', 'keyboard',
  'sequence', 'seq', 'label', 'target', 'feature', 'output', 'input', 'result', 'results', 'state', 'config', 'env', 'field', 'object',
  's3', 'blob', 'redis', 'bucket', 'file', 'path', 'data', 'dataset', 'table', 'default', 'session', 'metric', 'text', 'image', 'prompt',
  'message', 'user', 'model', 'doc', 'document', 'record', 'entry', 'item', 'node', 'graph', 'dim', 'version', 'time', 'date',
]);

/**
 * An upper-case constant named for a service's key (`ZYTE_KEY`, `SCRAPING_BEE_KEY`), with no
 * credential word of its own: its value is that key, when it looks machine-made (the caller's
 * to check). A sort, cache or public key is not.
 */
export function isServiceKeyConstant(name: string): boolean {
  if (!/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_KEY$/.test(name)) return false;
  const words = nameWords(name);
  return !hasCredentialWord(words) && !words.slice(0, -1).some((w) => NOT_SECRET_KEY_WORDS.has(w));
}

function judgeName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (isServiceKeyConstant(name)) return true;
  const last = words[words.length - 1];
  if (NOT_CREDENTIAL_LAST_WORDS.has(last)) return false;
  if (last === 'token' && words.length > 1 && SPECIAL_TOKEN_WORDS.has(words[words.length - 2])) return false;
  if (words.length > 1 && FIRST_WORD_EXCEPTIONS.has(words[0]) && !words.slice(1).some((w) => w === 'password' || w === 'secret')) {
    // max_tokens, pad_token, num_tokens: counts and vocabulary, not credentials.
    return false;
  }
  return hasCredentialWord(words);
}

/**
 * Parameters that hold a presumed secret: credential names, except a bare `token`, which in
 * notebook code is as often a word of a tokenizer (`for token in tokens`, `def score(token)`).
 */
export function isPresumedSecretParameter(name: string): boolean {
  return name.toLowerCase() !== 'token' && isCredentialName(name);
}

export const PROMPT_SECRET_WORDS: ReadonlySet<string> = new Set(['password', 'passwd', 'pwd', 'pass', 'secret', 'secrets', 'token', 'key', 'apikey', 'credential', 'credentials', 'passphrase', 'pat', 'pin', 'otp', 'sas']);
const PROMPT_OTHER_WORDS = new Set(['url', 'uri', 'endpoint', 'host', 'hostname', 'id', 'name', 'user', 'username', 'login', 'region', 'project', 'index', 'collection', 'database', 'namespace', 'email', 'org', 'organization', 'account', 'deployment', 'model', 'version', 'port']);

/**
 * Whether a prompt names a secret as what it asks for (`input("Enter your API key: ")`): its last
 * word that names a secret or something else is a secret's (`"Secret name: "` asks for a name).
 */
export function promptNamesSecret(prompt: string): boolean {
  const words = nameWords(prompt);
  for (let i = words.length - 1; i >= 0; i--) {
    if (PROMPT_SECRET_WORDS.has(words[i])) return true;
    if (PROMPT_OTHER_WORDS.has(words[i])) return false;
  }
  return false;
}

/**
 * Whether a prompt (`getpass("Elasticsearch URL: ")`) asks for a secret: yes when it names one
 * (password, key, token...), no when it names only something else (a URL, an id, a name), and
 * yes when it names neither: getpass is for secrets.
 */
export function promptAsksForSecret(prompt: string): boolean {
  const words = nameWords(prompt);
  if (words.some((w) => PROMPT_SECRET_WORDS.has(w))) return true;
  return !words.some((w) => PROMPT_OTHER_WORDS.has(w));
}

/**
 * Last words of a secret store entry's name that make it an identifier or a setting kept beside
 * the secrets (`client-id`, `tenant_id`, `analysis_schema_name`, `sql-username`, `host`), not a
 * secret: Databricks service-principal set-ups keep all of them in one secret scope.
 */
const STORED_SETTING_WORDS = new Set([
  // What a prompt may ask for instead of a secret, but a login or an account (a store may keep a password under those)...
  ...[...PROMPT_OTHER_WORDS].filter((w) => w !== 'login' && w !== 'account'),
  // ...and the other settings kept beside secrets.
  'ids', 'names', 'tenant', 'schema', 'catalog', 'table', 'bucket', 'container', 'path', 'dir', 'directory', 'workspace', 'domain', 'server',
  'cluster', 'warehouse',
]);

/** Words after the name proper: `application-client-id-demo`, `tenant_id_dev`, `client-id-2`. */
const QUALIFIER_WORDS = new Set(['demo', 'dev', 'test', 'prod', 'qa', 'uat', 'stg', 'staging', 'sandbox', 'local', 'lab', 'old', 'new', 'kv']);
/** Ids written as one word (`sp-databricks-adls-appid`, `clientId` split already). */
const ONE_WORD_ID = /^(?:app|client|tenant|subscription|account|object|user|project|org|workspace|directory|application)id$/;

/** Whether a secret store entry's name (`client-id`) says it holds an identifier or a setting and names no secret. */
export function keyNamesSetting(key: string): boolean {
  const words = nameWords(key);
  if (words.length === 0 || words.some((w) => PROMPT_SECRET_WORDS.has(w) || CREDENTIAL_WORDS.has(w))) return false;
  let last = words.length - 1;
  while (last > 0 && (QUALIFIER_WORDS.has(words[last]) || /^v?\d+$/.test(words[last]))) last--;
  return STORED_SETTING_WORDS.has(words[last]) || ONE_WORD_ID.test(words[last]);
}

/** A word of a configuration key that names a credential (`fs.azure.account.key`, `fs.azure.sas`). */
const isConfigCredentialWord = (w: string) => CREDENTIAL_WORDS.has(w) || w === 'key' || w === 'sas';

/**
 * Whether a configuration key names a setting around a credential, not the credential: words
 * such as provider, class, type or name come after its last credential word and end it
 * (`spark.databricks.passthrough.adls.gen2.tokenProviderClassName`,
 * `fs.azure.account.custom.token.provider.class`, `fs.s3a.aws.credentials.provider`). A key
 * that ends in an account's host name (`fs.azure.account.key.<account>.dfs.core.windows.net`)
 * names the credential.
 */
export function configKeyAboutCredential(key: string): boolean {
  const words = nameWords(key);
  let lastCredential = -1;
  words.forEach((w, i) => {
    if (isConfigCredentialWord(w)) lastCredential = i;
  });
  const last = words[words.length - 1];
  return lastCredential >= 0 && lastCredential < words.length - 1 && NOT_CREDENTIAL_LAST_WORDS.has(last);
}

/** Configuration key segments that say the value is an identifier or a setting: `...oauth2.client.id.<account>...`. */
const CONFIG_SETTING_SEGMENTS = new Set(['id', 'endpoint', 'type', 'provider', 'name', 'url', 'uri']);

/** Whether a configuration key is for an identifier or a setting and names no credential (`fs.azure.account.oauth2.client.id.*`). */
export function configKeyNamesSetting(key: string): boolean {
  const segments = key.toLowerCase().split('.');
  if (segments.some((s) => isConfigCredentialWord(s) || s === 'keys' || /secret|password|token/.test(s))) return false;
  return segments.some((s) => CONFIG_SETTING_SEGMENTS.has(s));
}

export const ENV_CREDENTIAL_WORDS: readonly string[] = ['PASSWORD', 'PASSWD', 'PWD', 'SECRET', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PASSPHRASE'];
const ENV_PAIRS = new Set(['API KEY', 'ACCESS KEY', 'SECRET KEY', 'PRIVATE KEY', 'ACCOUNT KEY']);
/** First words of an environment variable that counts an LLM's tokens (`MAX_TOKENS`). */
const ENV_COUNT_WORDS = new Set(['MAX', 'MIN', 'NUM', 'TOTAL', 'N', 'CHARS', 'COUNT']);

/** The working directory, and a credentials *file's* path (Google's service-account key file). */
const ENV_NOT_CREDENTIAL = new Set(['PWD', 'OLDPWD', 'GOOGLE_APPLICATION_CREDENTIALS']);

/**
 * True for environment variable names that hold a credential: a `_`-separated word that is (or
 * ends with, as in PGPASSWORD) a credential word, or a pair such as API_KEY. PWD and OLDPWD are
 * the working directory; TOKENIZERS_PARALLELISM is not a token.
 */
export function isCredentialEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  if (ENV_NOT_CREDENTIAL.has(upper)) return false;
  const words = upper.split(/[_\-.]+/).filter(Boolean);
  if (words.length === 0) return false;
  const lastWord = words[words.length - 1].toLowerCase();
  if (words.length > 1 && NOT_CREDENTIAL_LAST_WORDS.has(lastWord)) return false;
  // MAX_TOKENS, NUM_TOKENS, CHARS_PER_TOKEN: counts and rates of an LLM's tokens.
  if (words.length > 1 && (ENV_COUNT_WORDS.has(words[0]) || words.includes('PER')) && !words.some((w) => w.includes('PASSWORD') || w.includes('SECRET'))) return false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (ENV_CREDENTIAL_WORDS.some((c) => w === c || (w.endsWith(c) && c.length >= 5))) return true;
    if (i + 1 < words.length && ENV_PAIRS.has(`${w} ${words[i + 1]}`)) return true;
  }
  return false;
}
