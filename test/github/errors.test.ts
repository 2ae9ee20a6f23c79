import { describe, expect, it } from "vitest";
import { describeRequestError, GitHubStepError, step } from "../../src/github/errors.js";

describe("describeRequestError", () => {
  it("names the request, the status and GitHub's message", () => {
    const err = Object.assign(new Error("Server Error"), {
      status: 502,
      request: { method: "post", url: "https://api.github.com/repos/acme/payments/pulls/42/reviews?x=1" },
      response: { status: 502, data: { message: "Bad Gateway" } },
    });
    expect(describeRequestError(err)).toBe("POST /repos/acme/payments/pulls/42/reviews → 502 (Bad Gateway)");
  });

  it("describes GraphQL errors and anything else", () => {
    expect(describeRequestError({ errors: [{ type: "NOT_FOUND", message: "Could not resolve" }, { message: "x" }] })).toBe(
      "GraphQL request → NOT_FOUND: Could not resolve (and 1 more)",
    );
    expect(describeRequestError(new Error("boom\nstack"))).toBe("boom");
    expect(describeRequestError("plain")).toBe("plain");
  });

  it("step() says what memlint was doing", async () => {
    const err = await step("reading things", () => Promise.reject(Object.assign(new Error("x"), { status: 500, request: { method: "GET", url: "https://api.github.com/a" } }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubStepError);
    expect((err as Error).message).toBe("reading things failed: GET /a → 500 (x)");
  });
});
