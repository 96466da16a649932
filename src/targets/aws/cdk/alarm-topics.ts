/**
 * The SNS topics of the alarms: the stack's own for the alarms that name no one (the README says how to
 * subscribe to it), and one per `notify` address with that e-mail address or https:// URL subscribed.
 * Shared by the Fargate app and the machine's app.
 */
import { aws_sns as sns, aws_sns_subscriptions as subscriptions } from "aws-cdk-lib";
import type { Construct } from "constructs";

/** The topic of an alarm by its `notify`: the stack's own for none, one per address, made on first use. */
export function alarmTopics(scope: Construct, stackName: string): (notify: string | null) => sns.ITopic {
  const topics = new Map<string, sns.Topic>();
  return (notify) => {
    const key = notify ?? "";
    const known = topics.get(key);
    if (known) return known;
    const n = [...topics.keys()].filter(Boolean).length + 1;
    const topic = notify
      ? new sns.Topic(scope, `AlarmsNotify${n}`, { topicName: `${stackName}-alarms-${n}`, displayName: `${stackName} alarms for ${notify}` })
      : new sns.Topic(scope, "Alarms", { topicName: `${stackName}-alarms`, displayName: `${stackName} alarms` });
    if (notify) topic.addSubscription(notify.startsWith("https://") ? new subscriptions.UrlSubscription(notify) : new subscriptions.EmailSubscription(notify));
    topics.set(key, topic);
    return topic;
  };
}
