/**
 * The `vm` target: systemd units and timers, nginx, ufw, local data stores and an idempotent
 * install script for one Linux machine, rendered from the vm plan. Pure: model in, files out.
 */
import type { Stack } from "../../model/types.js";
import type { GeneratedFile, GenerateOptions, TargetGenerator, TargetOutput } from "../types.js";
import { installScript } from "./install.js";
import { planVm, type VmPlan } from "./plan.js";
import { vmReadme } from "./readme.js";
import { awsCommand } from "./resource-notes.js";
import { firewallScript, updateScript } from "./scripts.js";

function secretsTemplate(plan: VmPlan): string {
  const { layout } = plan;
  const lines = [
    `# Secrets of ${layout.stack.name} (${layout.stack.environment.name}). Installed once as ${layout.secretsFile} (mode 600): fill it there.`,
    "# One NAME='value' per line; the file is read by the shell.",
    "",
  ];
  for (const key of plan.keys)
    lines.push(`# ${key.description}${key.kind === "generated" ? "" : key.optional ? " (optional)" : " (required)"}`, `${key.name}=`, "");
  return lines.join("\n");
}

/** The files of a plan: one rendering of it. */
export function renderVm(plan: VmPlan, options: GenerateOptions): TargetOutput {
  const { stack, layout } = plan;
  const files: GeneratedFile[] = [...plan.units, ...plan.storeConfigs];
  if (plan.nginx !== null) files.push({ path: `nginx/${stack.name}.conf`, content: plan.nginx });
  files.push({ path: "firewall.sh", content: firewallScript(stack, plan.firewall), mode: 0o755 });
  if (plan.logrotate) files.push({ path: `logrotate/${stack.name}`, content: plan.logrotate });
  files.push({ path: `env/${stack.name}.env.example`, content: secretsTemplate(plan) });
  if (plan.cloudwatch) files.push(...plan.cloudwatch.files);
  const start = [...plan.replicas.map((r) => r.unit), ...plan.timers];
  files.push({
    path: "install.sh",
    mode: 0o755,
    content: installScript({
      layout,
      keys: plan.keys,
      envFiles: plan.envFiles,
      postgres: plan.postgres,
      redis: plan.redis,
      start,
      slots: plan.replicas.map((r) => r.slot),
      nginx: plan.nginx !== null,
      tls: plan.tls,
      firewall: true,
      logrotate: plan.logrotate !== null,
      cloudwatch: plan.cloudwatch,
    }),
  });
  files.push({ path: "update.sh", content: updateScript(layout), mode: 0o755 });
  files.sort((a, b) => a.path.localeCompare(b.path));
  files.unshift({ path: "README.md", content: vmReadme(plan, files, options.outDir) });
  return { files, warnings: plan.warnings, errors: plan.errors, next: () => nextSteps(plan) };
}

/** After a vm build: `cairn deploy` to the hosts, or where the machine comes from when the file names none. */
function nextSteps(plan: VmPlan): string[] {
  const env = plan.stack.environment;
  const hosts = env.hosts.map((h) => h.source).join(", ");
  if (hosts) return [`\`cairn deploy --env ${env.name}\` puts this on ${hosts} (it builds these files itself).`];
  return [
    `no hosts: yet. \`${awsCommand(plan.stack)}\` builds the CDK app that creates the machine (EC2, security`,
    `group, role, managed data); name its Elastic IP in hosts: of ${env.name}, then \`cairn deploy --env ${env.name}\`.`,
  ];
}

/** Generates every file of the vm target. */
export function generateVm(stack: Stack, options: GenerateOptions): TargetOutput {
  return renderVm(planVm(stack), options);
}

export const vmTarget: TargetGenerator = {
  name: "vm",
  description: "one Linux machine: systemd units and timers, nginx, ufw, local PostgreSQL/Redis, install script",
  generate: generateVm,
};
