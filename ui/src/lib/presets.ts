// Presets: filling an issuer template from its fields, and reading the fields
// back out of an issuer (for editing a saved profile or a typed issuer).
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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The field values that make `issuer` from the preset's template, or null
 * when the issuer does not have the template's shape. The inverse of
 * fillIssuer: `https://kc.example/realms/dev` gives base_url and realm.
 */
export function extractValues(preset: Preset, issuer: string): Record<string, string> | null {
  const keys = preset.fields.map((f) => f.key);
  const order: string[] = [];
  let pattern = '';
  let rest = preset.issuer_template;
  while (rest) {
    const next = keys
      .map((key) => ({ key, at: rest.indexOf(`{${key}}`) }))
      .filter((k) => k.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (!next) {
      pattern += escapeRegExp(rest);
      break;
    }
    pattern += escapeRegExp(rest.slice(0, next.at));
    const seen = order.indexOf(next.key);
    if (seen >= 0) {
      pattern += `\\${seen + 1}`;
    } else {
      order.push(next.key);
      pattern += '(.+?)';
    }
    rest = rest.slice(next.at + next.key.length + 2);
  }
  const match = new RegExp(`^${pattern}$`).exec(issuer.trim());
  if (!match) return null;
  const values = initialValues(preset);
  order.forEach((key, i) => (values[key] = match[i + 1]));
  return values;
}

/** A preset note with the fields' current values in place of their {key}; unknown placeholders stay. */
export function fillNote(note: string, preset: Preset, values: Record<string, string>): string {
  let text = note;
  for (const field of preset.fields) {
    const value = (values[field.key] ?? field.default).trim().replace(/\/+$/, '');
    if (value) text = text.split(`{${field.key}}`).join(value);
  }
  return text;
}
