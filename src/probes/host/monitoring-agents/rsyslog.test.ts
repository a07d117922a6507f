import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { parseRsyslogForwards } from './rsyslog.js';

const parse = (name: string, file = `/etc/rsyslog.d/${name}`) => parseRsyslogForwards(fixtureText(`monitoring/rsyslog/${name}`), file);
const brief = (r: ReturnType<typeof parseRsyslogForwards>) => r.outputs.map((o) => [o.type, o.destination, o.remote, o.line]);

describe('parseRsyslogForwards', () => {
  it('Debian 12 stock rsyslog.conf (real file): local files only, no forwarding', () => {
    expect(parse('debian12-default.rsyslog.conf', '/etc/rsyslog.conf')).toEqual({ outputs: [], problems: [] });
  });

  it('legacy selector actions: @@ TCP, @ UDP with the default port, & continuation with (o) and IPv6; comments ignored', () => {
    expect(brief(parse('forward-legacy.conf'))).toEqual([
      ['omfwd/tcp', 'logs.example.net:514', true, 5],
      ['omfwd/udp', '10.20.0.5:514', true, 8],
      ['omfwd/tcp', '[2001:db8::10]:6514', true, 11],
    ]);
  });

  it('RainerScript actions over several lines; omfile and commented-out actions are not forwards; @ inside a template string is ignored', () => {
    expect(brief(parse('forward-rainerscript.conf'))).toEqual([
      ['omfwd/tcp', 'syslog1.example.net:10514', true, 8],
      ['omfwd/udp', 'logs.example.net:514', true, 18],
      ['omfwd/tcp', '10.20.0.7:5514', true, 21],
    ]);
  });

  it("the Azure Monitor Agent's own file forwards to 127.0.0.1:28330: local, and said so", () => {
    const r = parse('10-azuremonitoragent-omfwd.conf');
    expect(r.outputs).toEqual([
      {
        type: 'omfwd/tcp',
        destination: '127.0.0.1:28330',
        remote: false,
        file: '/etc/rsyslog.d/10-azuremonitoragent-omfwd.conf',
        line: 6,
        note: 'forwards to the local Azure Monitor Agent',
      },
    ]);
  });

  it('the pre-1.28 agent file (omuxsock to a Unix socket) is local', () => {
    const r = parse('ama-legacy-omuxsock.conf', '/etc/rsyslog.d/10-azuremonitoragent.conf');
    expect(r.outputs).toEqual([
      {
        type: 'omuxsock',
        destination: '/run/azuremonitoragent/default_syslog.socket',
        remote: false,
        file: '/etc/rsyslog.d/10-azuremonitoragent.conf',
        line: 7,
        note: 'forwards to the local Azure Monitor Agent',
      },
    ]);
  });

  it.each([
    ['target pool (rsyslog 8.2406+)', 'action(type="omfwd" target=["a.example.net", "b.example.net"] port="6514" protocol="tcp")', [['omfwd/tcp', 'a.example.net:6514', true, 1], ['omfwd/tcp', 'b.example.net:6514', true, 1]]],
    ['omrelp module', 'action(type="omrelp" target="relp.example.net" port="2514")', [['omrelp', 'relp.example.net:2514', true, 1]]],
    ['omhttp module', '*.* action(type="omhttp" server="logs-api.example.net" serverport="443")', [['omhttp', 'logs-api.example.net:443', true, 1]]],
    ['legacy :omrelp:', '*.* :omrelp:relp.example.net:2514', [['omrelp', 'relp.example.net:2514', true, 1]]],
    ['legacy to localhost', '*.* @@localhost:5140', [['omfwd/tcp', 'localhost:5140', false, 1]]],
    ['if ... then', "if $programname == 'teams-bot' then @@bot-logs.example.net", [['omfwd/tcp', 'bot-logs.example.net:514', true, 1]]],
    ['an e-mail address in a legacy template is not a forward', '$template Mail,"ops@example.net %msg%"\n*.* /var/log/x.log;Mail', []],
    ['a # inside a quoted string is not a comment', 'action(type="omfwd" template="a#b" target="logs.example.net")', [['omfwd/udp', 'logs.example.net:514', true, 1]]],
  ])('%s', (_name, text, expected) => {
    expect(brief(parseRsyslogForwards(text, '/etc/rsyslog.d/x.conf'))).toEqual(expected);
  });

  it('an omfwd action without a target, or an unclosed action(, is reported as a problem', () => {
    expect(parseRsyslogForwards('action(type="omfwd" port="514")', '/etc/rsyslog.d/x.conf').problems).toEqual([
      '/etc/rsyslog.d/x.conf:1: action(type="omfwd") without target=',
    ]);
    expect(parseRsyslogForwards('\naction(type="omfwd" target="x"', '/etc/rsyslog.d/x.conf').problems).toEqual([
      '/etc/rsyslog.d/x.conf:2: action( without a closing parenthesis',
    ]);
  });
});
