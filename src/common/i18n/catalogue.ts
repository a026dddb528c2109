import type { zh } from './messages.zh';

/** A catalogue: one function per key, from its parameters to the words (zh is the model). */
export type Catalogue = { readonly [K in keyof typeof zh]: (typeof zh)[K] };
