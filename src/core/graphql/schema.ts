/** Imports every feature's GraphQL types (each registers itself on the builder), then builds. */
import { builder } from './builder.ts';
import './refs.ts';
import '../../people/graphql.ts';
import '../../org-units/graphql.ts';
import '../../roles/graphql.ts';
import '../../log/graphql.ts';
import '../../corrections/graphql.ts';

export const schema = builder.toSchema({ sortSchema: false });
