import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprintMarker, MarkerError, parseFingerprintMarker } from "../../src/comments/markers.js";
import { renderFixedNote, renderReviewComment } from "../../src/comments/review-comment.js";
import { finding } from "./findings.js";

const FP = "3a2af90ab2aa499f36387503b56e9be8517ff9a4d1291580bcb3db46f0ef6f58";

describe("fingerprint markers", () => {
  it("writes the exact format", () => {
    expect(fingerprintMarker(FP)).toBe(`<!-- memlint:fingerprint=${FP} -->`);
  });

  it("round-trips any hex fingerprint, through a whole comment body too", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{8,128}$/), (fp) => {
        expect(parseFingerprintMarker(fingerprintMarker(fp))).toBe(fp);
        expect(parseFingerprintMarker(`${fingerprintMarker(fp)}\r\nrest of the body`)).toBe(fp);
        const body = renderReviewComment(finding({ fingerprint: fp, id: fp.slice(0, 8) }));
        expect(parseFingerprintMarker(body)).toBe(fp);
        expect(parseFingerprintMarker(renderFixedNote(body))).toBe(fp);
      }),
    );
  });

  it("refuses to write a marker for something that is not a fingerprint", () => {
    expect(() => fingerprintMarker("abc --> @everyone")).toThrow(MarkerError);
    expect(() => fingerprintMarker("ABCDEF0123")).toThrow(MarkerError);
    expect(() => fingerprintMarker("")).toThrow(MarkerError);
  });

  it("reads only a marker that is the whole first line", () => {
    const marker = fingerprintMarker(FP);
    expect(parseFingerprintMarker(`Some reply\n${marker}`)).toBeUndefined();
    expect(parseFingerprintMarker(`> ${marker}`)).toBeUndefined();
    expect(parseFingerprintMarker(` ${marker}`)).toBeUndefined();
    expect(parseFingerprintMarker(`${marker} and more`)).toBeUndefined();
    expect(parseFingerprintMarker(`<!-- memlint:fingerprint=${FP.toUpperCase()} -->`)).toBeUndefined();
    expect(parseFingerprintMarker(`<!--memlint:fingerprint=${FP}-->`)).toBeUndefined();
    expect(parseFingerprintMarker("")).toBeUndefined();
  });
});
