import { test, expect } from 'vitest';
import { SshLab } from '../servers/sshd.js';
import { SshTarget } from '../../src/targets/ssh.js';
test('smoke', async () => {
  const lab = new SshLab();
  const h = await lab.start('a');
  lab.trust(h.port, h.hostKeyPub);
  const t = new SshTarget({ name: 'a', host: '127.0.0.1', port: h.port, user: 'root', controlDir: lab.dir, connectTimeoutS: 5, configFile: lab.configFile });
  console.log(await t.connect());
  console.log(await t.exec(['id', '-u'], { timeoutMs: 5000, maxOutputBytes: 10000 }));
  console.log(await t.exec(['sshd', '-T', '-f', '/nonexist'], { timeoutMs: 5000, maxOutputBytes: 10000 }));
  console.log(await t.stat('/etc/passwd'), await t.readDir('/etc/ssh'), (await t.readFile('/etc/hostname', 100))?.toString());
  console.log(await t.stat('/nonexist'), await t.readDir('/etc/passwd'));
  await t.close();
  await lab.close();
});
