import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port on 127.0.0.1. Another process could take it before it is
 * used, so callers that bind it later should be ready to retry.
 *
 * @returns A port number.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('Could not read the port the OS assigned.'))));
    });
  });
}
