// "tokengate/checks" and "tokengate/checks/web" under `tsc --strict`: the permission checks with the main entry's
// types, and no client.
import { evaluate, Policy, Principal, PolicyError, parseResource, type Decision, type Token } from "tokengate/checks";
import initChecks from "tokengate/checks/web";
// @ts-expect-error the checks entry has no client
import { TokensClient } from "tokengate/checks";
import { PolicyError as MainPolicyError } from "tokengate";

const token: Token = {
  _id: "5f1c0000000000000000000a",
  ownerId: "5f1c00000000000000000001",
  memberId: "5f1c00000000000000000002",
  role: "reader",
  creationDate: 1700000000000,
  lastModified: 1700000000000,
  _links: {},
};
const principal: Principal = Principal.fromToken(token);
const checked: boolean = principal.can("viewProject", "proj/mobile").allowed;
const why: Decision = principal.explain("viewProject", "proj/mobile");
const evaluated: Decision = evaluate([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }], "viewProject", "proj/x");
const compiled: Policy = Policy.compile([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }]);
const compiledMay: boolean = compiled.can("viewProject", "proj/x");
// @ts-expect-error the checks entry's Principal has no compare
principal.compare({});
const sameClass: boolean = new PolicyError("x") instanceof MainPolicyError;
await initChecks();

export { checked, why, evaluated, compiledMay, sameClass, parseResource, TokensClient };
