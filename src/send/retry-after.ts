// Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, in any of the three date forms a recipient must accept.

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
const IMF_FIXDATE = new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} (?:\\d{2}| \\d) ${TIME} \\d{4}$`);
const DELTA_SECONDS = /^\d+$/;

export type RetryAfter = { kind: 'seconds'; seconds: number } | { kind: 'date'; at: number };

/** The Retry-After value, or undefined when it is neither delta-seconds nor an HTTP-date. */
export function parseRetryAfter(value: string): RetryAfter | undefined {
  const text = value.trim();
  if (DELTA_SECONDS.test(text)) return { kind: 'seconds', seconds: Number(text) };
  let at = Number.NaN;
  if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) at = Date.parse(text);
  // asctime carries no zone; HTTP dates are always UTC
  else if (ASCTIME_DATE.test(text)) at = Date.parse(`${text} GMT`);
  return Number.isFinite(at) ? { kind: 'date', at } : undefined;
}

/** How long Retry-After asks to wait from `now`, in ms; a date in the past means now. */
export function retryAfterMs(retryAfter: RetryAfter, now: number = Date.now()): number {
  return retryAfter.kind === 'seconds' ? retryAfter.seconds * 1000 : Math.max(0, retryAfter.at - now);
}
