/**
 * The scaling policy at work locally. A service with `scale` runs between its `min` (at least one) and
 * `max` replicas under `cairn up`, on the model's own `Scale`: the CPU and memory targets and the
 * scale-out and scale-in cooldowns the aws (ECS target tracking) and k8s (HPA) targets build from.
 *
 * - `decide.ts`: the decision, pure (target tracking, bounds, cooldowns, time passed in).
 * - `usage.ts`: replica CPU and memory from /proc, as a percentage of what each replica reserves.
 * - `autoscaler.ts`: decides at each tick and asks an actuator (the stack runner) to add or remove
 *   replicas; the gateway routes a new replica once healthy and drops a removed one before it stops.
 *
 * In-process API (for the console and `cairn ps`). A running `StackRunner` has
 * `runner.parts.monitor` (null before `start()` ends), whose `autoscaler` offers:
 * - `status(): ServiceScaling[]`: each scaled service as of the last tick: replicas, min, max, the
 *   targets and cooldowns, the last measured use of reserved CPU and memory (percent), and `status`,
 *   what the policy says now ("on target", "cpu 80% > target 50%; scale-out cooldown, 20 s left"...).
 * - `decisions(): ScalingDecision[]`: the last `DECISIONS_KEPT` (100) changes, oldest first: `at` (ISO),
 *   `service`, `from`, `to`, `cpu`, `memory`, `reason`, `outcome` ("scaling", "done", "failed") and `error`.
 * - `onDecision(listener): () => void`: called when a decision is made and again when it settles (same
 *   `at` and `service`, a new `outcome`); returns the unsubscribe function.
 * `runner.parts.monitor.usage()` gives the last reading of every running service (per replica: CPU in
 * percent of one core, memory in bytes). Measures are taken every `MONITOR_INTERVAL_MS` (5 s; the
 * runner's `monitorIntervalMs` option changes it). `cairn ps --json` carries the same as `scaling`.
 */
export { Autoscaler, DECISIONS_KEPT, type ScalingActuator, type ScalingDecision, type ServiceScaling } from "./autoscaler.js";
export { decideScale, floorOf, type ScaleHistory, type ScaleVerdict, TOLERANCE, type Utilization } from "./decide.js";
export { type ReplicaUsage, type ServiceUsage, UsageSampler } from "./usage.js";
