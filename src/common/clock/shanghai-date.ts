const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (`YYYY-MM-DD`) of an instant in Asia/Shanghai, where our users live. */
export function shanghaiDate(instant: Date): string {
  return SHANGHAI_DATE.format(instant);
}
