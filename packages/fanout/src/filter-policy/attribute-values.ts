import { parseJsonText } from '../matching/json-text.js';
import type { FilterPolicyMessageAttribute } from './filter-policy-types.js';

/** A number as SNS accepts it in a `Number` attribute (`42`, `-1.5e3`, `3.015e2`). */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The last String.Array text parsed, and its elements: a router asks for the same one per route. */
let lastArrayText: string | undefined;
let lastArrayValue: unknown;

function parseStringArray(text: string): unknown {
  if (text === lastArrayText) return lastArrayValue;
  const parsed = parseJsonText(text);
  // Not a JSON array: SNS refuses such a message at Publish, so it can match nothing here.
  const value = parsed.ok && Array.isArray(parsed.value) ? parsed.value : undefined;
  lastArrayText = text;
  lastArrayValue = value;
  return value;
}

/**
 * What a filter policy sees of a message attribute: a string (`String`, `String.*`), a number
 * (`Number`, `Number.*`, compared numerically, so `3.015e2` equals `301.5`), the elements of a
 * `String.Array` (each matched on its own), or `undefined` when SNS ignores the attribute
 * (`Binary`, and values SNS would refuse at `Publish`, such as a `Number` that is not one).
 *
 * @param attribute - The attribute, as given to `Publish`.
 * @returns The value(s) to match, or `undefined`.
 */
export function attributeValue(attribute: FilterPolicyMessageAttribute | undefined): unknown {
  if (attribute === undefined || attribute === null || typeof attribute !== 'object') return undefined;
  const { DataType: type, StringValue: text } = attribute;
  if (typeof type !== 'string' || typeof text !== 'string') return undefined;
  if (type === 'String.Array') return parseStringArray(text);
  if (type === 'String' || type.startsWith('String.')) return text;
  if (type === 'Number' || type.startsWith('Number.')) return NUMBER.test(text) ? Number(text) : undefined;
  return undefined;
}

/**
 * Whether a message has an attribute SNS filters on. SNS's guide: a message without attributes
 * matches no policy, not even one made only of `exists: false`.
 *
 * @param attributes - The message attributes.
 * @returns `true` when at least one is a String, Number or String.Array attribute.
 */
export function hasFilterableAttribute(attributes: Readonly<Record<string, FilterPolicyMessageAttribute>>): boolean {
  for (const name in attributes) {
    if (attributeValue(attributes[name]) !== undefined) return true;
  }
  return false;
}
