/** Who an alarm tells: an e-mail address or an https:// endpoint, the two SNS subscriptions a stack can name. */

export const NOTIFY_PATTERN = /^(?:[^@\s]+@[^@\s]+\.[^@\s]+|https:\/\/\S+)$/;

export function notifyKind(notify: string): "email" | "https" {
  return notify.startsWith("https://") ? "https" : "email";
}
