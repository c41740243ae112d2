/** A complete HTTP answer produced by the local endpoint itself or by a backend. */
export interface LocalResponse {
  /** HTTP status code. */
  readonly statusCode: number;
  /** Response headers (lower-case names). `content-length` is set when the response is written. */
  readonly headers: Readonly<Record<string, string>>;
  /** Response body. */
  readonly body: Buffer;
}
