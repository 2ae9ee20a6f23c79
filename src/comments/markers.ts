/**
 * The hidden marker that ties a review comment to its finding across pushes:
 * `<!-- memlint:fingerprint=<hex> -->`, always the whole first line of a body memlint wrote.
 *
 * Only that first line is read. Repository content can never produce it there: prose escapes
 * `<` as `&lt;`, code spans are single-line and break `<!--`, and the only verbatim content
 * (a ```suggestion block) starts after the marker and the headline. A marker quoted anywhere
 * else — in a suggestion, in a user's reply, in a forged comment body further down — is ignored.
 * (Callers should still check that the comment was written by the App itself.)
 */

const MARKER_LINE = /^<!-- memlint:fingerprint=([0-9a-f]{8,128}) -->$/;

export class MarkerError extends Error {}

export function fingerprintMarker(fingerprint: string): string {
  if (!/^[0-9a-f]{8,128}$/.test(fingerprint)) throw new MarkerError(`not a fingerprint: ${JSON.stringify(fingerprint.slice(0, 80))}`);
  return `<!-- memlint:fingerprint=${fingerprint} -->`;
}

/** The fingerprint of a body whose first line is memlint's marker, else undefined. */
export function parseFingerprintMarker(body: string): string | undefined {
  const end = body.search(/\r?\n/);
  const first = end === -1 ? body : body.slice(0, end);
  return MARKER_LINE.exec(first)?.[1];
}
