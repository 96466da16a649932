/**
 * The host lock, in the agent: a folder made atomically, holding who took it and when. A second
 * deploy is refused with its holder; the switch releases it when it ends, whatever the result, so a
 * lost SSH link during a switch never leaves it held. Pure: lines of bash.
 */
export function lockLines(): string[] {
  return [
    "# lock WHO RELEASE: taken, or refused (exit 75) with the holder's BY, SINCE and RELEASE lines.",
    "cmd_lock() {",
    '  install -d -m 0700 "$STATE"',
    '  if mkdir "$LOCK" 2>/dev/null; then',
    '    printf "BY=%s\\nSINCE=%s\\nRELEASE=%s\\n" "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$2" > "$LOCK/holder"; return 0',
    "  fi",
    '  cat "$LOCK/holder" 2>/dev/null || true',
    "  exit 75",
    "}",
    'cmd_unlock() { rm -rf "$LOCK"; }',
    "cmd_force_unlock() {",
    '  if systemctl is-active --quiet "$SWITCH_UNIT"; then die "a switch is still running on this host: wait for it to end"; fi',
    '  rm -rf "$LOCK"',
    "}",
  ];
}
