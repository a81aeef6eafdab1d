/** Post-variant verdicts: arms from markers and tags, clustered comparison, unassigned posts, posts needed to decide. */
import { CreateExperimentSchema, newExperiment, type Experiment } from '../../../functions/domain/experiment';
import type { Observation } from '../../../functions/domain/observation';
import { armOfDraw, markersIn } from '../../../functions/domain/post-variants';
import { morePostsToDecide } from '../../../functions/domain/scoring/score-post-variants';
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { aCreateRequest } from '../../support/factories';

const DAY = 86_400_000;

function anExperimentWithArms(): Experiment {
  const input = CreateExperimentSchema.parse(aCreateRequest({
    primaryMetric: 'x.engagement_rate', start: '2026-11-02', durationDays: 28, design: 'post_variants', postVariants: { arms: ['raw', 'polished'], seed: 3 },
  }));
  return { ...newExperiment(input, 'exp_pv', new Date('2026-11-01T00:00:00Z')), status: 'running' };
}

/** Post i on day i/2 with `engagements` of 1000 impressions and the given markers. */
function post(i: number, engagements: number, markers?: string[]): Observation {
  const published = Date.parse('2026-11-02T09:00:00Z') + Math.floor(i / 2) * DAY + (i % 2) * 6 * 3_600_000;
  return {
    metric: 'x.post', id: `p${i}`, publishedAt: new Date(published).toISOString(), impressions: 1000, likes: engagements, replies: 0, reposts: 0, quotes: 0,
    ...(markers && { markers }), at: new Date(published + 30 * 3_600_000).toISOString(), source: 'x',
  };
}

const NOW = { now: new Date('2026-12-03T00:00:00Z') };

describe('post-variant verdicts', () => {
  it('compares the arms its posts carry markers for, and counts posts without an arm', () => {
    const e = anExperimentWithArms();
    const obs = [
      ...Array.from({ length: 20 }, (_, i) => post(i, i % 2 === 0 ? 30 + (i % 4) : 45 + (i % 3), [i % 2 === 0 ? '#v-raw' : '#v-polished'])),
      post(40, 90), post(41, 10, ['#v-raw', '#v-polished']),
    ];

    const v = scoreExperiment(e, obs, NOW);

    expect(v).toMatchObject({ design: 'post_variants', decision: 'keep', reason: 'improved', postVariants: { reference: 'raw', compared: 'polished', postsPerArm: { raw: 10, polished: 10 }, unassignedPosts: 2 } });
    expect(v.effect.relative).toBeGreaterThan(0.3);
    expect(v.warnings.map((w) => w.code)).toContain('unassigned_posts');
    expect(v.summary).toContain('“polished” posts');
  });

  it('lets a hand tag place a post without a marker', () => {
    const e = anExperimentWithArms();
    const tagged: Experiment = { ...e, postVariants: { ...e.postVariants!, taggedPosts: { p0: 'polished', p1: 'raw', p2: 'polished' } } };
    const v = scoreExperiment(tagged, [post(0, 40), post(1, 30), post(2, 42), post(3, 31, ['#v-raw'])], NOW);

    expect(v.postVariants!.postsPerArm).toEqual({ raw: 2, polished: 2 });
    expect(v.postVariants!.unassignedPosts).toBe(0);
  });

  it('says how many more posts per arm would likely decide an undecided comparison', () => {
    const e = anExperimentWithArms();
    const noisy = [31, 33, 25, 30, 36, 38, 28, 29];
    const v = scoreExperiment(e, noisy.map((x, i) => post(i, x, [i % 2 === 0 ? '#v-raw' : '#v-polished'])), NOW);

    expect(v.reason).toBe('not_improved');
    expect(v.postVariants!.morePostsPerArmToDecide).toBeGreaterThan(0);
    expect(v.summary).toMatch(/about \d+ more per arm/);
  });

  it('never keeps with too few posts per arm', () => {
    const v = scoreExperiment(anExperimentWithArms(), [post(0, 30, ['#v-raw'])], NOW);
    expect(v).toMatchObject({ decision: 'discard', reason: 'insufficient_data' });
  });
});

describe('post-variant draws and markers', () => {
  it('draws each arm exactly twice in every block of four', () => {
    const design = { arms: ['raw', 'polished'], seed: 77 };
    for (let block = 0; block < 5; block++) {
      const arms = [0, 1, 2, 3].map((k) => armOfDraw(design, block * 4 + k));
      expect(arms.filter((a) => a === 'raw')).toHaveLength(2);
    }
  });

  it('finds markers at word starts only, case-insensitively', () => {
    expect(markersIn('Day 3 #V-Raw, and #v-raw again; x#v-polished no', '#v-')).toEqual(['#v-raw']);
  });

  it('sizes the posts needed from the z the effect reached', () => {
    // z = 1 now; (1.645 + 0.842)² ≈ 6.18 times the posts → 10 per arm needs ~52 more.
    expect(morePostsToDecide(10, 1, 1, 0.95)).toBe(52);
    expect(morePostsToDecide(10, -1, 1, 0.95)).toBeNull();
  });
});
