// Every token the caller can see, all pages at once, as the permission matrix and the token audit need them.

import { app } from "./app-state.js";
import { currentClient } from "./session.js";
import { checkedCall } from "./checked-call.js";

/** Lists every visible token (all pages; `showAll` as the list view has it), logged as a request for
 * `purpose`; an empty list when the request fails (the activity log says why). */
export async function loadAllTokens(purpose) {
  const showAll = app.listParams.showAll;
  const res = await checkedCall({
    label: `list all tokens for the ${purpose}${showAll ? " (showAll)" : ""}`,
    decision: null,
    call: () => collect(currentClient().listAll(showAll ? { showAll: true, pageSize: 100 } : { pageSize: 100 })),
    summarize: (all) => `200: ${all.length} tokens`,
  });
  return res.ok ? res.value : [];
}

/** listAll yields tokens page by page as an async iterator; the views need them all at once. */
async function collect(iterable) {
  const out = [];
  for await (const token of iterable) out.push(token);
  return out;
}
