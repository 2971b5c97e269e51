package main

// The JSON the harness prints: what the engine did and what the c1z holds.

type resourceTypeInfo struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName"`
	Description string   `json:"description"`
	Traits      []string `json:"traits"`
	Annotations []string `json:"annotations"`
}

type grantCounts struct {
	Total int `json:"total"`
	// Grants the connector returned; those that expansion also reached carry a sources map.
	Direct int `json:"direct"`
	// Grants the engine created by expansion (GrantImmutable, id `{entitlement}:{type}:{principal}`).
	Expanded int `json:"expanded"`
	// Connector grants that expansion reached as well, so the engine stamped sources on them.
	DirectWithSources int `json:"directWithSources"`
	// Connector grants carrying GrantExpandable.
	Expandable          int            `json:"expandable"`
	ByEntitlementType   map[string]int `json:"byEntitlementType"`
	ExpandedByEntitType map[string]int `json:"expandedByEntitlementType"`
}

type contents struct {
	SyncID   string `json:"syncId"`
	SyncType string `json:"syncType"`
	// The full sync a partial (targeted) sync was made on; empty for a full sync.
	ParentSyncID     string             `json:"parentSyncId,omitempty"`
	ResourceTypes    []resourceTypeInfo `json:"resourceTypes"`
	Resources        map[string]int     `json:"resources"`
	ResourceTotal    int                `json:"resourceTotal"`
	Entitlements     map[string]int     `json:"entitlements"`
	EntitlementTotal int                `json:"entitlementTotal"`
	Grants           grantCounts        `json:"grants"`
	StoreStats       map[string]int64   `json:"storeStats"`
}

type summary struct {
	Engine string     `json:"engine"`
	Sync   syncResult `json:"sync"`
	Calls  callStats  `json:"calls"`
	// Engine warnings and errors, and its ingest-invariant notes, whatever -log-level says.
	EngineLogs []logEntry `json:"engineLogs"`
	C1ZBytes   int64      `json:"c1zBytes"`
	Contents   *contents  `json:"contents,omitempty"`
	Error      string     `json:"error,omitempty"`
}
