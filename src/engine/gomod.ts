/** The `go` directive of a go.mod file ("1.22", "1.23.4"), used to gate rules the runtime fixed. */
export function goVersionFromGoMod(text: string): string | undefined {
  const m = /^go\s+([0-9]+(?:\.[0-9]+){1,2}(?:[a-z]+[0-9]*)?)\s*(?:\/\/.*)?$/m.exec(text);
  return m?.[1];
}
