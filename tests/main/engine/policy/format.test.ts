import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Policy } from '../../../../src/main/engine/policy/format';
import { canonicalHash, canonicalJson, policyHash, sha256Hex } from '../../../../src/main/engine/policy/canonical';
import { policyText, readPolicy } from '../../../../src/main/engine/policy/verify';
import { EngineError } from '../../../../src/shared/errors';
import { repoRoot } from '../../../helpers/engine';
import { samplePolicy } from './sample-policy';
import { DeploymentFile } from '../../../../src/shared/contract/deployment';

const schemaFile = join(repoRoot, 'schemas/policy.schema.json');

function refusal(text: string): EngineError {
  try {
    readPolicy(text, 'p.json');
  } catch (err) {
    return err as EngineError;
  }
  throw new Error('policy was accepted');
}

describe('policy format', () => {
  it('the committed JSON Schema is the zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const generated = JSON.stringify(z.toJSONSchema(Policy, { target: 'draft-2020-12' }), null, 2) + '\n';
    if (process.env.UPDATE_SCHEMA) writeFileSync(schemaFile, generated);
    expect(readFileSync(schemaFile, 'utf8')).toBe(generated);
    const schema = JSON.parse(generated);
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'models', 'featurizer', 'predictor', 'calibration', 'strategy', 'provenance', 'contentHash']));
  });

  it('the committed deployment-mapping JSON Schema is its zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const file = join(repoRoot, 'schemas/deployment.schema.json');
    const generated = JSON.stringify(z.toJSONSchema(DeploymentFile, { target: 'draft-2020-12', io: 'input' }), null, 2) + '\n';
    if (process.env.UPDATE_SCHEMA) writeFileSync(file, generated);
    expect(readFileSync(file, 'utf8')).toBe(generated);
  });

  it('canonical JSON ignores key order and whitespace but not values', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 'x' }] })).toBe('{"a":[1,{"c":"x","d":2}],"b":1}');
    expect(policyHash({ a: 1, b: 2 })).toBe(policyHash({ b: 2, a: 1, contentHash: 'ignored' }));
    expect(policyHash({ a: 1 })).not.toBe(policyHash({ a: 1.0000001 }));
  });

  it('the streamed hash is the hash of the canonical JSON, across its 1 MB pieces and for odd values', () => {
    const big = { z: 'é'.repeat(9 << 20), a: [1, undefined, null, { y: 'x\u2028"\ud800', b: -0, c: 1e-7 }], m: Array.from({ length: 200_000 }, (_, i) => ({ [`k${i % 7}`]: i / 3, skip: undefined })) };
    const reports: number[] = [];
    expect(canonicalHash(big, (b) => reports.push(b))).toBe(sha256Hex(canonicalJson(big)));
    expect(reports.length).toBeGreaterThan(0);
    for (const v of [{}, [], 'text', 0, null, samplePolicy()]) expect(canonicalHash(v)).toBe(sha256Hex(canonicalJson(v)));
  });

  it('a sealed (hashed) policy round-trips through its file text', () => {
    const p = samplePolicy();
    const back = readPolicy(policyText(p));
    expect(back.contentHash).toBe(p.contentHash);
    expect(back.models.map((m) => m.id)).toEqual(p.models.map((m) => m.id));
  });
});

describe('policy refusal', () => {
  const good = () => JSON.parse(policyText(samplePolicy()));

  it('refuses a tampered value (hash mismatch) and names both hashes', () => {
    const p = good();
    p.strategy.online.lambda = 1;
    const e = refusal(JSON.stringify(p));
    expect(e.code).toBe('FILE_FORMAT');
    expect(e.details?.reason).toBe('hash-mismatch');
    expect(e.message).toContain('modified after export');
  });

  it('refuses an added field, even one the schema would strip', () => {
    const p = good();
    p.models[0].extra = true;
    expect(refusal(JSON.stringify(p)).details?.reason).toBe('hash-mismatch');
  });

  it('refuses an unknown version before anything else', () => {
    const p = good();
    p.version = 2;
    const e = refusal(JSON.stringify(p));
    expect(e.details?.reason).toBe('version');
    expect(e.message).toContain('unknown policy version 2');
  });

  it('refuses a missing hash, another format and non-JSON', () => {
    const p = good();
    delete p.contentHash;
    expect(refusal(JSON.stringify(p)).details?.reason).toBe('hash-missing');
    expect(refusal(JSON.stringify({ ...good(), format: 'other' })).details?.reason).toBe('format');
    expect(refusal('{"format": ').details?.reason).toBe('not-json');
  });

  it('refuses a correctly hashed policy whose per-model arrays do not match the models', () => {
    const p = good();
    p.strategy.online.mu = [0, 0];
    p.contentHash = policyHash(p);
    const e = refusal(JSON.stringify(p));
    expect(e.details?.reason).toBe('shape');
    expect(e.message).toContain('strategy.online.mu: 2 entries for 3 models');
  });

  it('carries an ensemble calibration under the content hash and checks its shape', () => {
    const p = good();
    p.calibration.ensemble = { ...p.calibration.members[0], temperatures: p.calibration.members[0].temperatures.map((t: number) => t * 0.9) };
    p.contentHash = policyHash(p);
    const text = JSON.stringify(p);
    expect(readPolicy(text).calibration.ensemble).toEqual(p.calibration.ensemble);
    const t = JSON.parse(text);
    t.calibration.ensemble.temperatures[0] += 0.01;
    expect(refusal(JSON.stringify(t)).details?.reason).toBe('hash-mismatch');
    t.calibration.ensemble.temperatures = [1, 1];
    t.contentHash = policyHash(t);
    const e = refusal(JSON.stringify(t));
    expect(e.details?.reason).toBe('shape');
    expect(e.message).toContain('calibration.ensemble.temperatures: 2 entries for 3 models');
  });

  it('reads a decision prior and refuses one that was tampered with or has the wrong shape', () => {
    const prior = { weight: 0.5, default: [0.8, 0.6, null], byTask: { arc: [0.9, 0.7, 0.75], '': [0.85, 0.65, 0.7] } };
    const text = policyText(samplePolicy({ decisionPrior: prior }));
    expect(readPolicy(text).decisionPrior).toEqual(prior);
    const p = JSON.parse(text);
    p.decisionPrior.byTask.arc[1] = 0.71;
    expect(refusal(JSON.stringify(p)).details?.reason).toBe('hash-mismatch');
    p.decisionPrior.byTask.arc = [0.9, 0.7];
    p.contentHash = policyHash(p);
    const e = refusal(JSON.stringify(p));
    expect(e.details?.reason).toBe('shape');
    expect(e.message).toContain('decisionPrior.byTask.arc: 2 entries for 3 models');
    const w = JSON.parse(text);
    w.decisionPrior.weight = 1.5;
    w.contentHash = policyHash(w);
    expect(refusal(JSON.stringify(w)).message).toContain('decisionPrior.weight');
  });

  it('refuses a correctly hashed policy that violates the schema, naming the field', () => {
    const p = good();
    p.models[1].priceInPerM = -1;
    p.contentHash = policyHash(p);
    const e = refusal(JSON.stringify(p));
    expect(e.details?.reason).toBe('schema');
    expect(e.message).toContain('models.1.priceInPerM');
  });
});
