import { describe, expect, it } from 'vitest';
import { escapeUndeliverable, parseLogLine } from '../src/parse-log-line.js';

describe('parseLogLine', () => {
  it('reads combined log format', () => {
    const line = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 503 2326 "http://x/" "Mozilla/4.08"';
    expect(parseLogLine(line)).toEqual({ parsed: true, format: 'clf', status: 503, method: 'GET' });
  });

  it('reads common log format with a missing size and an odd request', () => {
    expect(parseLogLine('::1 - - [10/Oct/2000:13:55:36 -0700] "-" 408 -')).toEqual({ parsed: true, format: 'clf', status: 408 });
  });

  it('reads an Application Load Balancer access log line', () => {
    const line =
      'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 502 502 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2';
    expect(parseLogLine(line)).toEqual({ parsed: true, format: 'alb', status: 502, method: 'GET' });
  });

  it('reads JSON lines with several spellings of the status', () => {
    expect(parseLogLine('{"level":"info","statusCode":201,"method":"post"}')).toEqual({ parsed: true, format: 'json', status: 201, method: 'POST' });
    expect(parseLogLine('{"status":"500"}')).toEqual({ parsed: true, format: 'json', status: 500 });
    expect(parseLogLine('{"msg":"no status here"}')).toEqual({ parsed: true, format: 'json' });
    expect(parseLogLine('{"status": 99999}')).toEqual({ parsed: true, format: 'json' });
  });

  it('reads logfmt', () => {
    expect(parseLogLine('time=2026-01-01T00:00:00Z method=GET path=/x status=504 dur=1.2')).toEqual({ parsed: true, format: 'logfmt', status: 504, method: 'GET' });
    expect(parseLogLine('level=warn status="404"')).toEqual({ parsed: true, format: 'logfmt', status: 404 });
  });

  it('reports anything else as not parsed', () => {
    expect(parseLogLine('[notice] worker process exited')).toEqual({ parsed: false });
    expect(parseLogLine('{not json')).toEqual({ parsed: false });
    expect(parseLogLine('[1,2,3]')).toEqual({ parsed: false });
    expect(parseLogLine('mystatus=500')).toEqual({ parsed: false });
  });
});

describe('escapeUndeliverable', () => {
  it('escapes control characters SQS refuses and keeps everything else', () => {
    expect(escapeUndeliverable('\u001b[31mERROR\u001b[0m')).toBe('\\u001b[31mERROR\\u001b[0m');
    expect(escapeUndeliverable('a\tb\r\nc € 😀')).toBe('a\tb\r\nc € 😀');
    expect(escapeUndeliverable('nul\u0000')).toBe('nul\\u0000');
  });
});
