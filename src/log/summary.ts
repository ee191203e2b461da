/** Pure: one line a person can read about a change, e.g. "Lin Junyang left Qwen (technical lead)". */
import { unreachable, type OrgEvent } from '../core/domain/events.ts';

/** Display names as they were at the change (falling back to handles). */
export interface Names {
  person: (handle: string) => string;
  unit: (handle: string) => string;
}

/** "Technical lead" reads as "technical lead" mid-sentence; "CEO" stays "CEO". */
const midSentence = (title: string) => (/^[A-Z][a-z]/.test(title) ? title[0]!.toLowerCase() + title.slice(1) : title);

export const summarize = (event: OrgEvent, names: Names): string => {
  switch (event.type) {
    case 'PersonRegistered':
      return `${event.data.name}${event.data.nativeName ? ` (${event.data.nativeName})` : ''} entered the record`;
    case 'OrgUnitCreated':
      return `${event.data.name} (${event.data.kind}) was created${event.data.parent ? ` under ${names.unit(event.data.parent)}` : ' as a top-level unit'}`;
    case 'OrgUnitMoved': {
      const to = event.data.parent ? names.unit(event.data.parent) : 'the top level';
      const from = event.data.previousParent ? names.unit(event.data.previousParent) : 'the top level';
      return `${names.unit(event.data.handle)} moved from ${from} to ${to}`;
    }
    case 'OrgUnitRenamed':
      return `${event.data.previousName} was renamed ${event.data.name}`;
    case 'OrgUnitDissolved':
      return `${names.unit(event.data.handle)} was dissolved`;
    case 'RoleAssigned':
      return `${names.person(event.data.person)} joined ${names.unit(event.data.unit)} as ${midSentence(event.data.title)}`;
    case 'DepartureAnnounced':
      return `${names.person(event.data.person)} announced leaving ${names.unit(event.data.unit)} (${midSentence(event.data.title)})`;
    case 'RoleEnded':
      return `${names.person(event.data.person)} left ${names.unit(event.data.unit)} (${midSentence(event.data.title)})`;
    case 'EventConfirmed':
      return `event ${event.data.eventId} was confirmed`;
    case 'EventRetracted':
      return `event ${event.data.eventId} was retracted: ${event.data.reason}`;
    default:
      return unreachable(event);
  }
};
