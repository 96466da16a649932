/** The machine: its network, security group, role, instance(s) with their disk and Elastic IP. */
import { CfnParameter, aws_ec2 as ec2, type aws_iam as iam } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { PRIVATE, PUBLIC } from "../network.js";
import type { Ec2Plan } from "./plan-types.js";

export interface BuiltMachine {
  readonly instance: ec2.Instance;
  readonly address: ec2.CfnEIP;
}

/** Public subnets for the machine (no NAT gateway: it has its own address); isolated ones for managed data stores. */
export function buildNetwork(scope: Construct, plan: Ec2Plan): ec2.Vpc {
  const data = plan.databases.length + plan.caches.length > 0;
  return new ec2.Vpc(scope, "Vpc", {
    maxAzs: 2,
    natGateways: 0,
    // Restricting the default security group needs a custom resource (a Lambda asset): left as is.
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: PUBLIC, subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      ...(data ? [{ name: PRIVATE, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] : []),
    ],
  });
}

/** The machine's ports, from the same rules the vm firewall applies. */
export function buildSecurityGroup(scope: Construct, plan: Ec2Plan, vpc: ec2.IVpc): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(scope, "MachineSecurityGroup", {
    vpc,
    description: `${plan.stackName}: the public ports of the machine`,
    allowAllOutbound: true,
  });
  for (const rule of plan.ports)
    for (const source of rule.sources)
      group.addIngressRule(
        source.includes(":") ? ec2.Peer.ipv6(source) : ec2.Peer.ipv4(source),
        rule.protocol === "udp" ? ec2.Port.udp(rule.port) : ec2.Port.tcp(rule.port),
        rule.description,
      );
  return group;
}

/**
 * The instance(s). The image is found when CloudFormation deploys, by the Systems Manager parameter
 * `ImageParameter` names (Debian 12 by default; another public parameter, or one of yours holding a
 * pinned image, at deploy time). The key pair is one of yours (`KeyName`).
 */
export function buildMachines(scope: Construct, plan: Ec2Plan, vpc: ec2.IVpc, group: ec2.ISecurityGroup, role: iam.IRole): BuiltMachine[] {
  const image = new CfnParameter(scope, "ImageParameter", {
    type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
    default: plan.image.ssmParameter,
    description: `Systems Manager parameter naming the image (${plan.image.name} by default)`,
  });
  const rootDevice = new CfnParameter(scope, "RootDeviceName", {
    type: "String",
    default: "/dev/xvda",
    description: "root device of the image (/dev/xvda for Debian, /dev/sda1 for Ubuntu)",
  });
  const keyName = new CfnParameter(scope, "KeyName", { type: "AWS::EC2::KeyPair::KeyName", description: "an EC2 key pair of yours, for SSH" });
  const userData = ec2.UserData.forLinux();
  if (plan.userData.length) userData.addCommands(...plan.userData);
  const machineImage: ec2.IMachineImage = {
    getImage: () => ({ imageId: image.valueAsString, osType: ec2.OperatingSystemType.LINUX, userData }),
  };
  const keyPair = ec2.KeyPair.fromKeyPairName(scope, "KeyPair", keyName.valueAsString);
  const subnets = vpc.selectSubnets({ subnetGroupName: PUBLIC }).subnets;
  return Array.from({ length: plan.instance.count }, (_, i) => {
    const id = plan.instance.count === 1 ? "Machine" : `Machine${i + 1}`;
    const name = plan.instance.count === 1 ? plan.stackName : `${plan.stackName}-${i + 1}`;
    const subnet = subnets[i % subnets.length] as ec2.ISubnet;
    const instance = new ec2.Instance(scope, id, {
      vpc,
      vpcSubnets: { subnets: [subnet] },
      instanceType: new ec2.InstanceType(plan.instance.type),
      machineImage,
      keyPair,
      securityGroup: group,
      role,
      userData,
      requireImdsv2: true,
      instanceName: name,
      blockDevices: [
        {
          deviceName: rootDevice.valueAsString,
          volume: ec2.BlockDeviceVolume.ebs(plan.instance.diskGb, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true, deleteOnTermination: true }),
        },
      ],
    });
    const address = new ec2.CfnEIP(scope, `${id}Address`, {
      domain: "vpc",
      instanceId: instance.instanceId,
      tags: [{ key: "Name", value: name }],
    });
    return { instance, address };
  });
}
