/**
 * The deployment steps of an environment: the real commands for its target. A vm environment is
 * put on its hosts by `cairn deploy`; the others are built and handed to their own engine.
 */
import type { Stack } from "../../model/types.js";
import { planEc2 } from "../../targets/aws/ec2-plan.js";
import { machineCommands } from "../../targets/aws/ec2-readme.js";
import { stackNameOf } from "../../targets/aws/plan.js";
import { edgeUrl } from "../../targets/common/edge.js";
import { composeLayout } from "../../targets/compose/layout.js";
import { namespaceOf, secretName } from "../../targets/k8s/names.js";
import { planVm } from "../../targets/vm/plan.js";
import { code } from "../document.js";
import type { Words } from "../i18n/words.js";

export interface Step {
  readonly text: string;
  readonly commands: string | null;
}

/** How the user named the stack on the command line, for commands they copy (`examples/cityflow`). */
export interface StackPath {
  readonly path: string;
}

function outDir(stack: Stack): string {
  return `out/${stack.environment.name}-${stack.environment.target}`;
}

function build(stack: Stack, w: Words, where: StackPath): Step {
  const env = stack.environment;
  const path = where.path === "." ? "" : ` ${where.path}`;
  return { text: w.t("deploy.build", { out: code(outDir(stack)) }), commands: `cairn build${path} --target ${env.target} --env ${env.name}` };
}

/**
 * A vm environment: its machine from the aws target's EC2 app (when the file names no host yet),
 * then `cairn deploy`, with the facts of the deploy's own plan (packages, firewall, releases folder,
 * secrets to give).
 */
function vmSteps(stack: Stack, w: Words, where: StackPath): Step[] {
  const env = stack.environment;
  const path = where.path === "." ? "" : ` ${where.path}`;
  const plan = planVm(stack);
  const steps: Step[] = [];
  if (!env.hosts.length) {
    const machine = planEc2(stack).plan;
    const out = `out/${env.name}-aws`;
    steps.push(
      {
        text: w.t("deploy.vm.machine", { instance: code(machine.instance.type), disk: w.bytes(env.diskBytes), region: code(env.region) }),
        commands: [`cairn build${path} --target aws --env ${env.name}`, ...machineCommands(machine, out)].join("\n"),
      },
      { text: w.t("deploy.vm.hosts", { env: code(env.name), host: code(`${machine.image.user}@<Elastic IP>`) }), commands: null },
    );
  }
  const keys = [...new Set(plan.keys.filter((k) => k.kind !== "generated").map((k) => k.name))];
  if (keys.length) steps.push({ text: w.t("deploy.vm.secrets", { keys: keys.map(code).join(", "), file: code(".env") }), commands: null });
  const ports = [...new Set(plan.firewall.map((r) => `${r.port}/${r.protocol}`))].join(", ");
  steps.push(
    {
      text: w.t("deploy.vm.deploy", { packages: plan.packages.map((p) => code(p.name)).join(", "), ports, dir: code(plan.layout.releasesDir) }),
      commands: `cairn deploy${path} --env ${env.name} --dry-run\ncairn deploy${path} --env ${env.name}`,
    },
    ...(env.domain ? [{ text: w.t("deploy.dns", { domain: code(env.domain) }), commands: null }] : []),
    {
      text: w.t("deploy.vm.update"),
      commands: `cairn deploy${path} --env ${env.name}\ncairn releases${path} --env ${env.name}\ncairn rollback${where.path === "." ? "" : ` -s ${where.path}`} --env ${env.name} RELEASE`,
    },
  );
  return steps;
}

function awsSteps(stack: Stack, w: Words, where: StackPath): Step[] {
  const out = outDir(stack);
  const name = stackNameOf(stack);
  const region = stack.environment.region;
  return [
    build(stack, w, where),
    { text: w.t("deploy.aws.secrets"), commands: `aws secretsmanager create-secret --region ${region} --name ${name}/NAME --secret-string 'VALUE'` },
    { text: w.t("deploy.aws.images"), commands: null },
    { text: w.t("deploy.aws.cdk", { region: code(region) }), commands: `cd ${out}\nnpm install\nnpx cdk bootstrap\nnpx cdk deploy` },
    ...(stack.environment.domain ? [{ text: w.t("deploy.aws.dns", { domain: code(stack.environment.domain) }), commands: null }] : []),
    { text: w.t("deploy.aws.update"), commands: `cd ${out}\nnpx cdk diff\nnpx cdk deploy` },
  ];
}

function k8sSteps(stack: Stack, w: Words, where: StackPath): Step[] {
  const ns = namespaceOf(stack);
  const overlay = `${outDir(stack)}/overlays/${stack.environment.name}`;
  return [
    build(stack, w, where),
    { text: w.t("deploy.k8s.cluster"), commands: null },
    {
      text: w.t("deploy.k8s.secret", { secret: code(secretName(stack)) }),
      commands: `kubectl create namespace ${ns}\nkubectl -n ${ns} create secret generic ${secretName(stack)} --from-literal=NAME='VALUE'`,
    },
    { text: w.t("deploy.k8s.apply"), commands: `kubectl apply -k ${overlay}\nkubectl -n ${ns} get pods,svc,ingress,hpa,cronjobs` },
    ...(stack.environment.domain ? [{ text: w.t("deploy.dns", { domain: code(stack.environment.domain) }), commands: null }] : []),
  ];
}

function composeSteps(stack: Stack, w: Words, where: StackPath): Step[] {
  const out = outDir(stack);
  // Where the compose output sits on the machine: the compose file's own layout (its README says the same).
  const deployDir = composeLayout(stack, out).deployDir;
  return [
    build(stack, w, where),
    { text: w.t("deploy.compose.machine"), commands: null },
    {
      text: w.t("deploy.compose.copy"),
      commands: `rsync -a --exclude out ./ admin@HOST:/opt/${stack.name}/\nrsync -a ${out}/ admin@HOST:${deployDir}/`,
    },
    {
      text: w.t("deploy.compose.env", { file: code(".env") }),
      commands: `ssh admin@HOST 'cd ${deployDir} && cp .env.example .env && $EDITOR .env'`,
    },
    { text: w.t("deploy.compose.up"), commands: `ssh admin@HOST 'cd ${deployDir} && docker compose up -d --build && docker compose ps'` },
    ...(stack.environment.domain ? [{ text: w.t("deploy.dns", { domain: code(stack.environment.domain) }), commands: null }] : []),
  ];
}

/** The steps, in order, for the environment's target; the last one checks the result. */
export function deploymentSteps(stack: Stack, w: Words, where: StackPath): Step[] {
  const path = where.path === "." ? "" : ` ${where.path}`;
  const steps = (() => {
    switch (stack.environment.target) {
      case "vm":
        return vmSteps(stack, w, where);
      case "aws":
        return awsSteps(stack, w, where);
      case "k8s":
        return k8sSteps(stack, w, where);
      case "compose":
        return composeSteps(stack, w, where);
      case "local":
        return [{ text: w.t("deploy.local"), commands: `cairn up${path}\ncairn ps${path}` }];
    }
  })();
  if (stack.environment.target !== "local")
    steps.push({ text: w.t("deploy.check", { url: code(edgeUrl(stack)) }), commands: `cairn verify${path} --env ${stack.environment.name}` });
  return steps;
}
