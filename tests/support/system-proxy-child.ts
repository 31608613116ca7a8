// A process that points GNOME's proxy at a local proxy and then waits to be
// killed: the stand-in for an app that dies (SIGKILL, power loss) while connected.
// argv: <journal file> <port>; the environment carries GSETTINGS_BACKEND and XDG_CONFIG_HOME.
import { execFileRunner } from '../../electron/core/system-proxy/command-runner.ts';
import { GnomeGsettings } from '../../electron/core/system-proxy/gnome-gsettings.ts';
import { ProxyJournal } from '../../electron/core/system-proxy/proxy-journal.ts';
import { SystemProxy } from '../../electron/core/system-proxy/system-proxy.ts';

const [journalFile, port] = process.argv.slice(2);
const proxy = new SystemProxy({
  adapter: new GnomeGsettings(execFileRunner()),
  journal: new ProxyJournal(journalFile!),
  onError: (error) => console.error(error),
});
await proxy.sync({ host: '127.0.0.1', port: Number(port) });
console.log(`pointed ${proxy.status.state}`);
setInterval(() => undefined, 60_000);
