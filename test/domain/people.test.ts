import { describe, it } from 'vitest';
import { base, given, registered } from '../support/given.ts';

describe('a person who is not registered yet', () => {
  it('is registered with a handle, a name and a native name', () => {
    given()
      .when({ ...base('2026-01-01'), type: 'RegisterPerson', handle: 'lin-junyang', name: 'Lin Junyang', nativeName: '林俊旸' })
      .then({ type: 'PersonRegistered', stream: 'person-lin-junyang', data: { handle: 'lin-junyang', name: 'Lin Junyang', nativeName: '林俊旸' } });
  });

  it.each([
    ['', 'must not be empty'],
    ['Lin Junyang', 'lowercase'],
    ['lin--junyang', 'lowercase'],
    ['x'.repeat(65), 'longer than 64'],
  ])('refuses the handle %j', (handle, message) => {
    given()
      .when({ ...base('2026-01-01'), type: 'RegisterPerson', handle, name: 'Lin', nativeName: null })
      .thenRefuses('VALIDATION', ['handle'], new RegExp(message));
  });

  it('refuses an empty or overlong name', () => {
    given().when({ ...base('2026-01-01'), type: 'RegisterPerson', handle: 'a', name: '  ', nativeName: null }).thenRefuses('VALIDATION', ['name']);
    given().when({ ...base('2026-01-01'), type: 'RegisterPerson', handle: 'a', name: 'n'.repeat(201), nativeName: null }).thenRefuses('VALIDATION', ['name']);
  });
});

describe('a registered person', () => {
  it('cannot be registered twice (the handle is taken)', () => {
    given(registered('2026-01-01', 'lin-junyang'))
      .when({ ...base('2026-02-01'), type: 'RegisterPerson', handle: 'lin-junyang', name: 'Someone else', nativeName: null })
      .thenRefuses('DUPLICATE', ['handle']);
  });
});
