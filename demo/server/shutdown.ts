/**
 * Graceful shutdown of a Node HTTP server (the API server's and the demo's): stop taking new
 * connections, answer every request a client already sent, close the database after.
 */
import { Server as NetServer, type Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How long a shutdown waits for requests in flight before it cuts their connections. */
export const SHUTDOWN_DEADLINE_MS = 10_000;
/** During a shutdown, a connection idle this long (and at least one loop turn) is closed. */
const IDLE_SWEEP_MS = 50;

export interface ShutdownReport {
  /** Requests answered after the shutdown began: those in flight and those already sent. */
  answered: number;
  /** Requests still unanswered at the deadline, whose connections were cut. */
  cut: number;
}

/**
 * Stops a server so that no client loses a request it already sent:
 * - Connections already waiting in the listen backlog are still taken (Node accepts one per
 *   turn of the event loop, so a busy server may have dozens waiting); the listener closes at
 *   the first turn that finds none. Closing it at once would reset them.
 * - Every response from now on says `Connection: close`.
 * - A connection is closed once it has been idle for a sweep (at least one turn of the loop,
 *   so a request already in its socket buffer is read and answered first). `http.Server`'s
 *   own `closeIdleConnections()` would close such a connection under its unread request.
 * - At the deadline whatever still runs is cut.
 *
 * Call it right after creating the server (it counts connections and requests from then on);
 * it returns the function that shuts down.
 */
export function gracefulShutdown(server: Server): (deadlineMs: number) => Promise<ShutdownReport> {
  const busy = new Map<Socket, number>();
  const responses = new Set<ServerResponse>();
  let closing = false;
  let accepted = 0;
  let answered = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    busy.set(socket, 0);
    socket.once('close', () => busy.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    if (busy.has(socket)) busy.set(socket, busy.get(socket)! + 1);
    responses.add(res);
    if (closing) res.setHeader('connection', 'close');
    res.once('finish', () => closing && answered++);
    res.once('close', () => {
      responses.delete(res);
      if (busy.has(socket)) busy.set(socket, busy.get(socket)! - 1);
    });
  });
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  return async (deadlineMs) => {
    closing = true;
    for (const res of responses) if (!res.headersSent) res.setHeader('connection', 'close');
    let cut = 0;
    const deadline = Date.now() + deadlineMs;
    // Take what waits in the backlog: stop at the first full turn without a new connection.
    await nextTurn();
    for (let seen = -1; seen !== accepted && Date.now() < deadline;) {
      seen = accepted;
      await nextTurn();
    }
    // net.Server#close: http.Server#close would also close every connection without a request
    // at once, including one accepted a moment ago whose request is not read yet.
    const listenerClosed = new Promise<void>((resolve) =>
      NetServer.prototype.close.call(server, () => resolve()),
    );
    let idleBefore = new Set<Socket>();
    while (busy.size > 0) {
      if (Date.now() >= deadline) {
        for (const [socket, requests] of busy) {
          cut += requests;
          socket.destroy();
        }
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, IDLE_SWEEP_MS));
      const idle = new Set([...busy].filter(([, requests]) => requests === 0).map(([s]) => s));
      for (const socket of idle) if (idleBefore.has(socket)) socket.destroy();
      idleBefore = idle;
    }
    await listenerClosed;
    return { answered, cut };
  };
}
