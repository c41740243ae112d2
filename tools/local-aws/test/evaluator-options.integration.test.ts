import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalAwsConfigError, loadEvaluatorOptions, startLocalAws } from '../src/index.js';
import { parseCliArguments } from '../src/cli-arguments.js';
import { makeClients } from './sdk-clients.js';

const dir = mkdtempSync(join(tmpdir(), 'local-aws-evaluators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes an ES module into the temp folder and returns its path. */
function moduleFile(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

describe('evaluators for local-aws', () => {
  it('--evaluators names the module on the command line', () => {
    expect(parseCliArguments(['--evaluators', 'packages/fanout/dist/index.js'])).toMatchObject({
      kind: 'start',
      evaluators: 'packages/fanout/dist/index.js',
    });
    expect(parseCliArguments([])).not.toHaveProperty('evaluators');
  });

  it('refuses a module that cannot be loaded, or lacks one of the three functions, saying which', async () => {
    await expect(loadEvaluatorOptions(join(dir, 'absent.mjs'))).rejects.toThrow(LocalAwsConfigError);
    const partial = moduleFile('partial.mjs', 'export const matchesFilterPolicy = () => true; export const matchesEventPattern = 1;');
    await expect(loadEvaluatorOptions(partial)).rejects.toThrow(/does not export matchesEventPattern, validateEventPattern as functions/);
  });

  it('makes the loaded evaluators decide SNS delivery and EventBridge pattern checks', async () => {
    const path = moduleFile(
      'evaluators.mjs',
      [
        // Delivers exactly the messages whose body equals the policy's only key, whatever fauxqs would say.
        'export const matchesFilterPolicy = (policy, message, { scope }) => scope === "MessageBody" && Object.keys(JSON.parse(policy))[0] === message.body;',
        'export const matchesEventPattern = () => true;',
        'export const validateEventPattern = (pattern) => ({ problems: pattern.bad ? [{ message: "bad pattern" }] : [] });',
      ].join('\n'),
    );
    const options = await loadEvaluatorOptions(path);
    expect(options.eventPatternValidator({ bad: true })).toBe('bad pattern');
    expect(options.eventPatternValidator({})).toBeUndefined();

    const local = await startLocalAws({ dynamodb: false, ...options });
    const clients = makeClients(local.endpoint);
    try {
      const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: 'evaluators' }));
      const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'evaluators' }));
      const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      await clients.sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: Attributes?.['QueueArn'],
          Attributes: { RawMessageDelivery: 'true', FilterPolicyScope: 'MessageBody', FilterPolicy: '{"wanted":["x"]}' },
        }),
      );
      for (const body of ['unwanted', 'wanted']) await clients.sns.send(new PublishCommand({ TopicArn, Message: body }));
      const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      expect(Messages.map((message) => message.Body)).toEqual(['wanted']);
    } finally {
      clients.destroy();
      await local.stop();
    }
  });
});
