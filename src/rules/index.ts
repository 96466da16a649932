/** Every rule, in one place. File rules report errors; lint rules report warnings on resolved stacks. */
import { alarmsRule } from "./alarms.js";
import { commandsRule } from "./commands.js";
import { dependenciesRule } from "./dependencies.js";
import { hostsRule } from "./hosts.js";
import { publicDatastore, sshOpen } from "./lint/network.js";
import { jobNoTimeout, singleInstance, unusedSecret } from "./lint/operations.js";
import { outsideProject } from "./lint/outside-project.js";
import { secretInClear } from "./lint/secret-in-clear.js";
import { noHealth, prefixUnknown, websocketNoSticky } from "./lint/services.js";
import { maintenanceUnmanaged, withoutEffect } from "./lint/without-effect.js";
import { overridesRule } from "./overrides.js";
import { physicalNamesRule } from "./physical-names.js";
import { portsRule } from "./ports.js";
import { processesRule } from "./processes.js";
import { projectPathsRule } from "./project-paths.js";
import { referencesRule } from "./references.js";
import { routesRule } from "./routes.js";
import { schedulesRule } from "./schedules.js";
import type { FileRule, LintRule, StacksLintRule } from "./types.js";
import { variablesRule } from "./variables.js";

export const fileRules: readonly FileRule[] = [
  referencesRule,
  dependenciesRule,
  portsRule,
  physicalNamesRule,
  schedulesRule,
  routesRule,
  overridesRule,
  processesRule,
  alarmsRule,
  hostsRule,
  variablesRule,
  commandsRule,
  projectPathsRule,
];

export const lintRules: readonly LintRule[] = [
  publicDatastore,
  sshOpen,
  secretInClear,
  noHealth,
  singleInstance,
  jobNoTimeout,
  websocketNoSticky,
  prefixUnknown,
  unusedSecret,
  withoutEffect,
  outsideProject,
];

export const stacksLintRules: readonly StacksLintRule[] = [maintenanceUnmanaged];
