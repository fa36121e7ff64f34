// Reads bench/_service-router.mjs's request trace for bench/live-scan.mjs: what each slice's GetResources paging is
// made of (the router's delay, the backend's time, the client's time between pages), to tell where a variant's extra
// wall time goes. Backends are named as live-scan.mjs names them: A serves GetResources; calls to any other count as B's.

/**
 * From the router's trace of one run (started at t0, ended at t1): each slice's GetResources paging, averaged over
 * the slices — when its first page was sent, the delay, backend time and the client's time between pages (answer
 * received → next page sent) that make up its span, the time from its end to the end of the run, and when the
 * slice's calls to backend B (SageMaker lists, Config) ended, relative to its last page.
 */
export function chainsOf(trace, t0, t1) {
  const bySlice = new Map();
  for (const e of trace) {
    const k = `${e.account}/${e.region}`;
    if (!bySlice.has(k)) bySlice.set(k, { pages: [], other: [] });
    if (e.op === 'GetResources') bySlice.get(k).pages.push(e);
    else if (e.backend !== 'A') bySlice.get(k).other.push(e);
  }
  const bucketCalls = trace.filter((e) => e.op === 'ListBuckets' || e.op === 'GetBucketLocation');
  const chains = [...bySlice.values()]
    .filter((s) => s.pages.length)
    .map(({ pages, other }) => {
      pages.sort((x, y) => x.arrived - y.arrived);
      const first = pages[0];
      const lastPage = pages[pages.length - 1];
      let gaps = 0;
      let maxGap = 0;
      let gapAt = [0, 0];
      for (let i = 1; i < pages.length; i++) {
        const g = Math.max(0, pages[i].arrived - pages[i - 1].answered);
        gaps += g;
        if (g > maxGap) [maxGap, gapAt] = [g, [pages[i - 1].answered, pages[i].arrived]];
      }
      // Did the slice's account have an S3 bucket call in flight during that gap?
      const bucketCallInGap = bucketCalls.some((e) => e.account === first.account && e.arrived < gapAt[1] && e.answered > gapAt[0]);
      return {
        start: first.arrived - t0,
        pages: pages.length,
        delay: pages.reduce((a, p) => a + p.forwarded - p.arrived, 0),
        server: pages.reduce((a, p) => a + p.answered - p.forwarded, 0),
        gaps,
        maxGap,
        span: lastPage.answered - first.arrived,
        tail: t1 - lastPage.answered,
        bucketCallInGap: bucketCallInGap ? 1 : 0,
        ...(other.length ? { otherEnd: Math.max(...other.map((e) => e.answered)) - lastPage.answered } : {}),
      };
    });
  const mean = (key) => (chains.some((c) => c[key] !== undefined) ? chains.reduce((a, c) => a + (c[key] ?? 0), 0) / chains.length : undefined);
  return {
    ...Object.fromEntries(['start', 'pages', 'delay', 'server', 'gaps', 'maxGap', 'span', 'tail', 'otherEnd'].map((k) => [k, mean(k)])),
    slices: chains.length,
    bucketCallInGap: chains.reduce((a, c) => a + c.bucketCallInGap, 0),
  };
}
