import { describe, expect, it } from 'vitest';
import { createSnsPublisher, type PublishResult } from '@herald/sns-batch';
import { scriptedSnsClient, TOPIC_ARN } from './scripted-sns-client.js';

// flush() and close() promise that every message has its result when they resolve. A caller
// who attached `.then` to publish() or publishAll() must therefore see those callbacks run
// before the code after `await flush()` / `await close()`.

describe('flush() and close() resolve after the publish() promises they wait for', () => {
  it('close(): callbacks on publish() and publishAll() have run when close() resolves', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, lingerMs: 60_000 });
    const seen: string[] = [];
    for (const id of ['a', 'b', 'c']) {
      void publisher.publish({ id, Message: `body ${id}` }).then((result) => seen.push(result.id));
    }
    void publisher
      .publishAll([{ id: 'd', Message: 'body d' }, { id: 'e', Message: 'body e' }])
      .then((results: PublishResult[]) => seen.push(...results.map((result) => result.id)));

    await publisher.close();

    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sns.requests).toHaveLength(1);
  });

  it('flush(): callbacks on messages published before the call have run when it resolves', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, lingerMs: 60_000 });
    const seen: string[] = [];
    void publisher.publish({ id: 'a', Message: 'body a' }).then((result) => seen.push(result.id));

    await publisher.flush();
    expect(seen).toEqual(['a']);

    void publisher.publish({ id: 'b', Message: 'body b' }).then((result) => seen.push(result.id));
    await publisher.close();
    expect(seen).toEqual(['a', 'b']);
  });

  it('a local rejection settles before flush() resolves too', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN });
    const seen: string[] = [];
    void publisher.publish({ id: 'empty', Message: '' }).then((result) => seen.push(`${result.id}:${result.status}`));
    await publisher.flush();
    expect(seen).toEqual(['empty:failed']);
    await publisher.close();
    expect(sns.requests).toHaveLength(0);
  });
});
