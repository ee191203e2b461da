import type { CommandBase, DecisionContext } from './commands.ts';
import type { EventMetadata } from './events.ts';

/** Every event says how sure we are, where it came from and who recorded it. */
export const metadataOf = (command: CommandBase, context: DecisionContext): EventMetadata => ({
  confidence: command.confidence,
  ...(command.source ? { source: command.source } : {}),
  actor: context.actor,
});
