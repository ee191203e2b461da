/**
 * The Decider (Chassaing): decide(command, state) → events, evolve(state, event) → state.
 * Everything else — storage, retries, GraphQL — is plumbing around these two functions.
 */
import { confirmEvent, retractEvent } from '../../corrections/decide.ts';
import { createOrgUnit, dissolveOrgUnit, moveOrgUnit, renameOrgUnit } from '../../org-units/decide.ts';
import { registerPerson } from '../../people/decide.ts';
import { announceDeparture, assignRole, endRole } from '../../roles/decide.ts';
import type { Command, DecisionContext } from './commands.ts';
import { unreachable, type NewEvent } from './events.ts';
import { emptyWorld, evolve, type World } from './world.ts';

export const decide = (command: Command, world: World, context: DecisionContext): NewEvent[] => {
  switch (command.type) {
    case 'RegisterPerson':
      return registerPerson(command, world, context);
    case 'CreateOrgUnit':
      return createOrgUnit(command, world, context);
    case 'MoveOrgUnit':
      return moveOrgUnit(command, world, context);
    case 'RenameOrgUnit':
      return renameOrgUnit(command, world, context);
    case 'DissolveOrgUnit':
      return dissolveOrgUnit(command, world, context);
    case 'AssignRole':
      return assignRole(command, world, context);
    case 'AnnounceDeparture':
      return announceDeparture(command, world, context);
    case 'EndRole':
      return endRole(command, world, context);
    case 'ConfirmEvent':
      return confirmEvent(command, world, context);
    case 'RetractEvent':
      return retractEvent(command, world, context);
    default:
      return unreachable(command);
  }
};

export const orgDecider = { initialState: emptyWorld, decide, evolve } as const;
