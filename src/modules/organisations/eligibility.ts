import { msg, type Message } from '../../common/i18n/message';

/**
 * Whether a service organisation may bid, be awarded or be paid on a date (api.md, "the provider
 * directory"): not blacklisted then and, where the policy requires it, listed in the directory
 * then. Pure: the directory service reads the entries, this decides. Dates are `YYYY-MM-DD`
 * (inclusive ranges), so they compare as text.
 */
export interface DirectoryEntries {
  listings: readonly { listedOn: string; listedUntil: string | null }[];
  blacklist: readonly { fromOn: string; untilOn: string; reason: string }[];
}

export type Eligibility = { eligible: true } | { eligible: false; reason: Message };

export function listedOn(entries: DirectoryEntries, on: string): boolean {
  return entries.listings.some(
    (listing) =>
      listing.listedOn <= on && (listing.listedUntil === null || on <= listing.listedUntil),
  );
}

export function blacklistedOn(
  entries: DirectoryEntries,
  on: string,
): DirectoryEntries['blacklist'][number] | undefined {
  return entries.blacklist.find((entry) => entry.fromOn <= on && on <= entry.untilOn);
}

export function eligibilityOn(
  entries: DirectoryEntries,
  on: string,
  requireListing: boolean,
): Eligibility {
  const barred = blacklistedOn(entries, on);
  if (barred) {
    return {
      eligible: false,
      reason: msg('eligibility.blacklisted', {
        from: barred.fromOn,
        until: barred.untilOn,
        reason: barred.reason,
      }),
    };
  }
  if (requireListing && !listedOn(entries, on)) {
    return {
      eligible: false,
      reason: msg('eligibility.notListed', { on }),
    };
  }
  return { eligible: true };
}

/** The last day of a default blacklisting: five years from its first day (api.md). */
export function fiveYearsFrom(fromOn: string): string {
  const [year, month, day] = fromOn.split('-').map(Number);
  const end = new Date(Date.UTC(year + 5, month - 1, day));
  // 29 February + 5 years is 1 March in Date's arithmetic; the bar ends the day before.
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}
