/** mulberry32: the same sequence of numbers in [0, 1) on every machine for a given seed. */
export function prng(seed: number): () => number;
