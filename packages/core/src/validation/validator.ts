import { Ajv, type ErrorObject } from 'ajv';
import { type ValidationIssue, ValidationError } from './validation-error.js';

export { ValidationError, type ValidationIssue } from './validation-error.js';

/** Result of {@link Validator.validate}: the typed value, or every problem as data. */
export type ValidationResult<T> = { valid: true; value: T } | { valid: false; errors: ValidationIssue[] };

/**
 * A compiled JSON Schema check. Call it as a type guard, or use `validate` for errors as data,
 * or `assert` to throw a {@link ValidationError}.
 */
export interface Validator<T> {
  /** Type guard: `true` if `value` matches the schema. */
  (value: unknown): value is T;
  /** Checks `value` and returns it typed, or every problem found. Never throws for invalid data. */
  validate(value: unknown): ValidationResult<T>;
  /**
   * Returns `value` typed if it matches.
   *
   * @throws ValidationError (code `'ValidationFailed'`) listing every problem.
   */
  assert(value: unknown): T;
}

/** Options for {@link createValidator}. */
export interface CreateValidatorOptions {
  /**
   * Your own ajv instance (for formats, custom keywords or shared `$ref`s). Used as is; turn
   * on `allErrors` yourself if you want every problem reported. By default Herald makes one
   * with `allErrors: true`.
   */
  ajv?: Ajv;
}

let sharedAjv: Ajv | undefined;

function toIssue(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  const missing = error.keyword === 'required' ? params['missingProperty'] : undefined;
  const path =
    typeof missing === 'string'
      ? `${error.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`
      : error.instancePath;
  return { path, message: error.message ?? `failed "${error.keyword}"`, keyword: error.keyword, params };
}

/**
 * Compiles `schema` once (ajv 8, `allErrors` on) and returns a {@link Validator}.
 *
 * @param schema - A JSON Schema (draft-07 by default in ajv 8).
 * @param options - Optionally your own ajv instance.
 * @throws Error from ajv if the schema itself is invalid.
 *
 * @example
 * ```ts
 * interface Order { id: string; qty: number }
 * const isOrder = createValidator<Order>({
 *   type: 'object',
 *   required: ['id', 'qty'],
 *   properties: { id: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
 * });
 * if (isOrder(input)) console.log(input.id);
 * const order = isOrder.assert(input); // throws ValidationError
 * ```
 */
export function createValidator<T>(schema: object, options: CreateValidatorOptions = {}): Validator<T> {
  const ajv = options.ajv ?? (sharedAjv ??= new Ajv({ allErrors: true }));
  const check = ajv.compile(schema);

  const validate = (value: unknown): ValidationResult<T> => {
    if (check(value)) return { valid: true, value: value as T };
    return { valid: false, errors: (check.errors ?? []).map(toIssue) };
  };

  const guard = (value: unknown): value is T => check(value) === true;

  return Object.assign(guard, {
    validate,
    assert(value: unknown): T {
      const result = validate(value);
      if (!result.valid) throw new ValidationError(result.errors);
      return result.value;
    },
  });
}
