/**
 * The edge: an internet-facing Application Load Balancer (HTTPS with an ACM certificate, HTTP to
 * HTTPS redirect, a listener rule per route, a target group per routed service) and a WAF web ACL.
 */
import { aws_certificatemanager as acm, Duration, aws_ec2 as ec2, aws_elasticloadbalancingv2 as elbv2, aws_wafv2 as wafv2 } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Built } from "./built.js";
import { PUBLIC, securityGroup } from "./network.js";
import type { Plan, PlanWaf } from "./plan-types.js";

function certificate(scope: Construct, plan: Plan): acm.ICertificate | null {
  const spec = plan.certificate;
  if (!spec) return null;
  if (spec.kind === "arn") return acm.Certificate.fromCertificateArn(scope, "Certificate", spec.arn);
  // DNS validation: ACM shows the CNAME records to add (or adds them when the zone is in Route 53).
  return new acm.Certificate(scope, "Certificate", {
    domainName: spec.domain,
    ...(spec.alternativeNames.length ? { subjectAlternativeNames: [...spec.alternativeNames] } : {}),
    validation: acm.CertificateValidation.fromDns(),
  });
}

export function buildLoadBalancer(scope: Construct, plan: Plan, built: Built): elbv2.ApplicationLoadBalancer {
  const { listener: spec } = plan;
  const sg = securityGroup(scope, "LoadBalancerSecurityGroup", built.vpc, "load balancer: reached from the internet on the edge ports", false);
  const peers = spec.allow.length ? spec.allow.map((cidr) => ec2.Peer.ipv4(cidr)) : [ec2.Peer.anyIpv4()];
  const ports = spec.https && spec.redirectHttp && spec.port !== 80 ? [spec.port, 80] : [spec.port];
  for (const peer of peers) for (const port of ports) sg.addIngressRule(peer, ec2.Port.tcp(port), `internet to the load balancer on ${port}`);
  const alb = new elbv2.ApplicationLoadBalancer(scope, "LoadBalancer", {
    vpc: built.vpc,
    internetFacing: true,
    securityGroup: sg,
    vpcSubnets: { subnetGroupName: PUBLIC },
    idleTimeout: Duration.seconds(spec.idleTimeoutSeconds),
    dropInvalidHeaderFields: true,
  });
  built.loadBalancer = alb;
  const cert = spec.https ? certificate(scope, plan) : null;
  const listener = cert
    ? alb.addListener("Https", {
        port: spec.port,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [cert],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        open: false,
      })
    : alb.addListener("Http", { port: spec.port, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
  if (cert && spec.redirectHttp && spec.port !== 80)
    alb.addListener("HttpRedirect", {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: "HTTPS", port: String(spec.port), permanent: true }),
    });

  for (const service of plan.services.filter((s) => s.public && s.port)) {
    const running = built.services.get(service.name);
    if (!running) continue;
    const health = service.healthCheck;
    const group = new elbv2.ApplicationTargetGroup(scope, `${service.id}Targets`, {
      vpc: built.vpc,
      port: service.port ?? 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [running.service],
      deregistrationDelay: Duration.seconds(service.stopTimeoutSeconds),
      ...(health
        ? {
            healthCheck: {
              path: health.path,
              interval: Duration.seconds(health.intervalSeconds),
              timeout: Duration.seconds(health.timeoutSeconds),
              healthyThresholdCount: health.healthyThreshold,
              unhealthyThresholdCount: health.unhealthyThreshold,
              healthyHttpCodes: health.codes,
            },
          }
        : {}),
      ...(service.stickinessSeconds ? { stickinessCookieDuration: Duration.seconds(service.stickinessSeconds) } : {}),
    });
    built.targetGroups.set(service.name, group);
  }

  let defaulted = false;
  for (const route of plan.routes) {
    const group = built.targetGroups.get(route.service);
    if (!group) continue;
    const conditions = [
      ...(route.host ? [elbv2.ListenerCondition.hostHeaders([route.host])] : []),
      ...(route.paths.length ? [elbv2.ListenerCondition.pathPatterns([...route.paths])] : []),
    ];
    if (conditions.length)
      listener.addAction(`Route${route.priority}`, { priority: route.priority, conditions, action: elbv2.ListenerAction.forward([group]) });
    else {
      listener.addAction("Default", { action: elbv2.ListenerAction.forward([group]) });
      defaulted = true;
    }
  }
  if (!defaulted) listener.addAction("Default", { action: elbv2.ListenerAction.fixedResponse(404, { contentType: "text/plain", messageBody: "not found" }) });
  return alb;
}

const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });

function managed(name: string, priority: number): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
    visibilityConfig: visibility(name),
  };
}

/** The web ACL: geo blocking first, then AWS's managed SQL-injection and common (XSS) rule groups, then the rate limit per client address. */
export function buildWaf(scope: Construct, plan: Plan, waf: PlanWaf, alb: elbv2.ApplicationLoadBalancer): wafv2.CfnWebACL {
  const rules: wafv2.CfnWebACL.RuleProperty[] = [];
  if (waf.geoBlock.length)
    rules.push({
      name: "GeoBlock",
      priority: rules.length,
      action: { block: {} },
      statement: { geoMatchStatement: { countryCodes: [...waf.geoBlock] } },
      visibilityConfig: visibility("GeoBlock"),
    });
  if (waf.sqli) rules.push(managed("AWSManagedRulesSQLiRuleSet", rules.length));
  if (waf.xss) rules.push(managed("AWSManagedRulesCommonRuleSet", rules.length));
  if (waf.rateLimit)
    rules.push({
      name: "RateLimit",
      priority: rules.length,
      action: { block: {} },
      statement: { rateBasedStatement: { limit: waf.rateLimit.limit, aggregateKeyType: "IP", evaluationWindowSec: waf.rateLimit.windowSeconds } },
      visibilityConfig: visibility("RateLimit"),
    });
  const acl = new wafv2.CfnWebACL(scope, "WebAcl", {
    name: `${plan.stackName}-web-acl`,
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    visibilityConfig: visibility(`${plan.stackName}-web-acl`),
    rules,
  });
  new wafv2.CfnWebACLAssociation(scope, "WebAclAssociation", { resourceArn: alb.loadBalancerArn, webAclArn: acl.attrArn });
  return acl;
}
