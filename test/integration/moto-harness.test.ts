import { describe, it, expect } from 'vitest';
import { startMoto } from '../support/moto.js';

describe('moto harness', () => {
  it('starts a server on a free port, answers, and stops exactly that process', async () => {
    const moto = await startMoto('harness');
    const res = await fetch(`${moto.endpoint}/moto-api/`);
    expect(res.ok).toBe(true);
    await moto.stop();
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
  });
});
