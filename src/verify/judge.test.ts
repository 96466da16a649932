/** Verdicts from what the probes saw: ports and certificates. */
import { describe, expect, it } from "vitest";
import { judgePorts, type PortState } from "./probe-ports.js";
import { type CertificateFacts, judgeCertificate } from "./probe-tls.js";

const expected = { open: [80, 443], allowed: [{ port: 22, from: ["198.51.100.7/32"] }], closed: [3306, 5432, 6379] };
const states = (entries: Record<number, PortState>) => new Map(Object.entries(entries).map(([p, s]) => [Number(p), s]));

describe("ports", () => {
  it("passes the declared ports open and the others closed or filtered; either state of an allowed port", () => {
    expect(judgePorts(expected, states({ 80: "open", 443: "open", 22: "filtered", 3306: "closed", 5432: "filtered", 6379: "closed" }))).toEqual({
      status: "pass",
      detail: "open 80, 443; 22 closed here (from 198.51.100.7/32); 3 others closed",
    });
  });

  it("fails an undeclared open port and a declared one that does not answer", () => {
    expect(judgePorts(expected, states({ 80: "open", 443: "closed", 22: "open", 3306: "closed", 5432: "open", 6379: "closed" }))).toEqual({
      status: "fail",
      detail: "open but not declared: 5432; declared but not reachable: 443; open 80; 22 open here (from 198.51.100.7/32); 2 others closed",
    });
  });

  it("says the host is unreachable rather than listing every port", () => {
    const all = Object.fromEntries([80, 443, 22, 3306, 5432, 6379].map((p) => [p, "unreachable" as const]));
    expect(judgePorts(expected, states(all))).toEqual({ status: "fail", detail: "host unreachable" });
  });
});

describe("certificates", () => {
  const facts: CertificateFacts = {
    subject: "shop.test",
    names: ["shop.test"],
    issuer: "Let's Encrypt",
    validTo: new Date("2027-03-01T12:00:00Z"),
    chainError: null,
    nameError: null,
  };
  const at = (iso: string) => new Date(iso);

  it("passes with the days left, warns under 20 days, fails once expired, by the clock given", () => {
    expect(judgeCertificate(facts, "shop.test", at("2027-01-01T12:00:00Z"), 20)).toEqual({
      status: "pass",
      detail: "valid, 59 days to expiry (2027-03-01), issuer Let's Encrypt",
    });
    expect(judgeCertificate(facts, "shop.test", at("2027-02-15T12:00:00Z"), 20)).toEqual({
      status: "warn",
      detail: "expires in 14 days (2027-03-01): renew it, issuer Let's Encrypt",
    });
    expect(judgeCertificate(facts, "shop.test", at("2027-03-03T13:00:00Z"), 20)).toEqual({ status: "fail", detail: "expired on 2027-03-01 (2 days ago)" });
  });

  it("fails a certificate for another name, or one no trusted CA signed", () => {
    expect(judgeCertificate({ ...facts, names: ["other.test"], nameError: "Hostname/IP does not match" }, "shop.test", at("2027-01-01T00:00:00Z"), 20)).toEqual(
      {
        status: "fail",
        detail: "not valid for shop.test (it names other.test)",
      },
    );
    expect(judgeCertificate({ ...facts, chainError: "SELF_SIGNED_CERT_IN_CHAIN" }, "shop.test", at("2027-01-01T00:00:00Z"), 20)).toEqual({
      status: "fail",
      detail: "not trusted: SELF_SIGNED_CERT_IN_CHAIN",
    });
  });
});
