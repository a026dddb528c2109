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

const SHANGHAI_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DD HH:MM:SS` in Asia/Shanghai, for forms people read. */
export function shanghaiDateTime(instant: Date): string {
  return `${shanghaiDate(instant)} ${SHANGHAI_TIME.format(instant)}`;
}
