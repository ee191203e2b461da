/** Input rules shared by the deciders. Each failure names the input field at fault. */
import { invalid } from './errors.ts';

export const HANDLE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const LIMITS = { handle: 64, name: 200, title: 200, kind: 40, reason: 1000 } as const;

export const requireHandle = (value: string, field: string): string => {
  if (value.length === 0) throw invalid(`${field} must not be empty`, [field]);
  if (value.length > LIMITS.handle) throw invalid(`${field} is longer than ${LIMITS.handle} characters`, [field]);
  if (!HANDLE_PATTERN.test(value))
    throw invalid(`${field} "${value}" must be lowercase letters, digits and single hyphens (e.g. lin-junyang)`, [field]);
  return value;
};

export const requireText = (value: string, field: string, max: number): string => {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw invalid(`${field} must not be empty`, [field]);
  if (trimmed.length > max) throw invalid(`${field} is longer than ${max} characters`, [field]);
  return trimmed;
};

export const optionalText = (value: string | null, field: string, max: number): string | null =>
  value === null || value.trim() === '' ? null : requireText(value, field, max);
