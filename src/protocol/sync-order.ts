/** A resource type as far as ordering goes: its id and the ids it depends on. */
export interface OrderedType {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/**
 * The order types are synced in: every type after the types it depends on, and otherwise in the order
 * given (so the order is stable and reads like the list). Throws, at start-up, on a dependency on an
 * id not in the list and on a cycle, naming them: a silent fallback order would send grants whose
 * principals the engine has not seen yet.
 */
export function syncOrderOf<T extends OrderedType>(types: readonly T[]): T[] {
  const byId = new Map(types.map((t) => [t.id, t]));
  for (const t of types) {
    for (const dep of t.dependsOn) {
      if (!byId.has(dep)) throw new Error(`resource type "${t.id}" depends on "${dep}", which no resource type declares`);
    }
  }
  const placed = new Set<string>();
  const order: T[] = [];
  while (order.length < types.length) {
    // The first type in list order whose dependencies are all placed (Kahn's algorithm, stable).
    const next = types.find((t) => !placed.has(t.id) && t.dependsOn.every((d) => placed.has(d)));
    if (next === undefined) {
      const stuck = types.filter((t) => !placed.has(t.id)).map((t) => `${t.id} → ${t.dependsOn.filter((d) => !placed.has(d)).join(", ")}`);
      throw new Error(`resource type dependencies form a cycle: ${stuck.join("; ")}`);
    }
    placed.add(next.id);
    order.push(next);
  }
  return order;
}
