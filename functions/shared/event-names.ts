/**
 * The EventBridge source every Verdict event carries (domain events and the weekly digest). Plain data,
 * so the stack grants `events:PutEvents` for it without loading the EventBridge client.
 */
export const EVENT_SOURCE = 'verdict';
