// Request / write counters of one system.

export interface WriteCounts {
  create: number;
  update: number;
  delete: number;
}

export interface StatsSnapshot {
  writes: WriteCounts;
  requests: number;
  maxRequestsPerSecond: number;
}

export class Stats {
  writes: WriteCounts = { create: 0, update: 0, delete: 0 };
  requests = 0;
  maxRequestsPerSecond = 0;
  private second = -1;
  private inSecond = 0;

  /** Counts one `/api/` request in the current wall-clock second bucket. */
  request(): void {
    this.requests++;
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.inSecond = 0;
    }
    this.inSecond++;
    if (this.inSecond > this.maxRequestsPerSecond) this.maxRequestsPerSecond = this.inSecond;
  }

  write(kind: keyof WriteCounts): void {
    this.writes[kind]++;
  }

  reset(): void {
    this.writes = { create: 0, update: 0, delete: 0 };
    this.requests = 0;
    this.maxRequestsPerSecond = 0;
    this.second = -1;
    this.inSecond = 0;
  }

  snapshot(): StatsSnapshot {
    return { writes: { ...this.writes }, requests: this.requests, maxRequestsPerSecond: this.maxRequestsPerSecond };
  }
}
