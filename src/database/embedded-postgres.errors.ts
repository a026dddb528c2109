/** A failure to find, start or stop the embedded PostgreSQL, with what to do about it. */
export class EmbeddedPostgresError extends Error {}
