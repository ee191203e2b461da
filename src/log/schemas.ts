/** The versioned JSON Schemas under events/schemas, compiled once with Ajv (draft 2020-12). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const SCHEMA_DIR = fileURLToPath(new URL('../../events/schemas/', import.meta.url));

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')))
  ajv.addSchema(JSON.parse(readFileSync(SCHEMA_DIR + file, 'utf8')) as object);

const byName = (name: string): ValidateFunction | undefined => ajv.getSchema(`https://orgtime.dev/events/${name}.json`);

export type SchemaCheck = { ok: true } | { ok: false; errors: string[] };

const check = (validate: ValidateFunction | undefined, value: unknown, what: string): SchemaCheck => {
  if (!validate) return { ok: false, errors: [`no schema for ${what}`] };
  if (validate(value)) return { ok: true };
  return { ok: false, errors: (validate.errors ?? []).map((e) => `${what}${e.instancePath} ${e.message ?? 'is invalid'}`) };
};

/** Validate one NDJSON envelope, then its data against `<type>.v<schemaVersion>.json`. */
export const validateEnvelope = (value: unknown): SchemaCheck => {
  const envelope = check(byName('envelope.v1'), value, 'event');
  if (!envelope.ok) return envelope;
  const { type, schemaVersion, data } = value as { type: string; schemaVersion: number; data: unknown };
  return check(byName(`${type}.v${schemaVersion}`), data, `${type}.v${schemaVersion} data`);
};
