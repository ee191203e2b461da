/** Reading from a query how much of the unit tree below a field it asks for. */
import { parse, Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, treeShape } from '../../src/core/graphql/lookahead.ts';

/** The shape under the query's first root field, as its resolver would see it. */
const shapeOf = (query: string) => {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return treeShape({ fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments });
};

describe('tree lookahead', () => {
  it('counts levels of children and where roles and their people are asked for', () => {
    expect(shapeOf(`{ orgChart { handle children { roles { title person { name } } children { name roles { title } } } } }`)).toEqual({
      depth: 2,
      roles: [false, true, true],
      people: true,
    });
  });

  it('sees through named and inline fragments and aliases', () => {
    const query = `query { orgUnit(handle: "x") { ...Unit } }
      fragment Unit on OrgUnit { teams: children { ... on OrgUnit { roles { title } children { handle } } } }`;
    expect(shapeOf(query)).toEqual({ depth: 2, roles: [false, true, false], people: false });
  });

  it('asks for nothing below a field without children, and stops at MAX_DEPTH', () => {
    expect(shapeOf(`{ orgChart { handle } }`)).toEqual({ depth: 0, roles: [false], people: false });
    const deep = `{ orgChart { ${'children { '.repeat(MAX_DEPTH + 3)}handle${' }'.repeat(MAX_DEPTH + 3)} } }`;
    expect(shapeOf(deep).depth).toBe(MAX_DEPTH);
  });
});
