/**
 * Says what is wrong with an AWS JSON protocol (SQS, DynamoDB) request body, which must be a
 * JSON object (`{}` for an operation without input). fauxqs 1.9.2 answers HTTP 500 to a body
 * that is not (so the SDK would retry it); AWS answers HTTP 400.
 *
 * @param body - The raw request body.
 * @returns `undefined` when the body is a JSON object, else a short description of the problem.
 */
export function jsonObjectBodyProblem(body: Buffer): string | undefined {
  if (body.length === 0) return 'the body is empty';
  if (body[0] === 0x1f && body[1] === 0x8b) return 'the body is gzip-compressed (send it uncompressed)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return `the body is JSON ${parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed}, not an object`;
  }
  return undefined;
}
