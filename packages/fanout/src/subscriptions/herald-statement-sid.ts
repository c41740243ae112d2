/**
 * The Sid of the one queue-policy statement Herald writes and owns: it allows `sqs:SendMessage`
 * from `sns.amazonaws.com` for every topic subscribed with `subscribeQueue`. Leave statements
 * with this Sid to Herald; `subscribeQueue` refuses to edit one it did not write.
 */
export const HERALD_QUEUE_POLICY_SID = 'HeraldSnsTopicsSendMessage';
