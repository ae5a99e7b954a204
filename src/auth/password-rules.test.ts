import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PasswordRejected } from "../errors.js";
import {
  commonPassword,
  defaultPasswordRules,
  minimumLength,
  numericPassword,
  usernameSimilarity,
  validatePassword,
} from "./password-rules.js";

function problems(password: string, options: Parameters<typeof validatePassword>[1] = {}) {
  try {
    validatePassword(password, options);
    return [];
  } catch (error) {
    assert.ok(error instanceof PasswordRejected);
    return error.problems;
  }
}

describe("password rules", () => {
  it("minimumLength > refuses fewer than 8 characters by default and accepts 8", () => {
    assert.match(minimumLength()("short77", {}) ?? "", /at least 8 characters/);
    assert.equal(minimumLength()("eight!ch", {}), null);
    assert.equal(minimumLength(12)("twelve chars", {}), null);
    assert.notEqual(minimumLength(12)("elevenchars", {}), null);
  });

  it("commonPassword > refuses a listed password whatever its case, and takes a list of its own", () => {
    assert.match(commonPassword()("PassWord123", {}) ?? "", /most common/);
    assert.match(commonPassword()(" qwertyuiop ", {}) ?? "", /most common/);
    assert.equal(commonPassword()("violet-harbour-lamp", {}), null);
    assert.notEqual(commonPassword(["Switchboard"])("switchboard", {}), null);
  });

  it("usernameSimilarity > refuses a password containing the username or a part of it", () => {
    const rule = usernameSimilarity();
    assert.match(
      rule("xxADA.lovelace!", { username: "ada.lovelace" }) ?? "",
      /similar to the username/,
    );
    assert.notEqual(rule("Lovelace!1815", { username: "ada.lovelace" }), null);
    assert.notEqual(rule("my-grace-hopper", { username: "GRACE" }), null);
  });

  it("usernameSimilarity > refuses a password a few edits from the username", () => {
    assert.notEqual(usernameSimilarity()("ahmad1", { username: "ahmed1" }), null);
    assert.notEqual(usernameSimilarity()("hopprgrace", { username: "hoppergrace" }), null);
  });

  it("usernameSimilarity > takes a lower maxSimilarity to refuse passwords further from the username", () => {
    assert.equal(usernameSimilarity()("ahmxyz", { username: "ahmed1" }), null);
    assert.notEqual(usernameSimilarity(0.3)("ahmxyz", { username: "ahmed1" }), null);
    assert.notEqual(usernameSimilarity(0.3)("ahm1", { username: "ahmed1" }), null);
  });

  it("usernameSimilarity > accepts an unrelated password, and any without a username", () => {
    const rule = usernameSimilarity();
    assert.equal(rule("violet-harbour-lamp", { username: "margaret.hamilton" }), null);
    assert.equal(rule("violet-harbour-lamp", { username: "al" }), null);
    assert.equal(rule("ada.lovelace", {}), null);
  });

  it("numericPassword > refuses digits only and accepts digits with a letter", () => {
    assert.match(numericPassword()("20240917", {}) ?? "", /entirely numeric/);
    assert.equal(numericPassword()("2024091a", {}), null);
  });

  it("validatePassword > applies Django's defaults and lists every broken rule", () => {
    assert.deepEqual(problems("violet-harbour-lamp", { username: "ada" }), []);
    assert.deepEqual(problems("1234567", { username: "ada" }), [
      "The password is too short: use at least 8 characters.",
      "The password is one of the most common ones: choose one that is harder to guess.",
      "The password is entirely numeric: add letters or symbols.",
    ]);
    assert.equal(problems("ada12345!", { username: "ada" }).length, 1);
  });

  it("validatePassword > throws PasswordRejected with code, status and every problem in the message", () => {
    assert.throws(
      () => validatePassword("x"),
      (error: unknown) =>
        error instanceof PasswordRejected &&
        error.code === "PASSWORD_REJECTED" &&
        error.status === 400 &&
        error.message === "The password is too short: use at least 8 characters.",
    );
  });

  it("validatePassword > applies the rules it is given instead of the defaults", () => {
    assert.deepEqual(problems("1234567", { rules: [minimumLength(4)] }), []);
    assert.equal(problems("abcdefghijk", { rules: [minimumLength(12)] }).length, 1);
    assert.equal(defaultPasswordRules().length, 4);
  });
});
