/** Corrections through GraphQL: confirm or retract an earlier event, never rewriting it. */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../core/graphql/builder.ts';
import { baseOf, CommandPayloadRef, commonFields, runCommand } from '../core/graphql/commands.ts';

const ConfirmEventInput = builder.inputType('ConfirmEventInput', {
  description: "Raise an earlier event's confidence to CONFIRMED.",
  fields: (t) => ({ eventId: t.id({ required: true, description: 'Event.eventId (a UUID) or Event.id.' }), ...commonFields(t, { effective: false }) }),
});
const RetractEventInput = builder.inputType('RetractEventInput', {
  description: 'Declare an earlier event false. History is not rewritten: reads as known after this exclude it.',
  fields: (t) => ({ eventId: t.id({ required: true, description: 'Event.eventId (a UUID) or Event.id.' }), reason: t.string({ required: true }), ...commonFields(t, { effective: false }) }),
});

/** Accept the raw UUID or the Relay global id a client got from Event.id. */
const eventIdOf = (value: string): string => {
  try {
    const { typename, id } = decodeGlobalID(value);
    if (typename === 'Event') return id;
  } catch {
    // not a global id: take it as given
  }
  return value;
};

builder.mutationFields((t) => ({
  confirmEvent: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: ConfirmEventInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runCommand(ctx, 'confirmEvent', input, { ...baseOf(input, ctx), confidence: 'CONFIRMED', type: 'ConfirmEvent', eventId: eventIdOf(String(input.eventId)) }),
  }),
  retractEvent: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: RetractEventInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runCommand(ctx, 'retractEvent', input, { ...baseOf(input, ctx), type: 'RetractEvent', eventId: eventIdOf(String(input.eventId)), reason: input.reason }),
  }),
}));
