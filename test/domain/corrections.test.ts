import { describe, expect, it } from 'vitest';
import { assigned, base, created, given, registered } from '../support/given.ts';

const rumor = { ...assigned('2026-03-05', 'r9', 'hao', 'qwen', 'Head of post-training'), metadata: { confidence: 'RUMORED' as const, actor: 'test' } };
const org = [created('2026-01-01', 'qwen'), registered('2026-03-04', 'hao'), rumor];

describe('a recorded fact', () => {
  it('is confirmed by a new event in its own stream, effective when the fact was', () => {
    const [event] = given(...org)
      .when({ ...base('2026-06-01'), type: 'ConfirmEvent', eventId: rumor.eventId })
      .then({ type: 'EventConfirmed', stream: 'person-hao', data: { eventId: rumor.eventId } });
    expect(event!.occurredAt).toEqual(rumor.occurredAt);
    expect(event!.metadata.confidence).toBe('CONFIRMED');
  });

  it('is retracted with a reason', () => {
    given(...org)
      .when({ ...base('2026-06-01'), type: 'RetractEvent', eventId: rumor.eventId, reason: 'denied by the company' })
      .then({ type: 'EventRetracted', stream: 'person-hao', data: { eventId: rumor.eventId, reason: 'denied by the company' } });
  });

  it('cannot be corrected when unknown, malformed, or a correction itself', () => {
    given(...org).when({ ...base('2026-06-01'), type: 'ConfirmEvent', eventId: '00000000-0000-4000-8000-999999999999' }).thenRefuses('NOT_FOUND', ['eventId']);
    given(...org).when({ ...base('2026-06-01'), type: 'ConfirmEvent', eventId: 'not-a-uuid' }).thenRefuses('VALIDATION', ['eventId']);
  });

  it('cannot have its registration retracted while roles rest on it', () => {
    given(...org).when({ ...base('2026-06-01'), type: 'RetractEvent', eventId: org[1]!.eventId, reason: 'x' }).thenRefuses('ILLEGAL_STATE', ['eventId'], /retract those first/);
  });
});

describe('a retracted fact', () => {
  it('cannot be retracted or confirmed again', () => {
    const retraction = { ...rumor, type: 'EventRetracted', data: { eventId: rumor.eventId, reason: 'false' }, eventId: '00000000-0000-4000-8000-000000000abc' } as never;
    given(...org, retraction).when({ ...base('2026-06-02'), type: 'RetractEvent', eventId: rumor.eventId, reason: 'again' }).thenRefuses('ILLEGAL_STATE');
    given(...org, retraction).when({ ...base('2026-06-02'), type: 'ConfirmEvent', eventId: rumor.eventId }).thenRefuses('ILLEGAL_STATE');
  });

  it('no longer counts: the role it described is not held, so it cannot be ended', () => {
    const retraction = { ...rumor, type: 'EventRetracted', data: { eventId: rumor.eventId, reason: 'false' }, eventId: '00000000-0000-4000-8000-000000000abd' } as never;
    given(...org, retraction).when({ ...base('2026-06-02'), type: 'EndRole', person: 'hao', unit: 'qwen', title: null, reason: null }).thenRefuses('ILLEGAL_STATE');
  });
});
