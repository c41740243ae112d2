import { describe, expect, it } from 'vitest';
import { queueArnFromUrl } from '../../src/subscriptions/queue-url-arn.js';

describe('queueArnFromUrl', () => {
  it.each([
    ['https://sqs.us-east-2.amazonaws.com/123456789012/orders', 'arn:aws:sqs:us-east-2:123456789012:orders'],
    ['https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo', 'arn:aws:sqs:eu-west-1:123456789012:orders.fifo'],
    ['https://sqs-fips.us-west-2.amazonaws.com/123456789012/orders', 'arn:aws:sqs:us-west-2:123456789012:orders'],
    ['https://sqs.us-east-1.api.aws/123456789012/orders', 'arn:aws:sqs:us-east-1:123456789012:orders'],
    ['https://sqs.cn-north-1.amazonaws.com.cn/123456789012/orders', 'arn:aws-cn:sqs:cn-north-1:123456789012:orders'],
    ['https://sqs.us-gov-west-1.amazonaws.com/123456789012/orders', 'arn:aws-us-gov:sqs:us-gov-west-1:123456789012:orders'],
    ['https://ap-southeast-2.queue.amazonaws.com/123456789012/orders', 'arn:aws:sqs:ap-southeast-2:123456789012:orders'],
    ['https://queue.amazonaws.com/123456789012/orders', 'arn:aws:sqs:us-east-1:123456789012:orders'],
  ])('reads the region from an AWS queue URL: %s', (url, arn) => {
    expect(queueArnFromUrl(url, 'sa-east-1')).toBe(arn);
  });

  it('takes the given region for other hosts (local endpoints)', () => {
    expect(queueArnFromUrl('http://127.0.0.1:4566/000000000000/task-1', 'eu-central-1')).toBe('arn:aws:sqs:eu-central-1:000000000000:task-1');
    expect(queueArnFromUrl('http://sqs.us-east-1.localhost:9324/000000000000/task-1', 'eu-central-1')).toBe(
      'arn:aws:sqs:eu-central-1:000000000000:task-1',
    );
    expect(queueArnFromUrl('http://localhost:4566/000000000000/q', 'cn-northwest-1')).toBe('arn:aws-cn:sqs:cn-northwest-1:000000000000:q');
  });

  it.each([
    ['http://127.0.0.1:4566/000000000000/task-1', undefined],
    ['https://sqs.us-east-1.amazonaws.com/orders', 'us-east-1'],
    ['https://sqs.us-east-1.amazonaws.com/123456789012/orders/extra', 'us-east-1'],
    ['https://sqs.us-east-1.amazonaws.com/12345/orders', 'us-east-1'],
    ['https://sqs.us-east-1.amazonaws.com/123456789012/bad:name', 'us-east-1'],
    ['not a url', 'us-east-1'],
  ])('gives undefined when the ARN cannot be known: %s (region %s)', (url, region) => {
    expect(queueArnFromUrl(url, region)).toBeUndefined();
  });
});
