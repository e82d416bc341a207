// Roles assigned to a member directly replace its base role (docs "Managing role assignments",
// https://launchdarkly.com/docs/home/account/roles/manage-role-assignments: "If an account member has a both a
// base role and a custom role assigned, then the custom role takes precedence over the base role"). What a page
// sees of it through the package: the principal's creator role and whether it is in effect, Admin, and the
// refusal that names the replaced base role. For the main module and `tokengate/checks`, ES modules and CommonJS.
//
//   scripts/build-pkg.sh && node --test tests/js/base-role.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { linkPackage } from "../support/js/package.mjs";

linkPackage(new URL(".", import.meta.url));
const require = createRequire(import.meta.url);
const MODULES = [
  ["tokengate", await import("tokengate")],
  ["tokengate/checks", await import("tokengate/checks")],
  ["require(tokengate)", require("tokengate")],
  ["require(tokengate/checks)", require("tokengate/checks")],
];

const PRODUCTION_ONLY = {
  _id: "64b1000000000000000000f2",
  key: "production-toggler",
  name: "Production toggler",
  policy: [
    { effect: "allow", resources: ["proj/*"], actions: ["viewProject"] },
    { effect: "allow", resources: ["proj/*:env/production:flag/*"], actions: ["updateOn"] },
  ],
};
const token = (role) => ({
  _id: "60000000000000000000f004",
  ownerId: "m1",
  memberId: "m1",
  creationDate: 1700000000000,
  lastModified: 1700000000000,
  role,
});
const member = (role, customRoles) => ({ _id: "m1", email: "m1@example.com", role, customRoles });

for (const [name, tg] of MODULES) {
  test(`${name}: a writer given a custom role is refused staging flags, and told its base role is replaced`, () => {
    const principal = tg.Principal.fromToken(token("writer"), { member: member("writer", [PRODUCTION_ONLY._id]), roles: [PRODUCTION_ONLY] });
    assert.equal(principal.creatorRole, "writer");
    assert.equal(principal.creatorRoleInEffect, false);
    assert.equal(principal.can("updateOn", "proj/web:env/staging:flag/checkout").allowed, false);
    assert.equal(principal.can("updateOn", "proj/web:env/production:flag/checkout").allowed, true);
    const why = principal.explain("updateOn", "proj/web:env/staging:flag/checkout");
    assert.equal(why.summary, "Denied: base role writer is replaced by the member's custom roles");
    assert.deepEqual(
      { layer: why.decidedBy.layer, replacedBaseRole: why.decidedBy.replacedBaseRole },
      { layer: "creatorCap", replacedBaseRole: "writer" },
    );
    principal.free();

    const plain = tg.Principal.fromToken(token("writer"), { member: member("writer", []), roles: [PRODUCTION_ONLY] });
    assert.equal(plain.creatorRoleInEffect, true);
    assert.equal(plain.can("updateOn", "proj/web:env/staging:flag/checkout").allowed, true);
    assert.equal(plain.explain("updateOn", "proj/web:env/staging:flag/checkout").decidedBy.replacedBaseRole, undefined);
    plain.free();
  });

  test(`${name}: an admin or owner given a custom role is not Admin`, () => {
    for (const base of ["admin", "owner"]) {
      const principal = tg.Principal.fromToken(token("admin"), { member: member(base, [PRODUCTION_ONLY._id]), roles: [PRODUCTION_ONLY] });
      assert.equal(principal.isAdmin, false, base);
      assert.equal(principal.can("deleteMember", "member/m2").allowed, false, base);
      principal.free();
      const plain = tg.Principal.fromToken(token("admin"), { member: member(base, []) });
      assert.equal(plain.isAdmin, true, base);
      plain.free();
    }
  });
}
