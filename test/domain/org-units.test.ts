import { describe, it } from 'vitest';
import { assigned, base, created, dissolved, ended, given, moved, registered } from '../support/given.ts';

describe('a unit that does not exist yet', () => {
  it('is created under a parent that exists at that time', () => {
    given(created('2026-01-01', 'group'))
      .when({ ...base('2026-02-01'), type: 'CreateOrgUnit', handle: 'lab', name: 'Lab', kind: 'lab', parent: 'group' })
      .then({ type: 'OrgUnitCreated', stream: 'unit-lab', data: { handle: 'lab', parent: 'group', kind: 'lab' } });
  });

  it('cannot be created under an unknown parent, or before its parent exists', () => {
    given().when({ ...base('2026-02-01'), type: 'CreateOrgUnit', handle: 'lab', name: 'Lab', kind: 'lab', parent: 'nope' }).thenRefuses('NOT_FOUND', ['parent']);
    given(created('2026-03-01', 'group'))
      .when({ ...base('2026-02-01'), type: 'CreateOrgUnit', handle: 'lab', name: 'Lab', kind: 'lab', parent: 'group' })
      .thenRefuses('ILLEGAL_STATE', ['parent'], /only created at/);
  });

  it('refuses a kind longer than 40 characters', () => {
    given().when({ ...base('2026-02-01'), type: 'CreateOrgUnit', handle: 'lab', name: 'Lab', kind: 'k'.repeat(41), parent: null }).thenRefuses('VALIDATION', ['kind']);
  });
});

describe('an existing unit', () => {
  it('cannot be created again', () => {
    given(created('2026-01-01', 'lab'))
      .when({ ...base('2026-02-01'), type: 'CreateOrgUnit', handle: 'lab', name: 'Lab', kind: 'lab', parent: null })
      .thenRefuses('DUPLICATE', ['handle']);
  });

  it('moves under another unit, remembering where it was', () => {
    given(created('2026-01-01', 'a'), created('2026-01-01', 'b'), created('2026-01-01', 'team', 'a'))
      .when({ ...base('2026-02-01'), type: 'MoveOrgUnit', unit: 'team', newParent: 'b' })
      .then({ type: 'OrgUnitMoved', stream: 'unit-team', data: { handle: 'team', parent: 'b', previousParent: 'a' } });
  });

  it('cannot become its own parent', () => {
    given(created('2026-01-01', 'a')).when({ ...base('2026-02-01'), type: 'MoveOrgUnit', unit: 'a', newParent: 'a' }).thenRefuses('CYCLE', ['newParent']);
  });

  it('cannot move under its own descendant (a unit cannot be its own ancestor)', () => {
    given(created('2026-01-01', 'a'), created('2026-01-01', 'b', 'a'), created('2026-01-01', 'c', 'b'))
      .when({ ...base('2026-02-01'), type: 'MoveOrgUnit', unit: 'a', newParent: 'c' })
      .thenRefuses('CYCLE', ['newParent']);
  });

  it('cannot make a cycle with a move already scheduled in the future', () => {
    // b will move under a on 06-01; moving a under b from 03-01 on would loop from 06-01.
    given(created('2026-01-01', 'a'), created('2026-01-01', 'b'), moved('2026-06-01', 'b', 'a', null))
      .when({ ...base('2026-03-01'), type: 'MoveOrgUnit', unit: 'a', newParent: 'b' })
      .thenRefuses('CYCLE', ['newParent'], /2026-06-01/);
  });

  it('may move where a later move will have left (no cycle at any time)', () => {
    given(created('2026-01-01', 'a'), created('2026-01-01', 'b', 'a'), moved('2026-03-01', 'b', null, 'a'))
      .when({ ...base('2026-04-01'), type: 'MoveOrgUnit', unit: 'a', newParent: 'b' })
      .then({ type: 'OrgUnitMoved', stream: 'unit-a', data: { parent: 'b', previousParent: null } });
  });

  it('is dissolved when nothing hangs off it', () => {
    given(created('2026-01-01', 'a')).when({ ...base('2026-02-01'), type: 'DissolveOrgUnit', unit: 'a' }).then({ type: 'OrgUnitDissolved', stream: 'unit-a', data: { handle: 'a' } });
  });

  it('cannot be dissolved while a child or a role holder remains', () => {
    given(created('2026-01-01', 'a'), created('2026-01-01', 'b', 'a')).when({ ...base('2026-02-01'), type: 'DissolveOrgUnit', unit: 'a' }).thenRefuses('ILLEGAL_STATE', ['unit'], /still has "b"/);
    given(created('2026-01-01', 'a'), registered('2026-01-01', 'p'), assigned('2026-01-01', 'r1', 'p', 'a'))
      .when({ ...base('2026-02-01'), type: 'DissolveOrgUnit', unit: 'a' })
      .thenRefuses('ILLEGAL_STATE', ['unit'], /end that role first/);
  });

  it('can be dissolved once its last role has ended', () => {
    given(created('2026-01-01', 'a'), registered('2026-01-01', 'p'), assigned('2026-01-01', 'r1', 'p', 'a'), ended('2026-01-15', 'r1', 'p', 'a'))
      .when({ ...base('2026-02-01'), type: 'DissolveOrgUnit', unit: 'a' })
      .then({ type: 'OrgUnitDissolved', stream: 'unit-a', data: { handle: 'a' } });
  });
});

describe('a dissolved unit', () => {
  it('takes no new roles and no children', () => {
    const history = [created('2026-01-01', 'a'), dissolved('2026-02-01', 'a'), registered('2026-01-01', 'p')];
    given(...history)
      .when({ ...base('2026-03-01'), type: 'AssignRole', person: 'p', unit: 'a', title: 'Lead', reportsTo: null })
      .thenRefuses('ILLEGAL_STATE', ['unit'], /dissolved/);
    given(...history).when({ ...base('2026-03-01'), type: 'CreateOrgUnit', handle: 'c', name: 'C', kind: 'team', parent: 'a' }).thenRefuses('ILLEGAL_STATE', ['parent']);
  });
});
