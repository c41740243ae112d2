/**
 * The media type of a `Content-Type` header: lower-cased, parameters (`; charset=utf-8`) and
 * surrounding spaces removed, as media types are case-insensitive (RFC 9110, section 8.3.1).
 *
 * @param contentType - The `Content-Type` header, if any.
 * @returns The bare media type, e.g. `application/x-www-form-urlencoded`; `''` when there is none.
 */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  return (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
}

/**
 * The same `Content-Type` with its media type lower-cased and its parameters kept, e.g.
 * `Application/X-WWW-Form-Urlencoded; charset=utf-8` → `application/x-www-form-urlencoded; charset=utf-8`
 * (fauxqs 1.9.2 recognises form bodies only by the lower-case media type).
 *
 * @param contentType - The `Content-Type` header.
 * @returns The header to forward.
 */
export function withLowerCaseMediaType(contentType: string): string {
  const separator = contentType.indexOf(';');
  return separator < 0 ? mediaType(contentType) : `${mediaType(contentType)}${contentType.slice(separator)}`;
}
