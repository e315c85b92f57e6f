// The workspace a generated audit log comes from: its ids, users, clusters, jobs and tables, and
// the envelope every legacy log-delivery record shares (version, auditLevel, timestamp, orgId,
// shardName, accountId, sourceIPAddress, userAgent, sessionId, userIdentity, serviceName,
// actionName, requestId, requestParams, response). Seeded through the generator's Random.

import { DOMAINS } from '../generator/vocabulary';
import { DIGITS, LOWER, Random } from '../redact/random';

export interface User {
  readonly email: string;
  readonly ip: string;
  readonly agent: string;
  readonly sessionId: string;
}

export interface Cluster {
  readonly id: string;
  readonly name: string;
}

const FIRST = ['anna', 'ben', 'chen', 'dana', 'emil', 'fatima', 'gwen', 'hiro', 'ines', 'jonas', 'kofi', 'lena', 'mateo', 'nora', 'omar', 'priya', 'quinn', 'rosa', 'sven', 'tara', 'umar', 'vera', 'wei', 'yusuf', 'zoe'];
const LAST = ['schmidt', 'okafor', 'nguyen', 'garcia', 'kowalski', 'larsen', 'tanaka', 'silva', 'haddad', 'murphy', 'rossi', 'novak', 'berg', 'patel', 'costa'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'databricks-cli/0.218.0 databricks-sdk-go/0.36.0 go/1.21.9 os/linux',
  'Apache-HttpClient/4.5.14 (Java/1.8.0_392) Databricks-Service/driver',
];
const SPARK_VERSIONS = ['13.3.x-scala2.12', '14.3.x-scala2.12', '15.4.x-scala2.12', '14.3.x-photon-scala2.12'];
const NODE_TYPES = ['i3.xlarge', 'i3.2xlarge', 'r5d.4xlarge', 'm5d.2xlarge', 'Standard_DS3_v2'];

/** The workspace: fixed at the start of the log. */
export class AuditWorld {
  readonly orgId: string;
  readonly accountId: string;
  readonly shardName: string;
  readonly users: User[] = [];
  readonly clusters: Cluster[] = [];
  readonly jobs: number[] = [];
  readonly tables: string[] = [];
  readonly metastore: string;

  constructor(readonly rng: Random) {
    this.orgId = `${rng.range(1, 9)}${rng.chars(DIGITS, 15)}`;
    this.accountId = rng.uuid();
    this.shardName = `${rng.pick(['eu-west-1', 'us-east-1', 'westeurope'])}-prod-shard-${rng.range(1, 40)}`;
    this.metastore = rng.uuid();
    for (let i = 0; i < 320; i++) {
      const email = `${rng.pick(FIRST)}.${rng.pick(LAST)}${i}@acme-data.com`;
      this.users.push({ email, ip: `10.${rng.range(16, 31)}.${rng.int(256)}.${rng.range(2, 254)}`, agent: rng.pick(AGENTS), sessionId: rng.hex(32) });
    }
    for (let i = 0; i < 60; i++) {
      this.clusters.push({ id: `${rng.chars(DIGITS, 4)}-${rng.chars(DIGITS, 6)}-${rng.chars(LOWER, 8)}`, name: `${rng.pick(DOMAINS)}-${rng.pick(['shared', 'etl', 'ml', 'adhoc', 'bi'])}-${i}` });
    }
    for (let i = 0; i < 400; i++) this.jobs.push(rng.range(10 ** 14, 10 ** 15 - 1));
    for (let i = 0; i < 600; i++) this.tables.push(`${rng.pick(['main', 'prod', 'dev'])}.${rng.pick(['bronze', 'silver', 'gold'])}.${rng.pick(DOMAINS)}_${rng.pick(['daily', 'raw', 'clean', 'agg', 'snapshot', 'v2'])}_${i}`);
  }

  user(): User {
    return this.rng.pick(this.users);
  }
  cluster(): Cluster {
    return this.rng.pick(this.clusters);
  }
  sparkVersion(): string {
    return this.rng.pick(SPARK_VERSIONS);
  }
  nodeType(): string {
    return this.rng.pick(NODE_TYPES);
  }

  /** One legacy log-delivery record, in the field order Databricks writes. */
  record(time: number, user: User, serviceName: string, actionName: string, requestParams: Record<string, unknown>, response: Record<string, unknown> = { statusCode: 200 }): Record<string, unknown> {
    return {
      version: '2.0',
      auditLevel: 'WORKSPACE_LEVEL',
      timestamp: time,
      orgId: this.orgId,
      shardName: this.shardName,
      accountId: this.accountId,
      sourceIPAddress: user.ip,
      userAgent: user.agent,
      sessionId: user.sessionId,
      userIdentity: { email: user.email },
      serviceName,
      actionName,
      requestId: this.rng.uuid(),
      requestParams,
      response,
    };
  }
}
