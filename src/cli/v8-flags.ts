/**
 * V8's flags, changed at run time (warm-up.ts, memory.ts). Code V8 compiled under other flags
 * cannot be reused after a change: whoever keeps compiled code (code-cache.ts) is told first.
 */
import { setFlagsFromString } from "node:v8";

const listeners: ((flags: string) => void)[] = [];

/** Sets V8's flags, after telling the listeners what they will be. */
export function setV8Flags(flags: string): void {
  for (const listener of listeners) listener(flags);
  setFlagsFromString(flags);
}

/** Calls `listener` with the flags of each later {@link setV8Flags}, before they apply. */
export function beforeV8FlagsChange(listener: (flags: string) => void): void {
  listeners.push(listener);
}
