import { describe, expect, it } from 'vitest';
import { AttentionNotices, type NoticeServer } from '../../main/desktop/tray/attention-notices.ts';

const server = (status: NoticeServer['state']['status'], crashes = 0, enabled = true, name = 'github'): NoticeServer => ({
  name,
  enabled,
  state: { status, crashes, since: '2026-01-01T00:00:00Z', ...(status === 'running' ? {} : { lastError: `${name} broke` }) },
});

describe('attention notices', () => {
  it('a crashing server notifies once across its retries, not per retry', () => {
    const notices = new AttentionNotices();
    expect(notices.next([server('crashed', 1)])).toEqual([]);
    const first = notices.next([server('crashed', 2)]);
    expect(first).toEqual([{ server: 'github', title: 'github keeps crashing', body: 'github broke', route: '/servers/github' }]);
    for (const state of [server('starting', 2), server('crashed', 3), server('starting', 3), server('crashed', 4), server('error', 5)]) {
      expect(notices.next([state])).toEqual([]);
    }
  });

  it('a new episode after the server ran again, was disabled or removed notifies again', () => {
    const notices = new AttentionNotices();
    expect(notices.next([server('error')])).toHaveLength(1);
    notices.next([server('running')]);
    expect(notices.next([server('error')])).toHaveLength(1);
    notices.next([server('error', 0, false)]);
    expect(notices.next([server('error')])).toHaveLength(1);
    notices.next([]);
    expect(notices.next([server('error')])).toHaveLength(1);
  });

  it('needing authorization is its own notice, and each server counts alone', () => {
    const notices = new AttentionNotices();
    const raised = notices.next([server('needs_authorization', 0, true, 'linear'), server('crashed', 2, true, 'memory'), server('running', 0, true, 'files')]);
    expect(raised.map((notice) => notice.title)).toEqual(['linear needs authorization', 'memory keeps crashing']);
    expect(raised[0].route).toBe('/servers/linear');
    expect(notices.next([server('needs_authorization', 0, true, 'linear'), server('error', 5, true, 'memory')])).toEqual([]);
  });

  it('a disabled server never notifies', () => {
    expect(new AttentionNotices().next([server('error', 5, false)])).toEqual([]);
  });
});
