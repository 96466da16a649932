/**
 * `cairn verify` as a library: `verifyStack(stack, options)` probes a deployed or local stack and
 * returns each check as data; `renderReport` prints it. `cairn deploy` ends with it.
 */
export { hostsOf, sshOf, verifyHost } from "./hosts.js";
export { renderReport } from "./render.js";
export { type RemoteResult, type RemoteRunner, type SshSettings, sshRunner } from "./ssh.js";
export type { CheckKind, CheckResult, CheckStatus, VerifyHost, VerifyReport } from "./types.js";
export { VerifyError, type VerifyOptions, verifyStack } from "./verify.js";
