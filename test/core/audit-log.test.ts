// The audit log loses no entry because of another entry's content (NUL bytes, lone surrogates, huge
// values), and a write that fails is kept, retried and reported (log + metric), never dropped silently.
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MAX_AUDIT_DETAIL, MAX_AUDIT_FIELD } from '../../main/core/store/audit-log.ts';
import { AuditTrail } from '../../main/core/telemetry/audit-trail.ts';
import { createLogger } from '../../main/core/telemetry/logger.ts';
import { createMetrics } from '../../main/core/telemetry/metrics.ts';
import { freshStoreEachTest, storeKinds } from '../support/databases.ts';
import { eventually } from '../support/gateway.ts';

function capturedLogger() {
  const lines: { msg: string; level: number }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe.each(storeKinds)('audit log on $kind', ({ fresh }) => {
  const t = freshStoreEachTest(fresh);

  it('keeps every entry of a batch when one carries a NUL byte, a lone surrogate or a huge value', async () => {
    const { logger } = capturedLogger();
    const trail = new AuditTrail({ repository: t.store.auditLog, logger, retentionDays: 90 });
    const call = (target: string, detail?: string) =>
      trail.record({ actorKind: 'client', actor: 'agent', action: 'tool.call', server: 'ehttp', target, outcome: 'error', durationMs: 1, detail });
    for (let i = 0; i < 150; i += 1) call(`tool${i}`);
    call('x\u0000');
    call('lone\uD800surrogate', 'bad \uDC00 detail');
    call('big', 'd'.repeat(100_000));
    trail.record({ actorKind: 'user', actor: 'admin\u0000', action: `POST /servers/${'p'.repeat(5_000)}`, outcome: 'ok', durationMs: Number.NaN });
    for (let i = 150; i < 199; i += 1) call(`tool${i}`);
    await trail.flush();

    const entries = await trail.query({ limit: 1000 });
    expect(entries).toHaveLength(203);
    expect(entries.filter((e) => e.target?.startsWith('tool'))).toHaveLength(199);
    expect(entries.find((e) => e.target === 'x\\u0000')).toBeDefined();
    expect(entries.find((e) => e.target === 'lone\uFFFDsurrogate')?.detail).toBe('bad \uFFFD detail');
    expect(entries.find((e) => e.target === 'big')?.detail).toHaveLength(MAX_AUDIT_DETAIL);
    const admin = entries.find((e) => e.actorKind === 'user')!;
    expect(admin.actor).toBe('admin\\u0000');
    expect(admin.action).toHaveLength(MAX_AUDIT_FIELD);
    expect(admin.action.endsWith('…')).toBe(true);
    await trail.stop();
  });

  it('keeps entries a write could not store, says so, and writes them once the database accepts them again', async () => {
    const { logger, lines } = capturedLogger();
    const failures: number[] = [];
    const trail = new AuditTrail({ repository: t.store.auditLog, logger, retentionDays: 90, onWriteFailure: (n) => failures.push(n) });
    // A real refusal by the database: the table is gone for a while.
    await sql`alter table audit_log rename to audit_log_away`.execute(t.store.db);
    for (let i = 0; i < 3; i += 1) trail.record({ actorKind: 'client', actor: 'agent', action: 'tool.call', target: `t${i}`, outcome: 'ok', durationMs: 1 });
    await trail.flush();
    expect(failures).toEqual([3]);
    expect(lines.some((l) => l.level === 50 && l.msg.includes('could not write audit entries'))).toBe(true);

    await sql`alter table audit_log_away rename to audit_log`.execute(t.store.db);
    const rows = await eventually(async () => {
      const found = await t.store.auditLog.query({ limit: 10 });
      return found.length === 3 ? found : undefined;
    }, 10_000, 'the retried audit entries');
    expect(rows.map((e) => e.target)).toEqual(['t2', 't1', 't0']);
    expect(lines.some((l) => l.msg === 'audit entries are written again')).toBe(true);
    await trail.stop();
  });
});

describe('audit write metrics', () => {
  it('counts failed and dropped audit entries for Prometheus', async () => {
    const metrics = createMetrics({ version: 'test', env: {}, sources: { openSessions: () => 0, upstreams: () => [] } });
    metrics.auditWriteFailed(3);
    metrics.auditDropped(1);
    const text = await metrics.prometheusText();
    expect(text).toMatch(/^canopy_audit_write_failures_total{[^}]*} 3$/m);
    expect(text).toMatch(/^canopy_audit_entries_dropped_total{[^}]*} 1$/m);
    await metrics.shutdown();
  });
});
