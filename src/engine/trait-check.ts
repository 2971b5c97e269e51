import { anyIs } from "@bufbuild/protobuf/wkt";
import type { DescMessage } from "@bufbuild/protobuf";
import { AppTraitSchema, GroupTraitSchema, RoleTraitSchema, SecretTraitSchema, UserTraitSchema } from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { type Resource, type ResourceType, ResourceType_Trait } from "../../gen/c1/connector/v2/resource_pb.js";

/** The traits baton-sdk checks (a resource of a type declaring one must carry it, or the sync fails). */
const CHECKED: ReadonlyMap<ResourceType_Trait, readonly [string, DescMessage]> = new Map([
  [ResourceType_Trait.USER, ["user", UserTraitSchema]],
  [ResourceType_Trait.GROUP, ["group", GroupTraitSchema]],
  [ResourceType_Trait.ROLE, ["role", RoleTraitSchema]],
  [ResourceType_Trait.APP, ["app", AppTraitSchema]],
  [ResourceType_Trait.SECRET, ["secret", SecretTraitSchema]],
]);

/** The name of a declared trait the resource lacks, or undefined when it has all of them. */
export function missingTraitOf(type: ResourceType, resource: Resource): string | undefined {
  for (const trait of type.traits) {
    const checked = CHECKED.get(trait);
    if (checked && !resource.annotations.some((a) => anyIs(a, checked[1]))) return checked[0];
  }
  return undefined;
}
