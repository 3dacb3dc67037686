/** A link's last values, as the links table keeps them. */
type TLinkValues = { lastValues: Record<string, unknown> | null };

/**
 * A link a delete left behind: its last values are `{"$deleted": true}` — the document is gone from that system, and
 * the link stays so a late echo of the delete is known and a restore can create it again.
 */
export const isTombstone = (link: TLinkValues | null | undefined): boolean => !!link?.lastValues && "$deleted" in link.lastValues;

/** A link to a document that is there (not a delete's tombstone). */
export const isLive = <L extends TLinkValues>(link: L | null | undefined): link is L => !!link && !isTombstone(link);
