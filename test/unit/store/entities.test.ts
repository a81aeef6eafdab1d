/**
 * The table's model (functions/store/entities.ts): items are written with the table's attributes over
 * the domain fields, a domain value carrying one is refused, and every read is checked and stripped.
 */
import * as entities from '../../../functions/store/entities';
import { currentVerdictEntity, experimentEntity, itemOf, parseItem, StoredItemError, TABLE_ATTRIBUTE_NAMES, type Entity } from '../../../functions/store/entities';
import { keys } from '../../../functions/store/keys';
import { TABLE_KEYS } from '../../../functions/store/table-definition';
import { anExperiment } from '../../support/factories';

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

  it('parses every read: fields it does not name are kept, a broken item is reported with its key', () => {
    const stored = { pk: 'EXP#exp_1', sk: 'VERDICT', type: 'verdict', gsi2pk: 'VERDICTS', gsi2sk: 'x', experimentId: 'exp_1', scoredAt: '2026-11-20T00:00:00.000Z', outcome: 'improved' };
    expect(parseItem(currentVerdictEntity, stored)).toEqual({ experimentId: 'exp_1', scoredAt: '2026-11-20T00:00:00.000Z', outcome: 'improved' });

    const broken = { pk: 'EXP#exp_2', sk: 'EXPERIMENT', type: 'experiment', status: 'sleeping', createdAt: '2026-11-20T00:00:00.000Z' };
    expect(() => parseItem(experimentEntity, broken)).toThrow(StoredItemError);
    expect(() => parseItem(experimentEntity, broken)).toThrow(/Stored experiment item EXP#exp_2 \/ EXPERIMENT does not match its model: id: .*; status: /);
  });

  it('no entity\'s schema declares a table attribute as a domain field', () => {
    const all = Object.values(entities).filter((v): v is Entity<unknown> => typeof v === 'object' && v !== null && 'schema' in v && 'type' in v);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const entity of all) {
      const shape = (entity.schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      expect([entity.type, Object.keys(shape).filter((k) => TABLE_ATTRIBUTE_NAMES.has(k))]).toEqual([entity.type, []]);
    }
  });
});
