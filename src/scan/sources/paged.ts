import { withRetryRounds } from '../retry.js';

/** One page of a List/Describe call: its items and the token of the next page (absent or '' on the last). */
export interface Page<T> {
  readonly items: readonly T[] | undefined;
  readonly next: string | undefined;
}

/** Pages through a List/Describe call; each page gets one more round after the SDK's own retries. */
export async function* paged<T>(ctx: { readonly retryPauseMs: number }, fetch: (token: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await withRetryRounds(() => fetch(token), { rounds: 1, pauseMs: ctx.retryPauseMs });
    yield* page.items ?? [];
    token = page.next || undefined;
  } while (token);
}
