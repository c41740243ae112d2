function serialize(holder: Record<string, unknown> | unknown[], key: string, ancestors: object[]): string | undefined {
  let value: unknown = (holder as Record<string, unknown>)[key];
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key);
  }
  // Boxed primitives serialise as their primitive value, as in JSON.stringify.
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    value = value.valueOf();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError(
        `stableStringify: cannot serialise a BigInt (at key "${key}"). Convert it to a string or number first.`,
      );
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.includes(object)) {
    throw new TypeError(
      `stableStringify: the value contains a cycle (at key "${key}"). Remove the circular reference before hashing or serialising.`,
    );
  }
  if (object instanceof Map || object instanceof Set || object instanceof WeakMap || object instanceof WeakSet) {
    // JSON.stringify gives `{}` for every one of them, so two different Maps would hash alike.
    throw new TypeError(
      `stableStringify: cannot serialise a ${object.constructor.name} (at key "${key}"): JSON would turn every ` +
        `one into {}. Convert it first, e.g. Object.fromEntries(map) or [...set].`,
    );
  }
  ancestors.push(object);
  let out: string;
  if (Array.isArray(object)) {
    const items: string[] = [];
    for (let i = 0; i < object.length; i++) {
      items.push(serialize(object, String(i), ancestors) ?? 'null');
    }
    out = `[${items.join(',')}]`;
  } else {
    const record = object as Record<string, unknown>;
    const parts: string[] = [];
    for (const name of Object.keys(record).sort()) {
      const item = serialize(record, name, ancestors);
      if (item !== undefined) parts.push(`${JSON.stringify(name)}:${item}`);
    }
    out = `{${parts.join(',')}}`;
  }
  ancestors.pop();
  return out;
}

/**
 * JSON text of `value` with every object's keys sorted (by UTF-16 code units), recursively;
 * array order is kept. Otherwise it follows `JSON.stringify`: `toJSON` is honoured (so Dates
 * become ISO strings), `undefined`, functions and symbols are omitted from objects and become
 * `null` in arrays, non-finite numbers become `null`. Maps and Sets are refused: JSON would make
 * every one of them `{}`, so different values would give the same text (and the same hash).
 *
 * Two values that are equal as JSON give the same text whatever their key order, which makes
 * it a sound input for hashing.
 *
 * @throws TypeError on a cycle, on a BigInt, on a Map, Set, WeakMap or WeakSet, and when `value` itself serialises to nothing
 *   (`undefined`, a function or a symbol at the top level).
 *
 * @example
 * ```ts
 * stableStringify({ b: 1, a: [3, { d: 1, c: 2 }] }); // '{"a":[3,{"c":2,"d":1}],"b":1}'
 * ```
 */
export function stableStringify(value: unknown): string {
  const text = serialize({ '': value }, '', []);
  if (text === undefined) {
    throw new TypeError(
      `stableStringify: a top-level ${typeof value} has no JSON form. Pass null or an object instead.`,
    );
  }
  return text;
}
