/**
 * The table's model (functions/store/entities.ts): items are written with the table's attributes over
 * the domain fields, a domain value carrying one is refused, and every read is checked and stripped.
 */
import * as entities from '../../../functions/store/entities';
import * as experimentEntities from '../../../functions/store/experiment-entities';
import { collectionRunEntity, itemOf, observationEntity, parseItem, StoredItemError, TABLE_ATTRIBUTE_NAMES, type Entity } from '../../../functions/store/entities';
import { currentVerdictEntity, experimentEntity } from '../../../functions/store/experiment-entities';
import type { StoredPlan } from '../../../functions/domain/planning/stored-plan';
import { keys } from '../../../functions/store/keys';
import { TABLE_KEYS } from '../../../functions/store/table-definition';
import { anExperiment } from '../../support/factories';
import { aVerdict } from '../digest/digest-fixtures';

function aPlan(): StoredPlan {
  return {
    metric: 'x.follower_growth_rate', windowDays: 14, baselineDays: 28, historyDays: 60, confidence: 0.95, minLift: 0, targetLift: 0.5,
    expectedLevel: 10, detectableLift: 0.3, powerAtTarget: 0.93, windowForTarget: 9,
    byWindow: [{ windowDays: 14, detectableLift: 0.3, powerAtTarget: 0.93 }], assumed: false, summary: 'Detects +30 % in 14 days.', warnings: [],
    computedAt: '2026-10-30T00:00:00.000Z',
  };
}

describe('the table model', () => {
  it('owns exactly the table definition\'s keys, index keys and TTL, plus the type tag', () => {
    expect([...TABLE_ATTRIBUTE_NAMES].sort()).toEqual(['expiresAt', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'pk', 'sk', 'type']);
    expect(TABLE_ATTRIBUTE_NAMES.has(TABLE_KEYS.timeToLiveAttribute)).toBe(true);
  });

  it('writes an experiment with its keys and index attributes, and reads back the same value', () => {
    const e = anExperiment({ status: 'running' });
    const item = itemOf(experimentEntity, keys.experiment(e.id), e);

    expect(item).toMatchObject({ pk: `EXP#${e.id}`, sk: 'EXPERIMENT', type: 'experiment', gsi1pk: 'STATUS#running', gsi2pk: 'EXPERIMENTS', gsi2sk: `${e.createdAt}#${e.id}` });
    expect(parseItem(experimentEntity, item)).toEqual(e);
  });

  it('refuses a domain value carrying one of the table\'s attributes, so it can never replace a key', () => {
    const e = anExperiment();
    expect(() => itemOf(experimentEntity, keys.experiment(e.id), { ...e, pk: 'EXP#other' })).toThrow(/carries pk, which the table uses/);
    expect(() => itemOf(experimentEntity, keys.experiment(e.id), { ...e, type: 'tactic' })).toThrow(/carries type/);
  });

  it('parses every read with the full domain schema: a broken item is reported with its key and the field', () => {
    const e = anExperiment();
    const stored = itemOf(experimentEntity, keys.experiment(e.id), e);

    const broken = { ...stored, status: 'sleeping', durationDays: 'two weeks', decision: { minLift: 0, confidence: '95 %' } };
    expect(() => parseItem(experimentEntity, broken)).toThrow(StoredItemError);
    expect(() => parseItem(experimentEntity, broken)).toThrow(/Stored experiment item EXP#exp_test0001 \/ EXPERIMENT does not match its model: status: .*; durationDays: .*; decision\.confidence: /);
    // Fields the store never relied on before are checked too: a verdict's effect, a plan's numbers.
    const v = aVerdict();
    const verdictItem = itemOf(currentVerdictEntity, keys.currentVerdict(v.experimentId), v);
    expect(() => parseItem(currentVerdictEntity, { ...verdictItem, effect: { ...v.effect, relative: 'a lot' } })).toThrow(/: effect\.relative: /);
    const planned = itemOf(experimentEntity, keys.experiment(e.id), { ...e, plan: aPlan() });
    expect(parseItem(experimentEntity, planned)).toEqual({ ...e, plan: aPlan() });
    expect(() => parseItem(experimentEntity, { ...planned, plan: { ...aPlan(), windowDays: null } })).toThrow(/: plan\.windowDays: /);
  });

  it('keeps the fields a schema does not name, at any depth, so items from other versions still read', () => {
    const v = aVerdict();
    const newer = { ...itemOf(currentVerdictEntity, keys.currentVerdict(v.experimentId), v), verdictFormat: 3, dataQuality: { ...v.dataQuality, weekendCoverage: 0.5 } };
    expect(parseItem(currentVerdictEntity, newer)).toEqual({ ...v, verdictFormat: 3, dataQuality: { ...v.dataQuality, weekendCoverage: 0.5 } });

    // An observation's schema is strict (collectors must not invent fields); a stored one with a field
    // from a newer collector still reads, with the known fields checked and canonicalised.
    const observation = { metric: 'x.followers', value: 120, at: '2026-11-20T10:00:00Z', source: 'x', followersOfFollowers: 9000 };
    const item = { pk: 'OBS#x.followers', sk: '2026-11-20T10:00:00.000Z#', type: 'observation', ...observation };
    expect(parseItem(observationEntity, item)).toEqual({ ...observation, at: '2026-11-20T10:00:00.000Z' });
    expect(() => parseItem(observationEntity, { ...item, value: -1 })).toThrow(/: value: /);
    expect(() => parseItem(observationEntity, { ...item, metric: 'x.likes' })).toThrow(/: metric: /);

    const run = { source: 'x', slot: '2026-11-20T10:00:00.000Z', outcome: 'ok', observations: 3, durationMs: 80, startedAt: '2026-11-20T10:00:01.000Z', region: 'eu' };
    expect(parseItem(collectionRunEntity, { pk: 'RUN#x', sk: run.slot, type: 'run', ...run })).toEqual(run);
    expect(() => parseItem(collectionRunEntity, { pk: 'RUN#x', sk: run.slot, type: 'run', ...run, outcome: 'fine' })).toThrow(/: outcome: /);
  });

  it('no entity\'s schema declares a table attribute as a domain field', () => {
    const all = [...Object.values(entities), ...Object.values(experimentEntities)].filter((v): v is Entity<unknown> => typeof v === 'object' && v !== null && 'schema' in v && 'type' in v);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const entity of all) {
      const shape = (entity.schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      expect([entity.type, Object.keys(shape).filter((k) => TABLE_ATTRIBUTE_NAMES.has(k))]).toEqual([entity.type, []]);
    }
  });
});
