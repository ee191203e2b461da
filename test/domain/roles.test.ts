import { describe, it } from 'vitest';
import { announced, assigned, base, created, ended, given, registered } from '../support/given.ts';

const org = [created('2026-01-01', 'qwen'), registered('2026-01-01', 'lin'), registered('2026-01-01', 'wu')];

describe('a registered person and an existing unit', () => {
  it('take a role', () => {
    given(...org)
      .when({ ...base('2026-01-02'), type: 'AssignRole', person: 'lin', unit: 'qwen', title: 'Technical lead', reportsTo: 'wu' })
      .then({ type: 'RoleAssigned', stream: 'person-lin', data: { person: 'lin', unit: 'qwen', title: 'Technical lead', reportsTo: 'wu' } });
  });

  it('refuse an unknown person, unit or manager', () => {
    given(...org).when({ ...base('2026-01-02'), type: 'AssignRole', person: 'nobody', unit: 'qwen', title: 'X', reportsTo: null }).thenRefuses('NOT_FOUND', ['person']);
    given(...org).when({ ...base('2026-01-02'), type: 'AssignRole', person: 'lin', unit: 'nowhere', title: 'X', reportsTo: null }).thenRefuses('NOT_FOUND', ['unit']);
    given(...org).when({ ...base('2026-01-02'), type: 'AssignRole', person: 'lin', unit: 'qwen', title: 'X', reportsTo: 'ghost' }).thenRefuses('NOT_FOUND', ['reportsTo']);
  });

  it('refuse a role that reports to its own holder (no one reports to themselves)', () => {
    given(...org).when({ ...base('2026-01-02'), type: 'AssignRole', person: 'lin', unit: 'qwen', title: 'X', reportsTo: 'lin' }).thenRefuses('CYCLE', ['reportsTo']);
  });

  it('refuse a title longer than 200 characters', () => {
    given(...org).when({ ...base('2026-01-02'), type: 'AssignRole', person: 'lin', unit: 'qwen', title: 't'.repeat(201), reportsTo: null }).thenRefuses('VALIDATION', ['title']);
  });

  it('refuse a role before the person is registered', () => {
    given(...org).when({ ...base('2025-12-01'), type: 'AssignRole', person: 'lin', unit: 'qwen', title: 'X', reportsTo: null }).thenRefuses('ILLEGAL_STATE', ['person']);
  });
});

describe('a held role', () => {
  const holding = [...org, assigned('2026-01-02', 'r1', 'lin', 'qwen', 'Technical lead')];

  it('can have a departure announced, then end', () => {
    given(...holding)
      .when({ ...base('2026-03-04'), type: 'AnnounceDeparture', person: 'lin', unit: 'qwen', title: null })
      .then({ type: 'DepartureAnnounced', stream: 'person-lin', data: { roleId: 'r1', title: 'Technical lead' } });
    given(...holding, announced('2026-03-04', 'r1', 'lin', 'qwen', 'Technical lead'))
      .when({ ...base('2026-03-05'), type: 'EndRole', person: 'lin', unit: 'qwen', title: 'Technical lead', reason: 'resignation approved' })
      .then({ type: 'RoleEnded', stream: 'person-lin', data: { roleId: 'r1', reason: 'resignation approved' } });
  });

  it('cannot be ended before it started (a back-dated end is checked against the timeline)', () => {
    given(...holding).when({ ...base('2026-01-01'), type: 'EndRole', person: 'lin', unit: 'qwen', title: null, reason: null }).thenRefuses('ILLEGAL_STATE', ['effectiveAt'], /holds no role/);
  });

  it('cannot be held twice at once', () => {
    given(...holding).when({ ...base('2026-02-01'), type: 'AssignRole', person: 'lin', unit: 'qwen', title: 'Technical lead', reportsTo: null }).thenRefuses('ILLEGAL_STATE', ['title']);
  });

  it('cannot have its departure announced twice', () => {
    given(...holding, announced('2026-03-04', 'r1', 'lin', 'qwen', 'Technical lead'))
      .when({ ...base('2026-03-04T12:00:00Z'), type: 'AnnounceDeparture', person: 'lin', unit: 'qwen', title: null })
      .thenRefuses('ILLEGAL_STATE');
  });
});

describe('an ended role', () => {
  const over = [...org, assigned('2026-01-02', 'r1', 'lin', 'qwen'), ended('2026-03-05', 'r1', 'lin', 'qwen')];

  it('cannot be ended or announced again after its end', () => {
    given(...over).when({ ...base('2026-04-01'), type: 'EndRole', person: 'lin', unit: 'qwen', title: null, reason: null }).thenRefuses('ILLEGAL_STATE', ['effectiveAt']);
    given(...over).when({ ...base('2026-04-01'), type: 'AnnounceDeparture', person: 'lin', unit: 'qwen', title: null }).thenRefuses('ILLEGAL_STATE', ['effectiveAt']);
  });

  it('cannot be ended earlier once an end is recorded (retract the end instead)', () => {
    given(...over).when({ ...base('2026-02-01'), type: 'EndRole', person: 'lin', unit: 'qwen', title: null, reason: null }).thenRefuses('ILLEGAL_STATE', ['effectiveAt'], /already ends/);
  });

  it('leaves the person free to take the same title again later', () => {
    given(...over)
      .when({ ...base('2026-06-01'), type: 'AssignRole', person: 'lin', unit: 'qwen', title: 'Lead', reportsTo: null })
      .then({ type: 'RoleAssigned', stream: 'person-lin', data: { title: 'Lead' } });
  });
});
