/**
 * Escapes text for use inside an XML element or attribute value.
 *
 * @param text - Raw text.
 * @returns The text with `& < > " '` replaced by entities.
 */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
