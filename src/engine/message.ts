/**
 * Code quoted in a finding's message stays on one line: a review comment or a terminal line that
 * quotes a whole multi-line function literal buries the sentence around it.
 */

/** The most of a quoted closing line kept after the ellipsis (`}()`, `})`, `}(conn)`). */
const MAX_TAIL = 12;

/** Each multi-line `code` span of a message as its first line, an ellipsis and a short last line: `defer func() { … }()`. */
export function oneLineCode(message: string): string {
  return message.replace(/`([^`]*\n[^`]*)`/g, (_, code: string) => {
    const lines = code.split("\n");
    const first = lines[0]!.trimEnd();
    const last = lines[lines.length - 1]!.trim();
    return `\`${first} …${last.length > 0 && last.length <= MAX_TAIL ? ` ${last}` : ""}\``;
  });
}
