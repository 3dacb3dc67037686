// A log of the API requests a system received, exactly as they arrived (for tests that
// must prove what was, or was never, sent to a system).

export interface RecordedRequest {
  at: string;
  method: string;
  /** path without the query, e.g. "/maintenance/api/users" */
  path: string;
  /** "" or "?…" */
  query: string;
  /** the raw body text ("" when none) */
  body: string;
}

export interface RequestLogSnapshot {
  /** every request since the last reset, even those no longer kept */
  total: number;
  /** the most recent ones, oldest first (at most `max`) */
  requests: RecordedRequest[];
}

export class RequestLog {
  private items: RecordedRequest[] = [];
  private total = 0;

  constructor(private readonly max = 50_000) {}

  add(r: Omit<RecordedRequest, "at">): void {
    this.total++;
    this.items.push({ at: new Date().toISOString(), ...r });
    if (this.items.length >= this.max * 2) this.items = this.items.slice(-this.max);
  }

  snapshot(): RequestLogSnapshot {
    return { total: this.total, requests: this.items.slice(-this.max) };
  }

  clear(): void {
    this.items = [];
    this.total = 0;
  }
}
