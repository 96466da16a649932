/**
 * Schema of what `cairn deploy` needs: the machines of a `vm` environment (`hosts:`), how to reach
 * them (`ssh:`), and how releases are made and kept (`deploy:`, on the stack or an environment).
 */
import { z } from "zod";
import { command, duration, port } from "./fields.js";

export const hostEntry = z
  .union([
    z.string().meta({ description: "`user@host[:port]`: the machine runs every service, and the jobs when it is the first host." }),
    z.strictObject({
      address: z.string().meta({ description: "`user@host[:port]`." }),
      services: z.array(z.string()).optional().meta({ description: "Services this machine runs (default: every one)." }),
      jobs: z.array(z.string()).optional().meta({ description: "Jobs this machine runs (default: on the first host only)." }),
    }),
  ])
  .meta({ description: "A machine: `user@host[:port]`, or {address, services, jobs}." });

export const hosts = z.array(hostEntry).min(1).meta({ description: "Machines of a vm environment, for `cairn deploy` (one or more)." });

export const ssh = z
  .strictObject({
    key: z.string().optional().meta({ description: "Private key file, relative to the stack file (default: ssh's own keys and agent)." }),
    port: port.optional().meta({ description: "SSH port of every host that gives none (default 22)." }),
    known_hosts: z
      .enum(["strict", "accept-new"])
      .optional()
      .meta({ description: "strict (default): the host key must be known already; accept-new: a first key is recorded, a changed one is refused." }),
    jump: z.string().optional().meta({ description: "A jump host, `user@host[:port]`, to reach the hosts through." }),
  })
  .meta({ description: "How `cairn deploy` reaches the hosts." });

export const beforeCommand = z.union([
  command,
  z.strictObject({
    run: command,
    as: z.string().optional().meta({ description: "Service or job whose variables the command gets (default: the first service)." }),
  }),
]);

export const deploy = z
  .strictObject({
    keep: z.number().int().min(1).max(100).optional().meta({ description: "Releases kept on each host for rollbacks (default 5)." }),
    before: z
      .array(beforeCommand)
      .optional()
      .meta({ description: "Commands run once per deploy, on the first host, in the new release before traffic moves (migrations)." }),
    health_timeout: duration.optional().meta({ description: "How long a new replica has to pass its health check (default 60s)." }),
  })
  .meta({ description: "Releases: how many are kept, commands before the switch, the health timeout." });
