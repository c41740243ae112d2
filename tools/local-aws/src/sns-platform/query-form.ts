/**
 * Reads an awsQuery map parameter (`<name>.entry.N.key` / `<name>.entry.N.value`), as the SDK
 * sends SNS `Attributes`. Entries are taken in their `N` order; a later duplicate key wins.
 *
 * @param form - The parsed form body.
 * @param name - The parameter name, e.g. `Attributes`.
 * @returns The map (empty when the parameter is absent).
 */
export function readQueryMap(form: URLSearchParams, name: string): Map<string, string> {
  const pattern = new RegExp(`^${name}\\.entry\\.(\\d+)\\.(key|value)$`);
  const entries = new Map<number, { key?: string; value?: string }>();
  for (const [field, text] of form) {
    const match = pattern.exec(field);
    if (match === null) continue;
    const index = Number(match[1]);
    const entry = entries.get(index) ?? {};
    if (match[2] === 'key') entry.key = text;
    else entry.value = text;
    entries.set(index, entry);
  }
  const map = new Map<string, string>();
  for (const [, entry] of [...entries].sort(([a], [b]) => a - b)) {
    if (entry.key !== undefined) map.set(entry.key, entry.value ?? '');
  }
  return map;
}

/** One `MessageAttributes` entry of a `Publish` request. */
export interface QueryMessageAttribute {
  /** `String`, `Number`, `Binary` or `String.Array`. */
  readonly dataType: string;
  /** The string value, when one was sent. */
  readonly stringValue: string | undefined;
  /** The base64 binary value, when one was sent. */
  readonly binaryValue: string | undefined;
}

const MESSAGE_ATTRIBUTE = /^MessageAttributes\.entry\.(\d+)\.(Name|Value\.DataType|Value\.StringValue|Value\.BinaryValue)$/;

/**
 * Reads the `MessageAttributes` of a `Publish` request
 * (`MessageAttributes.entry.N.Name`, `...Value.DataType`, `...Value.StringValue`, `...Value.BinaryValue`).
 *
 * @param form - The parsed form body.
 * @returns The attributes by name.
 */
export function readMessageAttributes(form: URLSearchParams): Map<string, QueryMessageAttribute> {
  const parts = new Map<number, Map<string, string>>();
  for (const [field, text] of form) {
    const match = MESSAGE_ATTRIBUTE.exec(field);
    if (match === null) continue;
    const index = Number(match[1]);
    const fields = parts.get(index) ?? new Map<string, string>();
    fields.set(match[2] ?? '', text);
    parts.set(index, fields);
  }
  const attributes = new Map<string, QueryMessageAttribute>();
  for (const [, fields] of [...parts].sort(([a], [b]) => a - b)) {
    const name = fields.get('Name');
    if (name === undefined) continue;
    attributes.set(name, {
      dataType: fields.get('Value.DataType') ?? '',
      stringValue: fields.get('Value.StringValue'),
      binaryValue: fields.get('Value.BinaryValue'),
    });
  }
  return attributes;
}
