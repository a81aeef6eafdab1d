/**
 * Post-variant designs: two to four arms (e.g. `raw` vs `polished`) for per-post metrics. The arm of
 * each next post is drawn at random in balanced blocks (`verdict next-post`), and a post is linked to
 * its arm by a marker in its text (`#v-raw` by default; the collector records the markers it sees) or
 * afterwards by `verdict tag POST_ID ARM`. Posts in the window without an arm are left out and counted.
 *
 * Pure: the draw sequence is a function of the stored seed and the number of draws so far.
 */
import * as z from './zod-mini';
import { SeededRandom } from './seeded-random';

const ARM_NAME = /^[a-z0-9][a-z0-9_-]{0,23}$/;

/** The metrics a post-variant experiment can compare: one value per post. */
export const POST_VARIANT_METRICS = ['x.engagement_rate', 'x.replies_per_post', 'x.follows_per_post'] as const;

export const PostVariantOptionsSchema = z
  .strictObject({
    arms: z.described(z.array(z.string().check(z.regex(ARM_NAME, 'arm names: lowercase letters, digits, - and _, up to 24 characters'))).check(z.minLength(2), z.maxLength(4)), 'Arm names; the first is the reference the others are compared with'),
    markerPrefix: z.described(z._default(z.string().check(z.regex(/^[#$!]?[a-z0-9_-]{0,12}$/i, 'a short prefix such as #v-')), '#v-'), 'A post whose text contains prefix+arm (e.g. #v-raw) is assigned to that arm'),
    seed: z.described(z.optional(z.number().check(z.int(), z.gte(1), z.lte(2_147_483_647))), 'Seed of the arm draws (default: drawn at creation and stored)'),
  }).check(z.refine((o) => new Set(o.arms).size === o.arms.length, { message: 'arm names must differ', path: ['arms'] }));
export type PostVariantOptions = z.output<typeof PostVariantOptionsSchema>;

/** Stored with a post-variant experiment. */
export interface PostVariantsDesign {
  arms: string[];
  markerPrefix: string;
  seed: number;
  /** Arms drawn so far by next-post. */
  draws: number;
  /** Posts tagged by hand: post id → arm (wins over a marker). */
  taggedPosts?: Record<string, string>;
}

export function newPostVariantsDesign(options: PostVariantOptions & { seed: number }): PostVariantsDesign {
  return { arms: [...options.arms], markerPrefix: options.markerPrefix, seed: options.seed, draws: 0 };
}

/**
 * The arm of draw number `index` (0-based): arms are drawn in shuffled blocks holding each arm twice,
 * so after every block the arms are exactly balanced and the next arm is never predictable.
 */
export function armOfDraw(design: Pick<PostVariantsDesign, 'arms' | 'seed'>, index: number): string {
  const rng = new SeededRandom(design.seed);
  const blockSize = design.arms.length * 2;
  const block = Math.floor(index / blockSize);
  let order: string[] = [];
  for (let b = 0; b <= block; b++) order = rng.shuffle([...design.arms, ...design.arms]);
  return order[index - block * blockSize];
}

/** The markers of the form prefix+word found in a post's text, lowercased (what the collector stores). */
export function markersIn(text: string, prefix: string): string[] {
  if (!prefix) return [];
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new Set<string>();
  for (const m of text.matchAll(new RegExp(`(?:^|[^\\w#$!])${escaped}([a-z0-9_-]{1,24})`, 'gi'))) found.add(`${prefix}${m[1]}`.toLowerCase());
  return [...found];
}

/**
 * A post's arm: a hand tag first, else the single arm whose marker the post carries; undefined when
 * it carries none or markers of two arms (ambiguous, left out).
 */
export function armOfPost(design: PostVariantsDesign, post: { id: string; markers?: readonly string[] }): string | undefined {
  const tagged = design.taggedPosts?.[post.id];
  if (tagged) return tagged;
  const markers = new Set((post.markers ?? []).map((m) => m.toLowerCase()));
  const hits = design.arms.filter((a) => markers.has(`${design.markerPrefix}${a}`.toLowerCase()));
  return hits.length === 1 ? hits[0] : undefined;
}
