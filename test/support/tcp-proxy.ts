import { createServer, type Server, type Socket, connect } from 'node:net';
import { freePort } from './free-port.js';

/**
 * A TCP proxy to `target` on a fixed local port that a test can stop (connections refused, open
 * ones cut) and start again, to take a dependency such as Redis away from one app and give it back,
 * or point at another server, as a load balancer in front of several instances.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private target: { host: string; port: number },
  ) {}

  /** A stopped proxy on a free port. */
  static async reserve(target: { host: string; port: number }): Promise<TcpProxy> {
    return new TcpProxy(await freePort(), target);
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  /** New connections go to `target` (as a load balancer's would); open ones stay where they are. */
  retarget(target: { host: string; port: number }): void {
    this.target = target;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.sockets.forEach((socket) => socket.destroy());
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
