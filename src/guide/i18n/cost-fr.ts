/**
 * French for the texts of `cairn cost` (line items, units, notes, assumptions, what is not priced).
 * The cost module writes them in English, as `cairn cost` prints them; the French guide reads them
 * through these patterns. A test runs every example on every hosting option and fails on any text
 * no pattern translates, so a new sentence in src/cost cannot reach a French guide in English.
 */

type Rule = readonly [RegExp, (m: RegExpExecArray) => string];

// A lookahead, so that each group of a number (1,000,000) is seen, not every other one.
const n = (text: string | undefined) => (text ?? "").replace(/(\d),(?=\d{3})/g, "$1\u202f");
const s = (count: string | undefined, one: string, many: string) => (Number(count) > 1 ? many : one);
const az = (text: string | undefined) => (text === "Multi-AZ" ? "multi-AZ" : "mono-AZ");
const what = (text: string | undefined) => (text === "memory" ? "mémoire" : "vCPU");

/** Whole phrases inside other texts. */
const PHRASES: readonly (readonly [RegExp, string])[] = [
  [/every process/g, "tous les processus"],
  [/the instance's address/g, "celle de l'instance"],
  [/(\d+) for the ALB/g, "$1 pour l'ALB"],
  [/(\d+) for the NAT/g, "$1 pour le NAT"],
  [/(\d+) for the tasks in public subnets/g, "$1 pour les tâches en sous-réseaux publics"],
  [/(\d+) for the nodes in public subnets/g, "$1 pour les nœuds en sous-réseaux publics"],
];
const phrases = (text: string | undefined) => PHRASES.reduce((t, [re, to]) => t.replace(re, to), text ?? "");

const ITEMS: readonly Rule[] = [
  [/^(\d+) x (\S+) \((systemd|Docker Compose): (.+)\)$/, (m) => `${m[1]} × ${m[2]} (${m[3]} : ${phrases(m[4])})`],
  [/^(\d+) x (.+) GB gp3 node disks$/, (m) => `${m[1]} × ${n(m[2])} Go gp3, disques des nœuds`],
  [/^(\d+) x (.+) GB gp3$/, (m) => `${m[1]} × ${n(m[2])} Go gp3`],
  [/^(\d+) x (\S+) worker nodes$/, (m) => `${m[1]} × ${m[2]}, nœuds de calcul`],
  [/^(\d+) address(?:es)? \((.+)\)$/, (m) => `${m[1]} ${s(m[1], "adresse", "adresses")} (${phrases(m[2])})`],
  [/^out to the internet$/, () => "sortie vers internet"],
  [/^(.+), (\d+) tasks?: (vCPU|memory)$/, (m) => `${m[1]}, ${m[2]} ${s(m[2], "tâche", "tâches")} : ${what(m[3])}`],
  [/^(.+), ([\d.]+) runs x (.+): (vCPU|memory)$/, (m) => `${m[1]}, ${(m[2] ?? "").replace(".", ",")} exécutions × ${m[3]} : ${what(m[4])}`],
  [/^load balancer$/, () => "répartiteur de charge"],
  [/^([\d.]+) LCU on average$/, (m) => `${(m[1] ?? "").replace(".", ",")} LCU en moyenne`],
  [/^one gateway$/, () => "une passerelle"],
  [/^data processed$/, () => "données traitées"],
  [/^log ingestion \((.+)\)$/, (m) => `ingestion des journaux (${m[1]})`],
  [/^storage \((.+)\)$/, (m) => `stockage (${m[1]})`],
  [/^(GET|PUT\/LIST) requests$/, (m) => `requêtes ${m[1]}`],
  [/^(HTTPS?) requests$/, (m) => `requêtes ${m[1]}`],
  [/^read request units$/, () => "unités de requête en lecture"],
  [/^write request units$/, () => "unités de requête en écriture"],
  [/^table storage$/, () => "stockage des tables"],
  [/^hosted zone (.+)$/, (m) => `zone hébergée ${m[1]}`],
  [/^(\d+) alarms?$/, (m) => `${m[1]} ${s(m[1], "alarme", "alarmes")}`],
  [/^(\d+) custom metrics \((.+)\)$/, (m) => `${m[1]} ${s(m[1], "métrique personnalisée", "métriques personnalisées")} (${m[2]})`],
  [/^data out, always-free first (.+) GB$/, (m) => `sortie de données, ${n(m[1])} premiers Go toujours gratuits`],
  [/^data out beyond (.+) GB$/, (m) => `sortie de données au-delà de ${n(m[1])} Go`],
  [/^(\d+) secrets?$/, (m) => `${m[1]} ${s(m[1], "secret", "secrets")}`],
  [/^web ACL$/, () => "ACL web"],
  [/^(\d+) rules?$/, (m) => `${m[1]} ${s(m[1], "règle", "règles")}`],
  [/^requests inspected$/, () => "requêtes inspectées"],
  [/^(.+): (.+) GB gp3 (Multi-AZ|Single-AZ)$/, (m) => `${m[1]} : ${n(m[2])} Go gp3 ${az(m[3])}`],
  [/^(.+): (\S+) (Multi-AZ|Single-AZ)$/, (m) => `${m[1]} : ${m[2]} ${az(m[3])}`],
  [/^(.+): (\d+) read replicas? (\S+)$/, (m) => `${m[1]} : ${m[2]} ${s(m[2], "réplica", "réplicas")} en lecture ${m[3]}`],
  [/^(.+): replica storage (\d+) x (.+) GB$/, (m) => `${m[1]} : stockage des réplicas ${m[2]} × ${n(m[3])} Go`],
  [/^(.+): (\d+) x (\S+) \((.+)\)$/, (m) => `${m[1]} : ${m[2]} × ${m[3]} (${m[4]})`],
  [/^(.+): (.+) GB gp3 volume$/, (m) => `${m[1]} : volume gp3 de ${n(m[2])} Go`],
  [/^plan \(from the file\)$/, () => "forfait (écrit dans le fichier)"],
  [/^EKS control plane$/, () => "plan de contrôle EKS"],
  [/^control plane$/, () => "plan de contrôle"],
];

const UNITS: Readonly<Record<string, string>> = {
  "instance-hours": "heures d'instance",
  "GB-month": "Go-mois",
  "address-hours": "heures d'adresse",
  GB: "Go",
  "vCPU-hours": "heures de vCPU",
  "GB-hours": "Go-heures",
  hours: "heures",
  "LCU-hours": "heures de LCU",
  request: "requête",
  RRU: "RRU",
  WRU: "WRU",
  "zone-month": "zone-mois",
  "alarm-month": "alarme-mois",
  "metric-month": "métrique-mois",
  "secret-month": "secret-mois",
  "ACL-month": "ACL-mois",
  "rule-month": "règle-mois",
  "node-hours": "heures de nœud",
  month: "mois",
  "cluster-hours": "heures de cluster",
};

const SENTENCES: readonly Rule[] = [
  [/^(\d+) h a month at the on-demand list price$/, (m) => `${m[1]} h par mois au prix public à la demande`],
  [/^gp3 list price per GB-month; 3,000 IOPS and 125 MB\/s included$/, () => "prix public gp3 par Go-mois ; 3 000 IOPS et 125 Mo/s inclus"],
  [
    /^every public IPv4 is billed hourly since Feb 2024, attached or not \(an Elastic IP is not free\)(; billed while the instance is stopped)?$/,
    (m) =>
      `toute IPv4 publique est facturée à l'heure depuis février 2024, attachée ou non (une Elastic IP n'est pas gratuite)${m[1] ? " ; facturée aussi instance arrêtée" : ""}`,
  ],
  [
    /^first tier \(\$\/GB up to 10 TB\); the 100 GB\/month free allowance is not applied$/,
    () => "premier palier ($/Go jusqu'à 10 To) ; les 100 Go/mois gratuits ne sont pas déduits",
  ],
  [
    /^desired count (\d+)(?: \(min (\d+), max (\d+) under autoscaling\))?(?:; (.+) vCPU \/ (.+) GiB asked, billed as (.+) vCPU \/ (.+) GB)?(?:; ([\d.,]+) USD per task-month at list price)?$/,
    (m) =>
      [
        `nombre souhaité ${m[1]}${m[2] ? ` (min ${m[2]}, max ${m[3]} en mise à l'échelle auto)` : ""}`,
        m[4] ? `${m[4]} vCPU / ${m[5]} Gio demandés, facturés ${m[6]} vCPU / ${m[7]} Go` : null,
        m[8] ? `${m[8].replace(".", ",")} USD par tâche-mois au prix public` : null,
      ]
        .filter(Boolean)
        .join(" ; "),
  ],
  [
    /^scheduled task \((.+)\); (.+) vCPU \/ (.+) GiB asked, billed as (.+) vCPU \/ (.+) GB$/,
    (m) => `tâche planifiée (${m[1]}) ; ${m[2]} vCPU / ${m[3]} Gio demandés, facturés ${m[4]} vCPU / ${m[5]} Go`,
  ],
  [
    /^from the usage: one new connection per request \(25\/s per LCU\) or 1 GB\/h processed, whichever is more$/,
    () => "d'après l'usage : une connexion par requête (25/s par LCU) ou 1 Go/h traité, le plus élevé des deux",
  ],
  [
    /^private subnets need it: often the hidden cost; one per zone doubles it$/,
    () => "les sous-réseaux privés en ont besoin : souvent le coût caché ; une par zone le double",
  ],
  [/^(\d+)% of data out assumed to leave through it$/, (m) => `${m[1]} % des données sortantes supposées passer par elle`],
  [/^log storage after ingestion is not in the catalog$/, () => "le stockage des journaux après ingestion n'est pas dans le catalogue"],
  [/^pods, jobs and in-cluster data stores share them$/, () => "pods, tâches et bases dans le cluster les partagent"],
  [
    /^all priced as Standard: colder classes are not in the catalog \(an upper bound\)$/,
    () => "tout au tarif Standard : les classes froides ne sont pas dans le catalogue (majorant)",
  ],
  [/^on-demand, at the usage in the file, across (.+)$/, (m) => `à la demande, selon l'usage du fichier, pour ${m[1]}`],
  [
    /^queries not included: \$0\.40 per million, cached by resolvers$/,
    () => "requêtes DNS non comprises : 0,40 $ le million, mises en cache par les résolveurs",
  ],
  [
    /^the CloudWatch agent's(?:, (\d+) on each of (\d+) instances)?; its PutMetricData requests are not in the catalog$/,
    (m) =>
      `celles de l'agent CloudWatch${m[1] ? `, ${m[1]} sur chacune des ${m[2]} instances` : ""} ; ses requêtes PutMetricData ne sont pas dans le catalogue`,
  ],
  [
    /^the edge's metrics log: one (\d+)-byte line per request, ([\d,]+) requests?$/,
    (m) => `journal de métriques de l'entrée : une ligne de ${m[1]} octets par requête, ${n(m[2])} requêtes`,
  ],
  [
    /^counted from the edge's metrics log by metric filters, billed as custom metrics$/,
    () => "comptées dans le journal de métriques de l'entrée par des filtres de métriques, facturées comme métriques personnalisées",
  ],
  [
    /^CloudFront's always-free tier \(in the catalog\), once per account$/,
    () => "palier toujours gratuit de CloudFront (dans le catalogue), une fois par compte",
  ],
  [
    /^every request counted at the CDN; its free request allowance is not in the catalog$/,
    () => "chaque requête comptée au CDN ; ses requêtes gratuites ne sont pas dans le catalogue",
  ],
  [/^API calls \(read at task start\) not priced: \$0\.05 per 10,000$/, () => "appels d'API (lecture au démarrage des tâches) non comptés : 0,05 $ les 10 000"],
  [/^(.+): one rule each$/, (m) => `${(m[1] ?? "").replace("rate limit", "limite de débit")} : une règle chacun`],
  [/^Multi-AZ: a standby in a second zone$/, () => "multi-AZ : une instance de secours dans une seconde zone"],
  [/^each replica is its own Single-AZ instance$/, () => "chaque réplica est une instance mono-AZ à part entière"],
  [
    /^primary \+ (\d+) replicas?, each a node; Valkey nodes cost 20% less$/,
    (m) => `primaire + ${m[1]} ${s(m[1], "réplica", "réplicas")}, un nœud chacun ; les nœuds Valkey coûtent 20 % de moins`,
  ],
  [/^one node, no replica; Valkey nodes cost 20% less$/, () => "un nœud, sans réplica ; les nœuds Valkey coûtent 20 % de moins"],
  [/^persistent volume of the in-cluster database$/, () => "volume persistant de la base dans le cluster"],
  [/^extra_costs in the file$/, () => "extra_costs du fichier"],
  [/^standard support; extended support costs more$/, () => "support standard ; le support étendu coûte plus"],
  [/^runs on this machine \(cairn up\): no cloud cost$/, () => "tourne sur cette machine (cairn up) : aucun coût cloud"],
  [/^kept on the machine's disk \((.+)\)$/, (m) => `gardés sur le disque de la machine (${m[1]})`],
  [
    /^external: billed by its own provider \(add it under extra_costs to include it\)$/,
    () => "externe : facturé par son propre fournisseur (l'ajouter dans extra_costs pour le compter)",
  ],
  [/^no public service: no load balancer$/, () => "aucun service public : pas de répartiteur de charge"],
  [
    /^cdn: served by the gateway on the machine \(a CDN needs a managed bucket or edge\.cdn\)$/,
    () => "cdn : servi par la passerelle de la machine (un CDN demande un bucket géré ou edge.cdn)",
  ],
  [/^kept in an environment file on the machine: no charge$/, () => "gardés dans un fichier d'environnement sur la machine : sans frais"],
  [/^(.+): no price for (.+) in (\S+) \(see missing prices\)$/, (m) => `${m[1]} : aucun prix pour ${m[2]} dans ${m[3]} (voir les prix manquants)`],
  [
    /^backups: within RDS's free backup storage \(equal to the provisioned storage, per AWS's RDS pricing page; the allowance is not in the catalog\); beyond it \$0\.095-0\.10\/GB-month$/,
    () =>
      "sauvegardes : dans le stockage de sauvegarde gratuit de RDS (égal au stockage provisionné, selon la page de prix RDS ; la franchise n'est pas dans le catalogue) ; au-delà 0,095-0,10 $/Go-mois",
  ],
  [/^no schedule: runs on demand only, not priced$/, () => "sans horaire : lancée à la demande seulement, non comptée"],
  [/^compose keeps logs in Docker's own log files$/, () => "compose garde les journaux dans les fichiers de Docker"],
  [/^compose carries no alarms$/, () => "compose ne porte aucune alarme"],
  [
    /^a PrometheusRule, evaluated by the cluster's Prometheus: no CloudWatch alarm$/,
    () => "une PrometheusRule, évaluée par le Prometheus du cluster : pas d'alarme CloudWatch",
  ],
  [
    /^nothing to watch in this stack: the build makes no alarm \(cairn build says why\)$/,
    () => "rien à surveiller dans cette stack : le build ne crée pas d'alarme (cairn build dit pourquoi)",
  ],
  [/^cpu and memory alarms on each of (\d+) instances$/, (m) => `alarmes cpu et mémoire sur chacune des ${m[1]} instances`],
  [/^on-demand backups: not in the catalog$/, () => "sauvegardes à la demande : pas dans le catalogue"],
  [
    /^WAF rules \((.+)\) are enforced by the gateway on the machine: no AWS WAF on (\S+)$/,
    (m) => `règles WAF (${m[1]}) appliquées par la passerelle de la machine : pas d'AWS WAF sur ${m[2]}`,
  ],
  // Assumptions
  [/^Usage defaults \(not set in the file\): (.+) a month\.$/, (m) => `Usage par défaut (absent du fichier) : ${usage(m[1])} par mois.`],
  [
    /^Instance (\S+) chosen: the smallest t3 that holds (.+) vCPU and (.+) GiB asked with 25% headroom and 0\.5 GiB for the system\.$/,
    (m) => `Instance ${m[1]} choisie : la plus petite t3 qui loge ${m[2]} vCPU et ${m[3]} Gio demandés avec 25 % de marge et 0,5 Gio pour le système.`,
  ],
  [
    /^NAT gateway: one, in one zone; 10% of data out assumed to pass through it \(outside APIs, image pulls\)\. Set nat: false for public subnets\.$/,
    () =>
      "Passerelle NAT : une, dans une zone ; 10 % des données sortantes supposées y passer (API externes, images). Mettre nat: false pour des sous-réseaux publics.",
  ],
  [
    /^Worker nodes: (\d+) x (\S+)(?:, the cheapest t3 set| \(instance from the file\)) holding (.+) vCPU and (.+) GiB asked with 25% headroom \(20% of memory reserved on each node, at least two nodes\)\.$/,
    (m) =>
      `Nœuds de calcul : ${m[1]} × ${m[2]}, qui logent ${m[3]} vCPU et ${m[4]} Gio demandés avec 25 % de marge (20 % de la mémoire réservée par nœud, deux nœuds au moins).`,
  ],
  [
    /^No t3 holds (.+) vCPU and (.+) GiB asked with headroom; priced (\S+)\. Set instance: or instances: in the environment\.$/,
    (m) => `Aucune t3 ne loge ${m[1]} vCPU et ${m[2]} Gio demandés avec marge ; prix de ${m[3]}. Préciser instance: ou instances: dans l'environnement.`,
  ],
  [
    /^(\S+): (a managed service|runs beside the app) on (\S+) \(the file places it (\S+) on (\S+); set managed: to choose\)\.$/,
    (m) =>
      `${m[1]} : ${m[2] === "a managed service" ? "un service géré" : "tourne à côté de l'application"} sur ${m[3]} (le fichier le place en ${m[4]} sur ${m[5]} ; préciser managed: pour choisir).`,
  ],
  [
    /^Jobs \((.+)\) run on the instance on their schedule: no extra line\.$/,
    (m) => `Les tâches (${m[1]}) tournent sur l'instance à leur horaire : aucune ligne de plus.`,
  ],
  [
    /^S3: (.+) GB stored across (.+); requests assumed as one GET per 10 and one PUT per 100 edge requests\.$/,
    (m) => `S3 : ${n(m[1])} Go stockés dans ${m[2]} ; requêtes supposées : un GET pour 10 et un PUT pour 100 requêtes à l'entrée.`,
  ],
  [
    /^Route 53: one hosted zone for (.+); DNS queries are not priced \(\$0\.40 per million in the catalog\)\.$/,
    (m) => `Route 53 : une zone hébergée pour ${m[1]} ; les requêtes DNS ne sont pas comptées (0,40 $ le million dans le catalogue).`,
  ],
  [
    /^(.+): (\d+(?:\.\d+)?) runs a month, each priced at its timeout \((.+)\), an upper bound\.$/,
    (m) => `${m[1]} : ${(m[2] ?? "").replace(".", ",")} exécutions par mois, chacune comptée à son délai max. (${m[3]}), un majorant.`,
  ],
  [
    /^Autoscaled services are priced at their desired count, all month\.$/,
    () => "Les services à mise à l'échelle automatique sont comptés à leur nombre souhaité, tout le mois.",
  ],
  [
    /^Alarms watch the ECS, ALB and RDS metrics AWS publishes for free; no custom metrics are priced\.$/,
    () => "Les alarmes suivent les métriques ECS, ALB et RDS qu'AWS publie gratuitement ; aucune métrique personnalisée n'est comptée.",
  ],
  [/^(.+): no instance class in the file; priced as (\S+)\.$/, (m) => `${m[1]} : pas de classe d'instance dans le fichier ; prix de ${m[2]}.`],
];

const USAGE: readonly (readonly [RegExp, string])[] = [
  [/([\d,.]+) requests/, "$1 requêtes"],
  [/([\d,.]+) GB data out/, "$1 Go sortants"],
  [/([\d,.]+) GB stored/, "$1 Go stockés"],
  [/([\d,.]+) GB of logs/, "$1 Go de journaux"],
  [/([\d,.]+) table reads/, "$1 lectures de table"],
  [/([\d,.]+) table writes/, "$1 écritures de table"],
  [/([\d,.]+) GB in tables/, "$1 Go en tables"],
  [/([\d,.]+) GB through the CDN \(= data out\)/, "$1 Go par le CDN (= sortie)"],
  [/([\d,.]+) hours/, "$1 heures"],
];

function usage(text: string | undefined): string {
  return n(USAGE.reduce((t, [re, to]) => t.replace(re, to), text ?? "").replace(/, /g, " ; "));
}

function apply(rules: readonly Rule[], text: string): string | null {
  for (const [re, to] of rules) {
    const m = re.exec(text);
    if (m) return to(m);
  }
  return null;
}

/** A cost text in French, or null when no pattern knows it. */
export function costFrench(kind: "item" | "unit" | "sentence", text: string): string | null {
  if (kind === "unit") return UNITS[text] ?? null;
  if (kind === "item") return apply(ITEMS, text);
  // A price from the user's file appends its origin to the note.
  const [head = "", ...rest] = text.split("; price from ");
  const main = head.split("; ").length > 1 && !apply(SENTENCES, head) ? head.split("; ").map((part) => apply(SENTENCES, part)) : [apply(SENTENCES, head)];
  if (main.some((x) => x === null)) return null;
  return [main.join(" ; "), ...rest.map((r) => `prix tiré de ${r}`)].join(" ; ");
}
