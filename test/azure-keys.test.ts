// Azure identifiable keys (detectors/azureKeyChecksum.ts and the azure-identifiable-key detector):
// the checksum agrees with published Marvin32 values and with Microsoft's own test keys; every
// kind and key type verifies; a changed character, or random bytes around a signature, fail.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AZURE_KEY_KINDS, azureKeyService, marvin32 } from '../server/src/analysis/detectors/azureKeyChecksum';
import { CompiledRules } from '../server/src/analysis/rules/compiledRules';
import { loadRuleSet } from '../server/src/node/loadRuleSet';
import { redact } from '../server/src/analysis/redact/redactor';
import { makeAzureKey } from './azureKeyMaker';

const detectors = new CompiledRules(loadRuleSet()).detectors;
const found = (text: string) => detectors.scan(text).filter((m) => m.detectorId === 'azure-identifiable-key').map((m) => m.value);
const bytes = (hex: string) => new Uint8Array(hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
/** A 64-bit seed as the 8 characters marvin32() reads it from. */
const seed = (hex: string) => String.fromCharCode(...bytes(hex));

describe('Marvin32', () => {
  // dotnet/runtime's Marvin tests (ComputeHash32): seed, input, result.
  it.each([
    ['004fb61a001bdbcc', '', 0x302009bc],
    ['004fb61a001bdbcc', 'af', 0x3592e206],
    ['004fb61a001bdbcc', '8642dc59', 0x0e9407be],
    ['004fb61a001bdbcc', 'ab427ea8d10fc7', 0x117fcba5],
    ['804fb61a001bdbcc', '153fb79826', 0x19405cf6],
    ['804fb61a801bdbcc', 'ff00ff00ff00ff', 0xe0c1ffff],
    ['804fb61a801bdbcc', '00ff00ff00ff00', 0x8a9c61c6],
  ])('seed %s, input "%s"', (s, input, expected) => {
    expect(marvin32(bytes(input), seed(s))).toBe(expected);
  });
});

describe('Azure identifiable keys', () => {
  // Microsoft's test keys (microsoft/security-utilities): fillers, but with real checksums.
  it.each([
    ['ddddddddddddddddddddddddddddddddddddddddddddAzFu182vhA==', 'Azure Functions'],
    ['eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee+ACRCTB7t/', 'Azure Container Registry'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+ASbHpHeAI=', 'Azure Service Bus'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaAIoTOumzco', 'Azure IoT'],
    ['bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbAZEGLiQbng=', 'Azure Event Grid'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaAzSeCjhzCu', 'Azure AI Search'],
    [`${'a'.repeat(76)}+ASt5mnCaw==`, 'Azure Storage account'],
    [`${'a'.repeat(76)}ACDbOpqrYA==`, 'Azure Cosmos DB'],
    [`${'a'.repeat(76)}APIMHbKhsQ==`, 'Azure API Management'],
  ])('verify Microsoft\'s test key %s', (key, service) => {
    expect(azureKeyService(key)).toBe(service);
  });

  it('verify for every kind and key type, and are found in text and redacted', () => {
    for (const kind of AZURE_KEY_KINDS) {
      for (const s of kind.seeds) {
        const key = makeAzureKey(kind, s);
        expect(azureKeyService(key), `${kind.service} ${s}`).toBe(kind.service);
        expect(found(`key=${key};`), `${kind.service} ${s}`).toEqual([key]);
        expect(redact(`key=${key};\n`, detectors)).toBe('key=REDACTED_AZURE_KEY;\n');
      }
    }
  });

  it('fail when any one character changes', () => {
    for (const kind of AZURE_KEY_KINDS) {
      const key = makeAzureKey(kind);
      const alphabet = kind.urlSafe ? 'Ab9-_' : 'Ab9+/';
      for (let i = 0; i < key.replace(/=+$/, '').length; i++) {
        for (const ch of alphabet) {
          if (ch === key[i]) continue;
          const changed = key.slice(0, i) + ch + key.slice(i + 1);
          // Cosmos DB's read-only and read-write seeds differ in one place: a change in the first
          // bytes may turn one valid key into the other. It is still a Cosmos DB key.
          const service = azureKeyService(changed);
          if (service !== undefined) expect([service, i < 4], changed).toEqual(['Azure Cosmos DB', true]);
        }
      }
    }
  });

  it('are not reported when random bytes surround a signature', () => {
    for (const kind of AZURE_KEY_KINDS) {
      for (let n = 0; n < 200; n++) {
        const key = makeAzureKey(kind);
        const tail = key.length - (key.endsWith('==') ? 8 : key.endsWith('=') ? 7 : 6);
        let random = Buffer.from(randomBytes(kind.bytes)).toString('base64').slice(0, tail);
        if (kind.urlSafe) random = random.replace(/\+/g, '-').replace(/\//g, '_');
        const lookalike = random.slice(0, tail - 4) + kind.signature + key.slice(tail);
        expect(found(lookalike), lookalike).toEqual([]);
      }
    }
  });

  it('are not reported inside a longer base64 run, nor as Microsoft\'s filler test keys', () => {
    const key = makeAzureKey(AZURE_KEY_KINDS[0]);
    expect(found(`QUJD${key}`)).toEqual([]);
    expect(found(`${'a'.repeat(76)}+ASt5mnCaw==`)).toEqual([]);
  });
});
