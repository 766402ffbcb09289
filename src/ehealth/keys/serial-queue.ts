// Runs tasks one after the other. A PKCS#11 session is not safe for concurrent use (one operation
// at a time per session, PKCS#11 v2.40 §5.6), and a token signs slowly: callers queue here.
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // A failed task must not block the ones behind it.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
