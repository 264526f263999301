/** A reason the guard refuses to start or must end the session; the message is for a person. */
export class GuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardError';
  }
}
