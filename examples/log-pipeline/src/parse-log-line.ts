/**
 * Turns one log line into the facts the pipeline routes on. Four formats are recognised:
 * Apache/nginx common and combined log format, AWS Application Load Balancer access logs,
 * JSON lines and logfmt (`key=value`). Anything else is reported as not parsed, so the
 * caller can still publish it (with `parsed=false`) instead of dropping it.
 */
export type ParsedLogLine =
  | {
      readonly parsed: true;
      readonly format: 'clf' | 'alb' | 'json' | 'logfmt';
      /** HTTP status, when the line has one. */
      readonly status?: number;
      /** HTTP method, when the line has one. */
      readonly method?: string;
    }
  | { readonly parsed: false };

// 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "ref" "agent"
const CLF = /^\S+ \S+ .*?\[[^\]]+\] "([^"]*)" (\d{3}) (?:\d+|-)/;
// https 2018-07-02T22:23:00.186641Z app/my-lb/50dc 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://x:443/ HTTP/1.1" ...
const ALB = /^(?:http|https|h2|grpcs|ws|wss) \S+ \S+ \S+ \S+ \S+ \S+ \S+ (\d{3}|-) (?:\d{3}|-) \d+ \d+ "([^"]*)"/;
const LOGFMT_STATUS = /(?:^|\s)(?:status|status_code|statusCode|http_status)=("?)(\d{3})\1(?=\s|$)/;
const LOGFMT_METHOD = /(?:^|\s)(?:method|http_method)=("?)([A-Za-z]{1,16})\1(?=\s|$)/;
const METHOD = /^[A-Z]{1,16}$/;
const STATUS_KEYS = ['status', 'statusCode', 'status_code', 'httpStatus', 'http_status', 'elb_status_code'];
const METHOD_KEYS = ['method', 'httpMethod', 'http_method', 'request_method'];

function httpStatus(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function methodOfRequest(request: string): string | undefined {
  const method = request.split(' ', 1)[0] ?? '';
  return METHOD.test(method) ? method : undefined;
}

function withOptional(
  format: 'clf' | 'alb' | 'json' | 'logfmt',
  status: number | undefined,
  method: string | undefined,
): ParsedLogLine {
  return {
    parsed: true,
    format,
    ...(status === undefined ? {} : { status }),
    ...(method === undefined ? {} : { method }),
  };
}

function firstOf(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (record[key] !== undefined) return record[key];
  return undefined;
}

function parseJson(line: string): ParsedLogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const rawMethod = firstOf(record, METHOD_KEYS);
  const method = typeof rawMethod === 'string' && METHOD.test(rawMethod.toUpperCase()) ? rawMethod.toUpperCase() : undefined;
  return withOptional('json', httpStatus(firstOf(record, STATUS_KEYS)), method);
}

/** Parses one non-empty log line. */
export function parseLogLine(line: string): ParsedLogLine {
  const clf = CLF.exec(line);
  if (clf) return withOptional('clf', httpStatus(clf[2]), methodOfRequest(clf[1] ?? ''));
  const alb = ALB.exec(line);
  if (alb) return withOptional('alb', httpStatus(alb[1]), methodOfRequest(alb[2] ?? ''));
  const json = parseJson(line);
  if (json) return json;
  const status = LOGFMT_STATUS.exec(line);
  if (status) {
    const method = LOGFMT_METHOD.exec(line)?.[2]?.toUpperCase();
    return withOptional('logfmt', httpStatus(status[2]), method);
  }
  return { parsed: false };
}

// Characters SQS refuses in a message body (and so cannot be delivered from SNS to SQS):
// anything outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
// Lone surrogates never reach here: the UTF-8 decoder has already turned bad bytes into U+FFFD.
const NOT_DELIVERABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * Escapes the characters SQS would refuse (control characters such as terminal colour
 * codes) as `\u00XX` text, so the line can travel SNS → SQS. Returns the line unchanged
 * when there is nothing to escape.
 */
export function escapeUndeliverable(line: string): string {
  return line.replace(NOT_DELIVERABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
