/**
 * What of the unit tree below a field the query asks for, read from the query itself before any
 * of it is resolved: how many levels of `children`, at which levels `roles`, and whether their
 * `person`. The read model fetches that much in one statement (read-model/subtree.ts) instead of
 * one statement per level. Fragments (named and inline) count; a field skipped by a directive
 * still counts (fetching it anyway only costs a few rows), and anything the shape leaves out is
 * still loaded on demand, level by level, as before.
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

export interface TreeShape {
  /** Levels of children below the field's own units (0: none). */
  depth: number;
  /** Per level (0 = the field's own units), whether their roles are selected. */
  roles: boolean[];
  /** Whether any selected role asks for its person. */
  people: boolean;
}

/** Deepest a prefetch goes: below it, levels load one by one again. */
export const MAX_DEPTH = 6;

/** The fields selected directly in a selection set, through fragments, by field name. */
const fieldsOf = (set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, name: string): FieldNode[] => {
  const found: FieldNode[] = [];
  const walk = (s: SelectionSetNode | undefined) => {
    for (const selection of s?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else walk(fragments[selection.name.value]?.selectionSet);
    }
  };
  walk(set);
  return found;
};

const sets = (fields: readonly FieldNode[]): SelectionSetNode[] => fields.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));

/** The tree shape under the field being resolved (an OrgUnit or a list of them). */
export const treeShape = (info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): TreeShape => {
  const roles: boolean[] = [];
  let people = false;
  let level = sets(info.fieldNodes);
  let depth = -1;
  while (level.length > 0 && depth < MAX_DEPTH) {
    depth++;
    const roleFields = level.flatMap((set) => fieldsOf(set, info.fragments, 'roles'));
    roles.push(roleFields.length > 0);
    people ||= sets(roleFields).some((set) => fieldsOf(set, info.fragments, 'person').length > 0);
    level = sets(level.flatMap((set) => fieldsOf(set, info.fragments, 'children')));
  }
  return { depth: Math.max(depth, 0), roles, people };
};
