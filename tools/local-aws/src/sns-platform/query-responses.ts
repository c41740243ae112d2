import { randomUUID } from 'node:crypto';
import type { LocalResponse } from '../local-response.js';
import { escapeXml } from '../xml-escape.js';

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * A successful awsQuery answer, shaped as SNS sends it:
 * `<{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata>…</ResponseMetadata></{Action}Response>`.
 *
 * @param action - The SNS action, e.g. `CreatePlatformEndpoint`.
 * @param resultXml - The inner XML of the `Result` element, or `undefined` for actions that return
 *   no result (`SetEndpointAttributes`, `DeleteEndpoint`, ...).
 * @returns The HTTP 200 response.
 */
export function queryResponse(action: string, resultXml: string | undefined): LocalResponse {
  const requestId = randomUUID();
  const result = resultXml === undefined ? '' : `<${action}Result>${resultXml}</${action}Result>`;
  const xml =
    `<${action}Response xmlns="${SNS_XMLNS}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: Buffer.from(xml, 'utf8'),
  };
}

/**
 * An XML element holding a value, escaped.
 *
 * @param name - Element name.
 * @param value - Text content.
 * @returns `<name>value</name>`.
 */
export function xmlElement(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

/**
 * A string map as SNS renders `Attributes`: `<Attributes><entry><key/><value/></entry>…</Attributes>`.
 *
 * @param attributes - The attributes, in the order to render them.
 * @returns The XML.
 */
export function attributesXml(attributes: Iterable<readonly [string, string]>): string {
  let entries = '';
  for (const [key, value] of attributes) entries += `<entry>${xmlElement('key', key)}${xmlElement('value', value)}</entry>`;
  return `<Attributes>${entries}</Attributes>`;
}

/**
 * A JSON answer for local-aws's own control actions (not part of SNS).
 *
 * @param value - The body.
 * @returns The HTTP 200 response.
 */
export function jsonControlResponse(value: unknown): LocalResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}
