// Node, ES modules: the package's default entry, ready without an init call.
import { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate";
import { check, report } from "../common/checks.mjs";

report("node-esm", await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource }));
