/**
 * The operations runbook of an environment: for its target, the commands that show logs, restart,
 * scale, back up, restore and roll back, and those that diagnose the usual failures. Pure: names come
 * from the same functions the targets use to name units, services and namespaces.
 */
import { awsFacts } from "../../diagram/sources/aws.js";
import { vmFacts } from "../../diagram/sources/vm.js";
import type { Postgres, Stack } from "../../model/types.js";
import { stackNameOf } from "../../targets/aws/plan.js";
import { k8sName, namespaceOf } from "../../targets/k8s/names.js";
import { unitBase } from "../../targets/vm/layout.js";
import type { MessageKey } from "../i18n/catalog.js";

/** One task of the runbook: what it is for (a message key) and its commands. */
export interface Task {
  readonly what: MessageKey;
  readonly commands: string;
}

/** The first host of the environment as ssh names it, or a placeholder. */
const host = (stack: Stack) => {
  const h = stack.environment.hosts[0];
  return h ? `${h.user}@${h.host}` : "admin@HOST";
};

const first = (stack: Stack) => stack.services[0]?.name ?? stack.jobs[0]?.name ?? "NAME";

function vm(stack: Stack): Task[] {
  const facts = vmFacts(stack);
  const s = first(stack);
  const unit = facts.units.find((u) => u.process === s)?.units[0] ?? `${unitBase(stack, s)}.service`;
  const env = stack.environment.name;
  const tasks: Task[] = [
    { what: "runbook.logs", commands: `cairn logs ${s} --env ${env} --remote -f\ncairn logs ${s} --env ${env} --remote --since 1h` },
    { what: "runbook.restart", commands: `ssh ${host(stack)} sudo systemctl restart '${unit.replace(/@.*/, "@*")}'\ncairn ps --env ${env} --remote` },
    { what: "runbook.scale.vm", commands: `cairn deploy --env ${env}` },
    { what: "runbook.rollback.vm", commands: `cairn releases --env ${env}\ncairn rollback --env ${env} RELEASE` },
  ];
  const backups = facts.timers.filter((t) => /backup-.*\.timer$/.test(t));
  if (backups.length) tasks.push({ what: "runbook.backup.vm", commands: `systemctl list-timers '${stack.name}-backup-*'\nls -l ${facts.backupDir}/` });
  if (stack.resources.some((r) => r.type === "postgres" && r.placement !== "external" && r.placement !== "managed"))
    tasks.push({ what: "runbook.restore.postgres", commands: `sudo -u postgres pg_restore --clean -d DATABASE ${facts.backupDir}/NAME/FILE.dump` });
  return tasks;
}

function aws(stack: Stack): Task[] {
  const cluster = stackNameOf(stack);
  const s = first(stack);
  const { plan } = awsFacts(stack);
  const group = [...plan.services, ...plan.jobs].find((t) => t.name === s)?.logGroup ?? `/${cluster}/${s}`;
  const tasks: Task[] = [
    { what: "runbook.logs", commands: `aws logs tail ${group} --follow` },
    { what: "runbook.restart", commands: `aws ecs update-service --cluster ${cluster} --service ${s} --force-new-deployment` },
    { what: "runbook.scale.aws", commands: `aws ecs update-service --cluster ${cluster} --service ${s} --desired-count N` },
    {
      what: "runbook.rollback.aws",
      commands: `aws ecs update-service --cluster ${cluster} --service ${s} --task-definition ${cluster}-${s}:PREVIOUS_REVISION`,
    },
  ];
  const db = stack.resources.find((r) => r.type === "postgres");
  if (db)
    tasks.push(
      {
        what: "runbook.backup.aws",
        commands: `aws rds create-db-snapshot --db-instance-identifier DB_INSTANCE --db-snapshot-identifier ${cluster}-${db.name}-manual`,
      },
      {
        what: "runbook.restore.aws",
        commands: `aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier DB_INSTANCE --target-db-instance-identifier ${cluster}-${db.name}-restored --restore-time 2025-01-01T00:00:00Z`,
      },
    );
  return tasks;
}

function k8s(stack: Stack): Task[] {
  const ns = namespaceOf(stack);
  const s = k8sName(first(stack));
  const tasks: Task[] = [
    { what: "runbook.logs", commands: `kubectl -n ${ns} logs deploy/${s} -f --all-containers` },
    { what: "runbook.restart", commands: `kubectl -n ${ns} rollout restart deploy/${s}\nkubectl -n ${ns} rollout status deploy/${s}` },
    { what: "runbook.scale.k8s", commands: `kubectl -n ${ns} scale deploy/${s} --replicas=N\nkubectl -n ${ns} get hpa` },
    { what: "runbook.rollback.k8s", commands: `kubectl -n ${ns} rollout undo deploy/${s}` },
  ];
  const db = stack.resources.find((r): r is Postgres => r.type === "postgres" && r.placement !== "external");
  if (db)
    tasks.push({
      what: "runbook.backup.k8s",
      commands: `kubectl -n ${ns} exec statefulset/${k8sName(db.name)} -- pg_dump -Fc -U postgres ${db.database} > ${db.name}.dump`,
    });
  return tasks;
}

function compose(stack: Stack): Task[] {
  const s = first(stack);
  return [
    { what: "runbook.logs", commands: `docker compose logs -f ${s}` },
    { what: "runbook.restart", commands: `docker compose restart ${s}` },
    { what: "runbook.scale.compose", commands: `docker compose up -d --scale ${s}=N` },
    { what: "runbook.rollback.compose", commands: "git checkout PREVIOUS_TAG\ndocker compose up -d --build" },
  ];
}

function local(stack: Stack): Task[] {
  const s = first(stack);
  const tasks: Task[] = [
    { what: "runbook.logs", commands: `cairn logs ${s} -f` },
    { what: "runbook.restart", commands: "cairn reload" },
    { what: "runbook.scale.local", commands: "cairn reload" },
  ];
  const store = stack.resources.find((r) => r.type === "postgres" || r.type === "bucket");
  if (store)
    tasks.push({
      what: "runbook.backup.local",
      commands: `cairn backup ${store.name} -o ${store.name}.backup\ncairn restore ${store.name} ${store.name}.backup`,
    });
  return tasks;
}

/** The runbook of the environment's target. */
export function runbook(stack: Stack): Task[] {
  switch (stack.environment.target) {
    case "vm":
      return vm(stack);
    case "aws":
      return aws(stack);
    case "k8s":
      return k8s(stack);
    case "compose":
      return compose(stack);
    case "local":
      return local(stack);
  }
}

/** The command that shows what listens on a port, on the target's machine. */
export function portCommand(stack: Stack, port: number): string {
  const target = stack.environment.target;
  if (target === "aws") return `aws ecs describe-services --cluster ${stackNameOf(stack)} --services ${first(stack)}`;
  if (target === "k8s") return `kubectl -n ${namespaceOf(stack)} get svc,endpoints`;
  return `sudo ss -ltnp 'sport = :${port}'`;
}
