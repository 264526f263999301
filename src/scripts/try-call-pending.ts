/** Marks a Try a call form whose Decide was pressed before its script had loaded: it decides once it has. */
export const DECIDE_PENDING = 'data-decide-pending';
