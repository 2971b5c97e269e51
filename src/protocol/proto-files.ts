import { createRegistry, type DescFile, type Registry } from "@bufbuild/protobuf";
import { file_c1_connector_v2_action } from "../../gen/c1/connector/v2/action_pb.js";
import { file_c1_connector_v2_annotation_baton_id } from "../../gen/c1/connector/v2/annotation_baton_id_pb.js";
import { file_c1_connector_v2_annotation_entitlement } from "../../gen/c1/connector/v2/annotation_entitlement_pb.js";
import { file_c1_connector_v2_annotation_etag } from "../../gen/c1/connector/v2/annotation_etag_pb.js";
import { file_c1_connector_v2_annotation_exclusion_group } from "../../gen/c1/connector/v2/annotation_exclusion_group_pb.js";
import { file_c1_connector_v2_annotation_external_link } from "../../gen/c1/connector/v2/annotation_external_link_pb.js";
import { file_c1_connector_v2_annotation_external_ticket } from "../../gen/c1/connector/v2/annotation_external_ticket_pb.js";
import { file_c1_connector_v2_annotation_grant } from "../../gen/c1/connector/v2/annotation_grant_pb.js";
import { file_c1_connector_v2_annotation_grant_replaced } from "../../gen/c1/connector/v2/annotation_grant_replaced_pb.js";
import { file_c1_connector_v2_annotation_id_alias } from "../../gen/c1/connector/v2/annotation_id_alias_pb.js";
import { file_c1_connector_v2_annotation_ratelimit } from "../../gen/c1/connector/v2/annotation_ratelimit_pb.js";
import { file_c1_connector_v2_annotation_raw_id } from "../../gen/c1/connector/v2/annotation_raw_id_pb.js";
import { file_c1_connector_v2_annotation_request } from "../../gen/c1/connector/v2/annotation_request_pb.js";
import { file_c1_connector_v2_annotation_resource_deleted } from "../../gen/c1/connector/v2/annotation_resource_deleted_pb.js";
import { file_c1_connector_v2_annotation_resource } from "../../gen/c1/connector/v2/annotation_resource_pb.js";
import { file_c1_connector_v2_annotation_resource_tree } from "../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import { file_c1_connector_v2_annotation_security_insight } from "../../gen/c1/connector/v2/annotation_security_insight_pb.js";
import { file_c1_connector_v2_annotation_session } from "../../gen/c1/connector/v2/annotation_session_pb.js";
import { file_c1_connector_v2_annotation_source_cache } from "../../gen/c1/connector/v2/annotation_source_cache_pb.js";
import { file_c1_connector_v2_annotation_trait } from "../../gen/c1/connector/v2/annotation_trait_pb.js";
import { file_c1_connector_v2_annotation_type_scoped_entitlements } from "../../gen/c1/connector/v2/annotation_type_scoped_entitlements_pb.js";
import { file_c1_connector_v2_annotation_type_scoped_grants } from "../../gen/c1/connector/v2/annotation_type_scoped_grants_pb.js";
import { file_c1_connector_v2_annotation_v1_identifier } from "../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { file_c1_connector_v2_annotation_vendor_agreement } from "../../gen/c1/connector/v2/annotation_vendor_agreement_pb.js";
import { file_c1_connector_v2_annotation_vendor } from "../../gen/c1/connector/v2/annotation_vendor_pb.js";
import { file_c1_connector_v2_asset } from "../../gen/c1/connector/v2/asset_pb.js";
import { file_c1_connector_v2_config } from "../../gen/c1/connector/v2/config_pb.js";
import { file_c1_connector_v2_connector } from "../../gen/c1/connector/v2/connector_pb.js";
import { file_c1_connector_v2_entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { file_c1_connector_v2_event_feed } from "../../gen/c1/connector/v2/event_feed_pb.js";
import { file_c1_connector_v2_grant } from "../../gen/c1/connector/v2/grant_pb.js";
import { file_c1_connector_v2_resource } from "../../gen/c1/connector/v2/resource_pb.js";
import { file_c1_connector_v2_ticket } from "../../gen/c1/connector/v2/ticket_pb.js";
import { file_oktaconnector_v1_stream } from "../../gen/oktaconnector/v1/stream_pb.js";

/**
 * Every .proto file of the wire contract, for server reflection. The annotation files are not imported
 * by the service files (annotations travel as google.protobuf.Any), yet grpcurl and buf curl must
 * resolve each Any type URL to print a response, so all of them are listed.
 */
export const connectorProtoFiles: readonly DescFile[] = [
  file_c1_connector_v2_action,
  file_c1_connector_v2_annotation_baton_id,
  file_c1_connector_v2_annotation_entitlement,
  file_c1_connector_v2_annotation_etag,
  file_c1_connector_v2_annotation_exclusion_group,
  file_c1_connector_v2_annotation_external_link,
  file_c1_connector_v2_annotation_external_ticket,
  file_c1_connector_v2_annotation_grant,
  file_c1_connector_v2_annotation_grant_replaced,
  file_c1_connector_v2_annotation_id_alias,
  file_c1_connector_v2_annotation_ratelimit,
  file_c1_connector_v2_annotation_raw_id,
  file_c1_connector_v2_annotation_request,
  file_c1_connector_v2_annotation_resource_deleted,
  file_c1_connector_v2_annotation_resource,
  file_c1_connector_v2_annotation_resource_tree,
  file_c1_connector_v2_annotation_security_insight,
  file_c1_connector_v2_annotation_session,
  file_c1_connector_v2_annotation_source_cache,
  file_c1_connector_v2_annotation_trait,
  file_c1_connector_v2_annotation_type_scoped_entitlements,
  file_c1_connector_v2_annotation_type_scoped_grants,
  file_c1_connector_v2_annotation_v1_identifier,
  file_c1_connector_v2_annotation_vendor_agreement,
  file_c1_connector_v2_annotation_vendor,
  file_c1_connector_v2_asset,
  file_c1_connector_v2_config,
  file_c1_connector_v2_connector,
  file_c1_connector_v2_entitlement,
  file_c1_connector_v2_event_feed,
  file_c1_connector_v2_grant,
  file_c1_connector_v2_resource,
  file_c1_connector_v2_ticket,
  file_oktaconnector_v1_stream,
];

/**
 * Every message of the wire contract, for the JSON codec: annotations are `Any`s, and the JSON form
 * of one names the packed message's fields, so Connect and gRPC-web JSON clients need them all.
 */
export const connectorJsonTypes: Registry = createRegistry(...connectorProtoFiles);
