/** Kept for benches written before bench/support/: the helpers now live in support/stats.ts and support/http.ts. */
export * from './support/stats';
export { expectStatus } from './support/http';
