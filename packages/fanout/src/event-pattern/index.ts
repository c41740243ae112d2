export type { EventPattern, EventPatternAnythingBut, EventPatternCondition, EventPatternMatchValue } from './event-pattern-types.js';
export { compileEventPattern, matchesEventPattern } from './compile-event-pattern.js';
export { validateEventPattern } from './validate-event-pattern.js';
export { InvalidEventPatternError } from './invalid-event-pattern-error.js';
export { InvalidEventError } from './invalid-event-error.js';
