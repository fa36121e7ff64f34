import { partitionBackend } from '../../../src/fix/aws-backend.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { fakeClient, type Sent } from './fake-send-client.js';

/** IAM's limit on the tags of one user or role (and on the tags or keys of one call). */
export const IAM_MAX_TAGS = 50;

/**
 * IAM users and roles as AWS keeps their tags: keys compared without case, at most 50 tags per principal. `fail`
 * answers a request with an error instead; `after` runs once a request succeeded (someone else's change between two
 * calls of the fixer).
 */
export class FakeIam {
  readonly principals = new Map<string, Map<string, { key: string; value: string }>>();
  readonly client: ReturnType<typeof fakeClient>;
  fail?: (s: Sent) => Error | undefined;
  after?: (s: Sent) => void;
  /** Tags per ListUserTags / ListRoleTags page (the marker is the index of the next tag); default: all in one page. */
  pageSize?: number;

  /**
   * Which spelling a TagUser onto a differently cased key leaves is not documented precisely: `stored` keeps the one
   * IAM had, `new` takes the one written. The fixer must be right under both.
   */
  constructor(private readonly spelling: 'stored' | 'new' = 'stored') {
    this.client = fakeClient((s) => {
      const out = this.answer(s);
      if (!(out instanceof Error)) this.after?.(s);
      return out;
    });
  }

  add(kind: 'user' | 'role', name: string, tags: Record<string, string>): void {
    this.principals.set(`${kind}/${name}`, new Map(Object.entries(tags).map(([key, value]) => [key.toLowerCase(), { key, value }])));
  }

  set(kind: 'user' | 'role', name: string, key: string, value: string): void {
    this.principals.get(`${kind}/${name}`)!.set(key.toLowerCase(), { key, value });
  }

  tags(kind: 'user' | 'role', name: string): Record<string, string> | undefined {
    const p = this.principals.get(`${kind}/${name}`);
    return p && Object.fromEntries([...p.values()].map((t) => [t.key, t.value]));
  }

  writes(): Sent[] {
    return this.client.sent.filter((s) => !s.name.startsWith('List'));
  }

  /** `retryPauseMs`: the pause before a throttled read's extra round (the backend's default is 1 s). */
  backend(options: { readonly retryPauseMs?: number } = {}): TagBackend {
    const other = fakeClient(() => new Error('only IAM here'));
    return async () => partitionBackend({ tagging: async () => other, sagemaker: async () => other, autoscaling: async () => other, iam: async () => this.client }, options);
  }

  private answer(s: Sent): unknown {
    const failure = this.fail?.(s);
    if (failure) return failure;
    const kind = s.name.includes('User') ? 'user' : 'role';
    const name = (s.input.UserName ?? s.input.RoleName) as string;
    const p = this.principals.get(`${kind}/${name}`);
    if (!p) return Object.assign(new Error(`The ${kind} with name ${name} cannot be found.`), { name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
    if (s.name.startsWith('List')) {
      const all = [...p.values()].map((t) => ({ Key: t.key, Value: t.value }));
      const from = Number(s.input.Marker ?? 0);
      const to = from + (this.pageSize ?? all.length);
      return { Tags: all.slice(from, to), IsTruncated: to < all.length, ...(to < all.length ? { Marker: String(to) } : {}) };
    }
    if (s.name.startsWith('Tag')) {
      const tags = s.input.Tags as { Key: string; Value: string }[];
      const next = new Map(p);
      for (const t of tags) {
        const stored = next.get(t.Key.toLowerCase())?.key;
        next.set(t.Key.toLowerCase(), { key: stored !== undefined && this.spelling === 'stored' ? stored : t.Key, value: t.Value });
      }
      if (tags.length > IAM_MAX_TAGS || next.size > IAM_MAX_TAGS) return Object.assign(new Error('Cannot exceed quota for TagsPerUser: 50.'), { name: 'LimitExceeded' });
      p.clear();
      for (const [k, v] of next) p.set(k, v);
      return {};
    }
    for (const k of s.input.TagKeys as string[]) p.delete(k.toLowerCase());
    return {};
  }
}
