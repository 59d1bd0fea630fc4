// Filling a preset's issuer template from its fields.
import type { Preset } from './types';

/** The issuer with each {key} replaced by its value (or the field's default); trailing slashes of values dropped. */
export function fillIssuer(preset: Preset, values: Record<string, string>): string {
  let issuer = preset.issuer_template;
  for (const field of preset.fields) {
    const raw = values[field.key] ?? field.default;
    const value = raw.trim().replace(/\/+$/, '');
    issuer = issuer.split(`{${field.key}}`).join(value);
  }
  return issuer;
}

/** Initial field values: each field's default. */
export function initialValues(preset: Preset): Record<string, string> {
  return Object.fromEntries(preset.fields.map((f) => [f.key, f.default]));
}

/** Whether every field has a value. */
export function complete(preset: Preset, values: Record<string, string>): boolean {
  return preset.fields.every((f) => (values[f.key] ?? f.default).trim() !== '');
}
