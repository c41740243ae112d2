import { HeraldError } from '../errors.js';

/** One problem found by a {@link Validator}, as data. */
export interface ValidationIssue {
  /**
   * JSON Pointer to the offending value (`''` is the value itself, `/items/0/name` a nested
   * one). For a missing required property, the pointer includes that property.
   */
  path: string;
  /** What is wrong, for example `must be string`. */
  message: string;
  /** The JSON Schema keyword that failed, for example `type` or `required`. */
  keyword: string;
  /** Keyword details from ajv, for example `{ missingProperty: 'id' }`. */
  params: Record<string, unknown>;
}

/**
 * Thrown by `Validator.assert` when a value does not match its schema. Code
 * `'ValidationFailed'`, not retryable; `errors` lists every problem found.
 */
export class ValidationError extends HeraldError {
  /** Every problem found (ajv runs with `allErrors`). */
  readonly errors: ValidationIssue[];

  /** @param errors - The problems found; the message summarises the first few. */
  constructor(errors: ValidationIssue[]) {
    const shown = errors
      .slice(0, 5)
      .map((issue) => `${issue.path === '' ? '(value)' : issue.path} ${issue.message}`)
      .join('; ');
    const more = errors.length > 5 ? `; and ${errors.length - 5} more` : '';
    super(
      'ValidationFailed',
      `The value does not match the schema: ${shown}${more}. Fix the value (see .errors for every problem).`,
    );
    this.errors = errors;
  }
}
