// The verdict API every verifier uses (verify/api.ts): pinfo.data.verify, the
// generated field, the error expert on failure and the Info mark.
import { describe, it, expect } from 'vitest';
import { PacketInfo } from '../core/packet.js';
import { Item } from '../core/tree.js';
import { recordVerdict, recordFinding, verdictsOf } from '../verify/api.js';

const pinfo = () => {
  const p = new PacketInfo(7, { tsSec: 0, tsNsec: 0, caplen: 0, origlen: 0, linktype: 1, data: Buffer.alloc(0) });
  p.setInfo('Binding Update seq=1');
  return p;
};

describe('recordVerdict / recordFinding', () => {
  it('a failure: verdict, generated field, error expert verify.<name>, Info mark', () => {
    const p = pinfo();
    const item = new Item(null, 0, 0, null, 'Mobile IPv6');
    recordVerdict(p, 'authenticator', 'fail', { item, message: () => 'does not verify' });
    expect(verdictsOf(p)).toEqual({ authenticator: 'fail' });
    expect(item.find('mip6.verify.authenticator')!.value).toBe('fail');
    expect(item.find('mip6.verify.authenticator')!.generated).toBe(true);
    expect(p.expert).toEqual([{ severity: 'error', id: 'verify.authenticator', message: 'does not verify', group: 'security', frame: 7 }]);
    expect(p.info).toBe('Binding Update seq=1 [authenticator: fail]');
  });
  it('no tree: only the verdict and, on failure, the expert item', () => {
    const p = pinfo();
    recordVerdict(p, 'mh_checksum', 'ok');
    recordVerdict(p, 'cookie_mac', 'unverifiable');
    expect(verdictsOf(p)).toEqual({ mh_checksum: 'ok', cookie_mac: 'unverifiable' });
    expect(p.expert).toEqual([]);
    expect(p.info).toBe('Binding Update seq=1');
  });
  it('two verifiers of one name: fail > ok > unverifiable > not checked', () => {
    const p = pinfo();
    recordVerdict(p, 'authenticator', 'not checked');
    recordVerdict(p, 'authenticator', 'unverifiable');
    expect(verdictsOf(p).authenticator).toBe('unverifiable');
    recordVerdict(p, 'authenticator', 'ok');
    recordVerdict(p, 'authenticator', 'unverifiable');
    expect(verdictsOf(p).authenticator).toBe('ok');
    recordVerdict(p, 'authenticator', 'fail');
    recordVerdict(p, 'authenticator', 'ok');
    expect(verdictsOf(p).authenticator).toBe('fail');
  });
  it('a finding marks Info with its id', () => {
    const p = pinfo();
    recordFinding(p, 'warning', 'seq.replay', 'replay');
    expect(p.expert[0]).toMatchObject({ severity: 'warning', id: 'seq.replay' });
    expect(p.info).toBe('Binding Update seq=1 [seq.replay]');
  });
});
