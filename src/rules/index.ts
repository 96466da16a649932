/** Every rule, in one place. File rules report errors; lint rules report warnings on resolved stacks. */
import { alarmsRule } from "./alarms.js";
import { dependenciesRule } from "./dependencies.js";
import { hostsRule } from "./hosts.js";
import { publicDatastore, sshOpen } from "./lint/network.js";
import { jobNoTimeout, singleInstance, unusedSecret } from "./lint/operations.js";
import { secretInClear } from "./lint/secret-in-clear.js";
import { noHealth, prefixUnknown, websocketNoSticky } from "./lint/services.js";
import { maintenanceUnmanaged, withoutEffect } from "./lint/without-effect.js";
import { overridesRule } from "./overrides.js";
import { physicalNamesRule } from "./physical-names.js";
import { portsRule } from "./ports.js";
import { processesRule } from "./processes.js";
import { referencesRule } from "./references.js";
import { routesRule } from "./routes.js";
import { schedulesRule } from "./schedules.js";
import type { FileRule, LintRule, StacksLintRule } from "./types.js";

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
];

export const stacksLintRules: readonly StacksLintRule[] = [maintenanceUnmanaged];
