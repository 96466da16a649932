/**
 * Jobs run by host systemd timers that call `docker compose run`: compose has no scheduler, and a
 * timer gives what the stack asks for (a missed run caught up with `Persistent=`, a timeout, no
 * overlap) without one more long-running container. Pure.
 */
import type { Job, Stack } from "../../model/types.js";
import { sec, shellExec, unit } from "../common/systemd.js";
import type { GeneratedFile, TargetNote } from "../types.js";

/** Unit and timer of a job; `deployDir` is the output folder on the machine, where `docker compose` runs. */
export function jobTimerFiles(stack: Stack, job: Job, deployDir: string): { files: GeneratedFile[]; warnings: TargetNote[] } {
  const warnings: TargetNote[] = [];
  const base = `${stack.name}-${job.name}`;
  if (job.concurrency !== "forbid") {
    warnings.push({
      part: `jobs.${job.name}.concurrency`,
      message: `a systemd timer never overlaps runs, so concurrency "${job.concurrency}" cannot be honoured`,
      instead: "one run at a time",
    });
  }
  const service = unit({
    Unit: [`Description=${stack.name} job ${job.name} (docker compose run)`, "After=docker.service", "Wants=docker.service"],
    Service: [
      "Type=exec",
      `WorkingDirectory=${deployDir}`,
      `ExecStart=${shellExec(`exec docker compose run --rm --no-TTY ${job.name}`)}`,
      job.timeoutMs !== null ? `RuntimeMaxSec=${sec(job.timeoutMs)}` : null,
      job.retries > 0 ? "Restart=on-failure" : null,
      job.retries > 0 ? "RestartSec=30s" : null,
    ],
  });
  const files: GeneratedFile[] = [{ path: `systemd/${base}.service`, content: service }];
  if (job.schedule) {
    files.push({
      path: `systemd/${base}.timer`,
      content: unit({
        Unit: [`Description=${stack.name} job ${job.name}: ${job.schedule.source}`],
        Timer: [`OnCalendar=${job.schedule.calendar}`, `Persistent=${job.persistent ? "true" : "false"}`, `Unit=${base}.service`],
        Install: ["WantedBy=timers.target"],
      }),
    });
  }
  return { files, warnings };
}
