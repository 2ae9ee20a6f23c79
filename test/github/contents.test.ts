import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blobQuery, fetchBlobs } from "../../src/github/contents.js";
import { api, Captured, mockContents, TestOctokit } from "../helpers/github.js";

const octokit = () => new TestOctokit({ auth: { token: "test-token" } });

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("fetchBlobs", () => {
  it("fetches many versions per GraphQL query, 100 objects each, expressions as variables", async () => {
    const scope = api();
    const blobs: Record<string, string> = {};
    const requests = Array.from({ length: 150 }, (_, i) => {
      blobs[`abc:pkg/f${i}.go`] = `package pkg // ${i}\n`;
      return { key: `k${i}`, sha: "abc", path: `pkg/f${i}.go` };
    });
    const captured = new Captured();
    mockContents(scope, blobs, captured);
    mockContents(scope, blobs, captured);
    const result = await fetchBlobs(octokit(), { owner: "acme", repo: "payments" }, requests);
    expect(scope.isDone()).toBe(true);
    expect(captured.count).toBe(2);
    expect(Object.keys(captured.bodies[0]!.variables)).toHaveLength(102);
    expect(Object.keys(captured.bodies[1]!.variables)).toHaveLength(52);
    expect(captured.bodies[0]!.query).toContain("f99: object(expression: $e99) { __typename ... on Blob { byteSize isBinary isTruncated text } }");
    expect(result.get("k149")).toEqual({ kind: "text", text: "package pkg // 149\n", byteSize: 19 });
  });

  it("says which versions are missing, binary or truncated; odd paths need no escaping", async () => {
    const scope = api();
    const odd = 'pkg/we"ird\\name.go';
    mockContents(scope, {
      [`s:${odd}`]: "package pkg\n",
      "s:bin.go": { binary: true, byteSize: 10 },
      "s:big.go": { truncated: true, byteSize: 9_000_000 },
    });
    const result = await fetchBlobs(octokit(), { owner: "acme", repo: "payments" }, [
      { key: "odd", sha: "s", path: odd },
      { key: "bin", sha: "s", path: "bin.go" },
      { key: "big", sha: "s", path: "big.go" },
      { key: "gone", sha: "s", path: "gone.go" },
    ]);
    expect(result.get("odd")).toMatchObject({ kind: "text" });
    expect(result.get("bin")).toEqual({ kind: "binary", byteSize: 10 });
    expect(result.get("big")).toEqual({ kind: "truncated", byteSize: 9_000_000 });
    expect(result.get("gone")).toEqual({ kind: "missing" });
  });

  it("builds a well-formed query", () => {
    expect(blobQuery(2)).toBe(
      "query memlintContents($owner: String!, $repo: String!, $e0: String!, $e1: String!) {\n  repository(owner: $owner, name: $repo) {\n" +
        "    f0: object(expression: $e0) { __typename ... on Blob { byteSize isBinary isTruncated text } }\n" +
        "    f1: object(expression: $e1) { __typename ... on Blob { byteSize isBinary isTruncated text } }\n  }\n}",
    );
  });
});
