/**
 * Shared and exclusive turns over one endpoint's tables. Single-item requests take a shared turn (many at
 * once); a transaction takes the exclusive turn, so no write lands between its condition checks and its
 * writes, and no GetItem sees half of it (DynamoDB's serializable isolation for these).
 */
export class Gate {
  private running = 0;
  private holder: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  /** Runs `work` beside other shared work, after any exclusive turn under way. */
  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.holder) await this.holder;
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      if (this.running === 0) this.drained?.();
    }
  }

  /** Runs `work` alone: new shared work waits, work under way finishes first. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.holder) await this.holder;
    let release = () => {};
    this.holder = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      if (this.running > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = null;
      return await work();
    } finally {
      this.holder = null;
      release();
    }
  }
}
