// Starting `archivedesk serve` on a data folder with the built UI, as the clerk's browser meets it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repo = resolve(__dirname, '..', '..');

export function binary(): string {
  if (process.env.ARCHIVEDESK_BIN) return process.env.ARCHIVEDESK_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(repo, 'target');
  const bin = join(target, 'release', 'archivedesk');
  if (!existsSync(bin)) throw new Error(`archivedesk not built: ${bin} (cargo build --release -p archivedesk)`);
  return bin;
}

export function uiDir(): string {
  const ui = join(repo, 'ui', 'dist');
  if (!existsSync(join(ui, 'index.html'))) throw new Error(`UI not built: ${ui} (npm run build in ui/)`);
  return ui;
}

export interface Server {
  /// The URL printed on the first line, with the token in it.
  url: string;
  process: ChildProcess;
}

/// `serve` on `data`; with `peerDoor`, other archives' door beside it (its address is printed
/// on the line after the URL).
export async function startServer(data: string, peerDoor?: string): Promise<Server> {
  const args = ['--data-dir', data, 'serve', '--listen', '127.0.0.1:0', '--ui', uiDir()];
  if (peerDoor) args.push('--peer-door', peerDoor);
  const server = spawn(binary(), args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url: string = await new Promise((ok, fail) => {
    const lines = createInterface({ input: server.stdout! });
    const said: string[] = [];
    lines.on('line', (line) => {
      said.push(line.trim());
      if (said.length === (peerDoor ? 2 : 1)) ok(said[0]);
    });
    server.once('exit', (code) => fail(new Error(`archivedesk serve exited with ${code}`)));
  });
  return { url, process: server };
}

/// Stops the server and waits for it to exit: on SIGTERM it closes the archive (its journal
/// chained, its trail anchored) before it ends, so its folder is in use until then.
export async function stopServer(server: Server): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const exited = new Promise<void>((done) => server.process.once('exit', () => done()));
  server.process.kill();
  await exited;
}
