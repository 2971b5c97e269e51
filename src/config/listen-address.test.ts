import { describe, expect, it } from "vitest";
import { formatListenAddress, parseListenAddress } from "./listen-address.js";

describe("parseListenAddress", () => {
  it.each([
    ["127.0.0.1:50051", { kind: "tcp", host: "127.0.0.1", port: 50051 }],
    ["0.0.0.0:8081", { kind: "tcp", host: "0.0.0.0", port: 8081 }],
    [":9000", { kind: "tcp", host: "0.0.0.0", port: 9000 }],
    ["[::1]:50051", { kind: "tcp", host: "::1", port: 50051 }],
    ["localhost:0", { kind: "tcp", host: "localhost", port: 0 }],
    ["unix:///run/okta.sock", { kind: "unix", path: "/run/okta.sock" }],
  ])("parses %j", (input, expected) => {
    const parsed = parseListenAddress(input);
    expect(parsed).toEqual(expected);
    expect(parseListenAddress(formatListenAddress(parsed))).toEqual(parsed);
  });

  it.each([
    ["50051", /not host:port/],
    ["127.0.0.1:70000", /port 70000 is out of range/],
    ["unix://relative.sock", /must be absolute/],
    ["127.0.0.1:", /not host:port/],
  ])("rejects %j", (input, message) => {
    expect(() => parseListenAddress(input)).toThrow(message);
  });
});
