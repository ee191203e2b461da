/**
 * ORGTIME_WRITE_TOKEN: one or more comma-separated tokens, each "actor:secret" or just "secret"
 * (actor "api"). The actor is recorded in every event the token writes.
 */
export const parseWriteTokens = (value: string | undefined): Map<string, string> => {
  const tokens = new Map<string, string>();
  for (const entry of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon > 0) tokens.set(entry.slice(colon + 1), entry.slice(0, colon));
    else tokens.set(entry, 'api');
  }
  return tokens;
};
