import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventoryHosts } from '../../src/inventory/hosts.js';
import { applyLimit } from '../../src/inventory/limit.js';
import { expandHostPattern, hostGroups, hostVars, parseInventory } from '../../src/inventory/parse.js';

const FIX = join(import.meta.dirname, '../fixtures/inventory');
const load = (name: string) => parseInventory(readFileSync(join(FIX, name), 'utf8'), name);
const groupsOf = async (name: string, host: string) => hostGroups(await load(name), host).map((g) => g.name).sort();

describe("Ansible's own sample inventories parse", () => {
  it('examples/hosts: ungrouped hosts, groups, ranges with and without a beginning', async () => {
    const inv = await load('ansible-examples-hosts.ini');
    const hosts = [...inv.hosts.keys()];
    expect(hosts).toContain('green.bikeshed.org');
    expect(hosts.filter((h) => h.startsWith('mail'))).toEqual(['mail0.example.com', 'mail1.example.com', 'mail2.example.com', 'mail3.example.com', 'mail4.example.com', 'mail5.example.com']);
    expect(hosts.filter((h) => h.startsWith('www') && h.endsWith('example.com'))).toEqual(['www001.example.com', 'www002.example.com', 'www003.example.com', 'www004.example.com', 'www005.example.com', 'www006.example.com']);
    expect(hosts).toEqual(expect.arrayContaining(['db-99-node.example.com', 'db-100-node.example.com', 'db-101-node.example.com']));
    expect(await groupsOf('ansible-examples-hosts.ini', 'myserver.com')).toEqual(['all', 'dbservers', 'webservers']);
    expect(await groupsOf('ansible-examples-hosts.ini', 'bikeshed.org')).toEqual(['all', 'ungrouped']);
  });

  it('the basic inventory reads the same from INI and YAML', async () => {
    const ini = await load('docs-basic.ini');
    const yaml = await load('docs-basic.yaml');
    expect([...yaml.hosts.keys()]).toEqual([...ini.hosts.keys()]);
    for (const h of ini.hosts.keys()) expect(await groupsOf('docs-basic.yaml', h)).toEqual(await groupsOf('docs-basic.ini', h));
    expect(await groupsOf('docs-basic.ini', 'mail.example.com')).toEqual(['all', 'ungrouped']);
  });

  it('children: a host of a child group belongs to the parent', async () => {
    expect(await groupsOf('docs-parent-groups.yaml', 'one.example.com')).toEqual(['all', 'dbservers', 'east', 'prod']);
    expect(await groupsOf('docs-children-vars.ini', 'host2')).toEqual(['all', 'atlanta', 'raleigh', 'southeast', 'usa']);
    expect(await groupsOf('docs-children-vars.yaml', 'host2')).toEqual(['all', 'atlanta', 'raleigh', 'southeast', 'usa']);
  });

  it('group vars: [group:vars] values are strings, YAML keeps types; both reach the hosts of child groups', async () => {
    expect(hostVars(await load('docs-children-vars.ini'), 'host3')).toMatchObject({ some_server: 'foo.southeast.example.com', escape_pods: '2' });
    expect(hostVars(await load('docs-children-vars.yaml'), 'host3')).toMatchObject({ some_server: 'foo.southeast.example.com', escape_pods: 2 });
  });

  it('host vars, host:port and aliases', async () => {
    const inv = await load('docs-host-vars.ini');
    expect(hostVars(inv, 'host1')).toEqual({ http_port: 80, maxRequestsPerChild: 808 });
    expect(hostVars(inv, 'badwolf.example.com')).toEqual({ ansible_port: 5309 });
    expect(hostVars(inv, 'jumper')).toEqual({ ansible_port: 5555, ansible_host: '192.0.2.50' });
    expect(hostVars(await load('docs-host-vars.yaml'), 'jumper')).toEqual({ ansible_port: 5555, ansible_host: '192.0.2.50' });
  });

  it('ranges: stride and letters', async () => {
    const inv = await load('docs-ranges.ini');
    const hosts = [...inv.hosts.keys()];
    expect(hosts.slice(0, 3)).toEqual(['www01.example.com', 'www03.example.com', 'www05.example.com']);
    expect(hosts).toContain('www49.example.com');
    expect(hosts).not.toContain('www50.example.com');
    expect(hosts.filter((h) => h.startsWith('db-'))).toEqual(['db-a.example.com', 'db-b.example.com', 'db-c.example.com', 'db-d.example.com', 'db-e.example.com', 'db-f.example.com']);
    expect(expandHostPattern('web[01:20].example.com', 'x')).toHaveLength(20);
  });

  it('behavioral parameters become the connection', async () => {
    const hosts = await loadInventoryHosts(join(FIX, 'docs-behavioral.ini'), undefined);
    expect(hosts.find((h) => h.name === 'some_host')).toMatchObject({ connection: 'ssh', address: 'some_host', port: 2222, user: 'manager' });
    expect(hosts.find((h) => h.name === 'aws_host')).toMatchObject({ identityFile: '/home/example/.ssh/aws.pem' });
    const local = await loadInventoryHosts(join(FIX, 'docs-host-vars.ini'), 'targets');
    expect(local.map((h) => [h.name, h.connection, h.user])).toEqual([['localhost', 'local', undefined], ['other1.example.com', 'ssh', 'myuser'], ['other2.example.com', 'ssh', 'myotheruser']]);
  });
});

describe('--limit patterns', () => {
  const cases: [string, string[]][] = [
    ['webservers', ['foo.example.com', 'bar.example.com']],
    ['webservers:dbservers', ['foo.example.com', 'bar.example.com', 'one.example.com', 'two.example.com', 'three.example.com']],
    ['webservers,dbservers', ['foo.example.com', 'bar.example.com', 'one.example.com', 'two.example.com', 'three.example.com']],
    ['dbservers:&east', ['one.example.com', 'two.example.com']],
    ['prod:!dbservers', ['foo.example.com']],
    ['all:!prod', ['mail.example.com', 'bar.example.com', 'three.example.com']],
    ['*.example.com:&west', ['bar.example.com', 'three.example.com']],
    ['t*o.example.com', ['two.example.com']],
    ['~(one|three)\\.example', ['one.example.com', 'three.example.com']],
    ['mail.example.com', ['mail.example.com']],
    ['ungrouped', ['mail.example.com']],
    ['!east', ['mail.example.com', 'bar.example.com', 'three.example.com']],
  ];
  it.each(cases)('%s', async (pattern, want) => {
    expect(applyLimit(await load('docs-parent-groups.yaml'), pattern)).toEqual(want);
  });
  it('a term that matches nothing is an error naming it', async () => {
    const inv = await load('docs-parent-groups.yaml');
    expect(() => applyLimit(inv, 'webservrs')).toThrow(/"webservrs" matches no host or group/);
  });
});

describe('unknown syntax is an error naming file:line', () => {
  const cases: [string, string, RegExp][] = [
    ['bad.ini', 'a\n[web\nb\n', /^bad\.ini:2: invalid section header/],
    ['bad.ini', '[web:hosts]\nb\n', /^bad\.ini:1: unknown section type ":hosts"/],
    ['bad.ini', '[web:vars]\nnot a pair\n', /^bad\.ini:2: expected key=value/],
    ['bad.ini', '[web]\nhost1 port\n', /^bad\.ini:2: expected key=value after the host name/],
    ['bad.ini', '[web]\nweb[1:x].example.com\n', /^bad\.ini:2: invalid host range/],
    ['bad.ini', '[web]\nh1 a="unterminated\n', /^bad\.ini:2: unterminated quote/],
    ['bad.yaml', 'all:\n  hosts:\n    h1:\n  host_vars:\n    x: 1\n', /^bad\.yaml:4: group "all": unknown key "host_vars"/],
    ['bad.yaml', 'web:\n  hosts: [a, b]\n', /^bad\.yaml:2: group "web": hosts must be a mapping/],
    ['bad.yaml', 'web:\n  hosts:\n    a: [1]\n', /^bad\.yaml:3: host "a": variables must be a mapping/],
    ['bad.yaml', 'web:\n  hosts:\n   a:\n  - b\n', /^bad\.yaml:\d+: YAML: /],
  ];
  it.each(cases)('%s %j', async (file, text, want) => {
    await expect(parseInventory(text, file)).rejects.toThrow(want);
  });
  it('an unknown predeploy_ setting names the host and line', async () => {
    const inv = await parseInventory('[web]\nh1 predeploy_rot=/srv\n', 'inv.ini');
    const { fleetHost } = await import('../../src/inventory/hosts.js');
    expect(() => fleetHost(inv, 'h1')).toThrow(/^inv\.ini:2: host h1: unknown setting predeploy_rot/);
  });
  it('ssh arguments outside the allowlist are refused', async () => {
    const inv = await parseInventory("[web]\nh1 ansible_ssh_common_args='-o StrictHostKeyChecking=no'\n", 'inv.ini');
    const { fleetHost } = await import('../../src/inventory/hosts.js');
    expect(() => fleetHost(inv, 'h1')).toThrow(/StrictHostKeyChecking" is not allowed/);
    const ok = await parseInventory("[web]\nh1 ansible_ssh_common_args='-o ProxyJump=bastion -o ServerAliveInterval=5'\n[web:vars]\npredeploy_root=/srv/app\n", 'inv.ini');
    expect(fleetHost(ok, 'h1')).toMatchObject({ sshArgs: ['-o', 'ProxyJump=bastion', '-o', 'ServerAliveInterval=5'], root: '/srv/app' });
  });
});
