/** A bounded list: pushing past its capacity forgets the oldest entry. The console's memory bound. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** How many entries were ever pushed (an entry's sequence number is its index in that count). */
  total = 0;

  constructor(readonly capacity: number) {
    this.items = new Array(capacity);
  }

  /** Adds an entry; returns the one it pushed out, if any. */
  push(item: T): T | undefined {
    const at = (this.start + this.count) % this.capacity;
    const out = this.count < this.capacity ? undefined : this.items[at];
    this.items[at] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.total++;
    return out;
  }

  get size(): number {
    return this.count;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }
}
