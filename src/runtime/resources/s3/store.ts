/**
 * One bucket on disk. Each object version is a blob file; each key has a small JSON record of its
 * versions. Every write lands in a temporary file first and is renamed into place, so a killed
 * process leaves either the old object or the new one, never half of one. Records are read into
 * memory when the bucket opens, for listing.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface Version {
  readonly versionId: string;
  readonly blob: string | null;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Other headers kept with the object: content-encoding, cache-control, content-disposition... */
  readonly headers: Readonly<Record<string, string>>;
  readonly deleteMarker: boolean;
  /** Sizes of the parts of a multipart upload, for GET with `partNumber`. */
  readonly parts?: readonly number[];
}

/** S3's versioning states: never enabled (null), Enabled, Suspended. */
export type Versioning = "Enabled" | "Suspended" | null;

interface Settings {
  versioning: Versioning;
  readonly created: string;
}

export interface KeyRecord {
  readonly key: string;
  /** Newest first. */
  readonly versions: Version[];
}

export type NewObject = Omit<Version, "versionId" | "blob" | "lastModified" | "deleteMarker">;

let counter = 0;
/** Ordered, unique ids: time, a counter and the pid (no randomness needed). */
export function newId(): string {
  counter = (counter + 1) % 1e6;
  return `${Date.now().toString(36)}${counter.toString(36).padStart(4, "0")}${process.pid.toString(36)}`;
}

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

export class BucketStore {
  private records = new Map<string, KeyRecord>();
  private sorted: string[] | null = null;
  private readonly queues = new Map<string, Promise<void>>();

  private constructor(
    readonly name: string,
    readonly dir: string,
    private readonly settings: Settings,
  ) {}

  /**
   * Opens (creating) the bucket folder; removes temporary files and blobs no record points to. `versioned`
   * is the initial versioning state (the stack file's `versioning`); PutBucketVersioning changes it after.
   */
  static async open(name: string, dir: string, versioned: boolean, now = new Date()): Promise<BucketStore> {
    for (const sub of ["keys", "blobs", "tmp", "uploads"]) await mkdir(join(dir, sub), { recursive: true });
    const settingsFile = join(dir, "settings.json");
    let settings = await readFile(settingsFile, "utf8")
      .then((text) => JSON.parse(text) as Settings)
      .catch(() => null);
    if (!settings) {
      settings = { versioning: versioned ? "Enabled" : null, created: now.toISOString() };
      await writeFile(settingsFile, JSON.stringify(settings));
    }
    const store = new BucketStore(name, dir, settings);
    await rm(join(dir, "tmp"), { recursive: true, force: true });
    await mkdir(join(dir, "tmp"));
    const used = new Set<string>();
    for (const file of await readdir(join(dir, "keys"))) {
      if (!file.endsWith(".json")) continue;
      const record = JSON.parse(await readFile(join(dir, "keys", file), "utf8")) as KeyRecord;
      store.records.set(record.key, record);
      for (const v of record.versions) if (v.blob) used.add(v.blob);
    }
    for (const blob of await readdir(join(dir, "blobs"))) if (!used.has(blob)) await unlink(join(dir, "blobs", blob)).catch(() => {});
    // Completed uploads are kept only for retries of CompleteMultipartUpload within one run.
    for (const id of await readdir(join(dir, "uploads"))) {
      const completed = await readFile(join(dir, "uploads", id, "completed.json")).catch(() => null);
      if (completed) await rm(join(dir, "uploads", id), { recursive: true, force: true });
    }
    return store;
  }

  get versioning(): Versioning {
    return this.settings.versioning;
  }

  get created(): string {
    return this.settings.created;
  }

  /** PutBucketVersioning: Enabled or Suspended (a bucket never goes back to unversioned). */
  setVersioning(state: "Enabled" | "Suspended"): Promise<void> {
    return this.serial(async () => {
      const next = { ...this.settings, versioning: state };
      const temp = join(this.dir, "tmp", `${newId()}.json`);
      await writeFile(temp, JSON.stringify(next));
      await rename(temp, join(this.dir, "settings.json"));
      this.settings.versioning = state;
    });
  }

  /** A fresh temporary file path for an incoming body. */
  tempPath(): string {
    return join(this.dir, "tmp", newId());
  }

  blobPath(version: Version): string {
    return join(this.dir, "blobs", version.blob ?? "");
  }

  /** Keys whose newest version is an object (not a delete marker), sorted. */
  keys(): string[] {
    this.sorted ??= [...this.records.values()]
      .filter((r) => r.versions[0] && !r.versions[0].deleteMarker)
      .map((r) => r.key)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.sorted;
  }

  /** Every record, sorted by key, for listing versions. */
  allRecords(): KeyRecord[] {
    return [...this.records.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The newest version (null when missing; a delete marker when that is the newest), or the one asked for. */
  latest(key: string, versionId?: string | null): Version | null {
    const record = this.records.get(key);
    if (!record) return null;
    if (versionId) return record.versions.find((v) => v.versionId === versionId) ?? null;
    return record.versions[0] ?? null;
  }

  /** The newest version, or the one asked for; null when missing or deleted. */
  get(key: string, versionId?: string | null): Version | null {
    const version = this.latest(key, versionId);
    return version && (versionId || !version.deleteMarker) ? version : null;
  }

  isEmpty(): boolean {
    return this.records.size === 0;
  }

  /** Moves a written temporary file in as the new version of `key`. */
  commit(key: string, tempFile: string, object: NewObject): Promise<Version> {
    return this.serial(async () => {
      const id = newId();
      const version: Version = {
        ...object,
        versionId: this.versioning === "Enabled" ? id : "null",
        blob: id,
        lastModified: new Date().toISOString(),
        deleteMarker: false,
      };
      await rename(tempFile, join(this.dir, "blobs", id));
      await this.write(key, version);
      return version;
    }, key);
  }

  /** Deletes the key (a delete marker when versioned) or one version. */
  delete(key: string, versionId?: string | null): Promise<{ versionId: string | null; deleteMarker: boolean }> {
    return this.serial(async () => {
      const record = this.records.get(key);
      if (versionId) {
        const gone = record?.versions.find((v) => v.versionId === versionId);
        if (!record || !gone) return { versionId, deleteMarker: false };
        await this.save({ key, versions: record.versions.filter((v) => v !== gone) });
        if (gone.blob) await unlink(join(this.dir, "blobs", gone.blob)).catch(() => {});
        return { versionId, deleteMarker: gone.deleteMarker };
      }
      if (this.versioning) {
        const marker: Version = {
          versionId: this.versioning === "Enabled" ? newId() : "null",
          blob: null,
          size: 0,
          etag: "",
          lastModified: new Date().toISOString(),
          contentType: "",
          metadata: {},
          headers: {},
          deleteMarker: true,
        };
        await this.write(key, marker);
        return { versionId: marker.versionId, deleteMarker: true };
      }
      if (record) {
        await this.save({ key, versions: [] });
        for (const v of record.versions) if (v.blob) await unlink(join(this.dir, "blobs", v.blob)).catch(() => {});
      }
      return { versionId: null, deleteMarker: false };
    }, key);
  }

  /** Adds `version` as the newest; a "null" version replaces the previous "null" one, as S3 does. */
  private async write(key: string, version: Version): Promise<void> {
    const previous = this.records.get(key)?.versions ?? [];
    const replaced = this.versioning ? previous.filter((v) => v.versionId === "null" && version.versionId === "null") : previous;
    const versions = [version, ...previous.filter((v) => !replaced.includes(v))];
    await this.save({ key, versions });
    for (const v of replaced) if (v.blob) await unlink(join(this.dir, "blobs", v.blob)).catch(() => {});
  }

  private async save(record: KeyRecord): Promise<void> {
    const file = join(this.dir, "keys", `${hashKey(record.key)}.json`);
    if (record.versions.length === 0) {
      await unlink(file).catch(() => {});
      this.records.delete(record.key);
    } else {
      const temp = join(this.dir, "tmp", `${newId()}.json`);
      await writeFile(temp, JSON.stringify(record));
      await rename(temp, file);
      this.records.set(record.key, record);
    }
    this.sorted = null;
  }

  /** Runs `work` after every write to the same key (or setting) queued before it; other keys go in parallel. */
  serial<T>(work: () => Promise<T>, key = "\u0000settings"): Promise<T> {
    const next = (this.queues.get(key) ?? Promise.resolve()).then(work, work);
    const tail = next.then(
      () => {},
      () => {},
    );
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }
}
