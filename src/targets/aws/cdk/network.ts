/** The VPC: public subnets for the load balancer, private ones for tasks and data (with or without a NAT gateway). */
import { aws_ec2 as ec2 } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Plan } from "./plan-types.js";

/** Subnet group names used across the app. */
export const PUBLIC = "Public";
export const PRIVATE = "Private";

export function buildVpc(scope: Construct, plan: Plan): ec2.Vpc {
  return new ec2.Vpc(scope, "Vpc", {
    maxAzs: 2,
    natGateways: plan.nat ? 1 : 0,
    // Restricting the default security group needs a custom resource (a Lambda asset): left as is.
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: PUBLIC, subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: PRIVATE, subnetType: plan.nat ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
}

/** Where tasks run: private subnets behind the NAT gateway, or public subnets with a public IP when there is none. */
export function taskSubnets(plan: Plan): ec2.SubnetSelection {
  return { subnetGroupName: plan.nat ? PRIVATE : PUBLIC };
}

/** A security group; data stores and the load balancer only talk to what the chain allows. */
export function securityGroup(scope: Construct, id: string, vpc: ec2.IVpc, description: string, allowAllOutbound: boolean): ec2.SecurityGroup {
  return new ec2.SecurityGroup(scope, id, { vpc, description, allowAllOutbound });
}
