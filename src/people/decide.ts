import type { DecisionContext, RegisterPerson } from '../core/domain/commands.ts';
import { duplicate } from '../core/domain/errors.ts';
import { personStream, type NewEvent } from '../core/domain/events.ts';
import { LIMITS, optionalText, requireHandle, requireText } from '../core/domain/validate.ts';
import type { World } from '../core/domain/world.ts';
import { metadataOf } from '../core/domain/metadata.ts';

export const registerPerson = (command: RegisterPerson, world: World, context: DecisionContext): NewEvent[] => {
  const handle = requireHandle(command.handle, 'handle');
  const name = requireText(command.name, 'name', LIMITS.name);
  const nativeName = optionalText(command.nativeName, 'nativeName', LIMITS.name);
  if (world.people.get(handle)?.registered) throw duplicate(`a person with handle "${handle}" is already registered`, ['handle']);
  return [
    {
      type: 'PersonRegistered',
      data: { handle, name, nativeName },
      eventId: context.newId(),
      stream: personStream(handle),
      occurredAt: command.effectiveAt,
      metadata: metadataOf(command, context),
    },
  ];
};
