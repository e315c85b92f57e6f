// Azure's identifiable keys (storage, Cosmos DB, Service Bus, Event Hubs, Functions, ...): random
// bytes whose end carries a fixed signature (`+ASt` for storage) and a Marvin32 checksum of the
// bytes before it, seeded per service and key type. A key whose checksum verifies is an Azure key
// whatever its context; a look-alike with the signature in place practically never verifies.
// The format is Microsoft's (microsoft/security-utilities, "identifiable secrets"); this is an
// independent implementation, checked against its published vectors (test/azure-keys.test.ts).
// No platform APIs: it runs wherever the analysis library does.

/** Marvin32's state after `bytes` with a 64-bit `seed` given as its two 32-bit halves. */
function marvin(bytes: Uint8Array, seedLow: number, seedHigh: number): [number, number] {
  let lo = seedLow >>> 0;
  let hi = seedHigh >>> 0;
  const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
  const block = (word: number) => {
    lo = (lo + word) >>> 0;
    hi = (hi ^ lo) >>> 0;
    lo = rotl(lo, 20);
    lo = (lo + hi) >>> 0;
    hi = rotl(hi, 9);
    hi = (hi ^ lo) >>> 0;
    lo = rotl(lo, 27);
    lo = (lo + hi) >>> 0;
    hi = rotl(hi, 19);
  };
  const whole = bytes.length - (bytes.length % 4);
  for (let i = 0; i < whole; i += 4) block((bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0);
  // The last word: the 0-3 bytes left, little-endian, then a 0x80 byte; then one empty block.
  let last = 0x80 * 2 ** (8 * (bytes.length - whole));
  for (let k = bytes.length - whole - 1; k >= 0; k--) last += bytes[whole + k] * 2 ** (8 * k);
  block(last >>> 0);
  block(0);
  return [lo, hi];
}

/** Marvin32 folded to 32 bits (unsigned), with the seed named by 8 ASCII characters (`Default0`). */
export function marvin32(bytes: Uint8Array, seedName: string): number {
  let high = 0;
  let low = 0;
  for (let i = 0; i < 4; i++) high = ((high << 8) | seedName.charCodeAt(i)) >>> 0;
  for (let i = 4; i < 8; i++) low = ((low << 8) | seedName.charCodeAt(i)) >>> 0;
  const [lo, hi] = marvin(bytes, low, high);
  return (lo ^ hi) >>> 0;
}

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64 text without padding to bytes; undefined unless it is the canonical encoding. */
function decode(text: string, alphabet: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = alphabet.indexOf(text[i]);
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return bits > 0 && (acc & ((1 << bits) - 1)) !== 0 ? undefined : out;
}

/** One kind of identifiable key: its signature, size, alphabet and the seeds of its key types. */
interface AzureKeyKind {
  readonly service: string;
  readonly signature: string;
  readonly bytes: 32 | 39 | 40 | 64;
  readonly urlSafe: boolean;
  readonly seeds: readonly string[];
}

const MESSAGING = ['Send0000', 'Listen00', 'Manage00'];

/** Seeds and signatures as Microsoft publishes them; kinds sharing a signature differ by seed. */
export const AZURE_KEY_KINDS: readonly AzureKeyKind[] = [
  { service: 'Azure Storage account', signature: '+ASt', bytes: 64, urlSafe: false, seeds: ['Default0'] },
  { service: 'Azure Cosmos DB', signature: 'ACDb', bytes: 64, urlSafe: false, seeds: ['Encryp00', 'MastRO00', 'MastRW00', 'Resour00', 'SysAll00', 'SystRO00', 'SystRW00'] },
  { service: 'Azure Batch', signature: '+ABa', bytes: 64, urlSafe: false, seeds: ['AbAcct00'] },
  { service: 'Azure ML web service', signature: '+AMC', bytes: 64, urlSafe: false, seeds: ['Classic0'] },
  { service: 'Azure API Management', signature: 'APIM', bytes: 64, urlSafe: false, seeds: ['Tenant00', 'IoTHub00', 'Gatewy00', 'GitKey00'] },
  { service: 'Azure Cache for Redis', signature: 'AzCa', bytes: 32, urlSafe: false, seeds: ['Access00'] },
  { service: 'Azure Service Bus', signature: '+ASb', bytes: 32, urlSafe: false, seeds: MESSAGING },
  { service: 'Azure Event Hubs', signature: '+AEh', bytes: 32, urlSafe: false, seeds: MESSAGING },
  { service: 'Azure Relay', signature: '+ARm', bytes: 32, urlSafe: false, seeds: MESSAGING },
  { service: 'Azure IoT', signature: 'AIoT', bytes: 32, urlSafe: false, seeds: ['IoTHub00', 'DpsKey00', 'Device00'] },
  // The current rule's seed is SendRecv; Microsoft's own test key verifies with the earlier Default0.
  { service: 'Azure Event Grid', signature: 'AZEG', bytes: 32, urlSafe: false, seeds: ['SendRecv', 'Default0'] },
  { service: 'Azure Container Registry', signature: '+ACR', bytes: 39, urlSafe: false, seeds: ['ACRDflt0'] },
  { service: 'Azure AI Search', signature: 'AzSe', bytes: 39, urlSafe: true, seeds: ['Query000', 'PAdmin00'] },
  { service: 'Azure Functions', signature: 'AzFu', bytes: 40, urlSafe: true, seeds: ['Functi00', 'Master00', 'System00'] },
];

/**
 * The service of an identifiable key whose signature sits in place and whose checksum verifies
 * (the last 4 bytes, little-endian, are Marvin32 of the bytes before them); undefined otherwise.
 */
export function azureKeyService(value: string): string | undefined {
  const text = value.replace(/=+$/, '');
  for (const kind of AZURE_KEY_KINDS) {
    const length = Math.ceil((kind.bytes * 8) / 6);
    // The signature's 24 bits are aligned to whole characters, 10 characters from the end.
    if (text.length !== length || text.slice(length - 10, length - 6) !== kind.signature) continue;
    const bytes = decode(text, kind.urlSafe ? URL_SAFE : STANDARD);
    if (!bytes) continue;
    const n = bytes.length;
    const stored = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
    if (kind.seeds.some((seed) => marvin32(bytes.subarray(0, n - 4), seed) === stored)) return kind.service;
  }
  return undefined;
}
