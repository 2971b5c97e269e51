package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	v2 "github.com/conductorone/baton-sdk/pb/c1/connector/v2"
	"github.com/conductorone/baton-sdk/pkg/annotations"
	"github.com/conductorone/baton-sdk/pkg/connectorstore"
	"github.com/conductorone/baton-sdk/pkg/dotc1z"
	"github.com/conductorone/baton-sdk/pkg/dotc1z/c1zstore"
)

// readBack opens the finished c1z read-only with baton-sdk's own store, the way `baton` does, and
// counts what the latest full sync holds.
func readBack(ctx context.Context, path, idsPath string) (*contents, error) {
	return readBackSync(ctx, path, idsPath, func(ctx context.Context, meta c1zstore.SyncMeta) (*c1zstore.SyncRun, error) {
		run, err := meta.LatestFullSync(ctx)
		if err != nil {
			return nil, fmt.Errorf("finding the latest full sync: %w", err)
		}
		if run == nil {
			return nil, fmt.Errorf("%s holds no finished full sync", path)
		}
		return run, nil
	})
}

// readBackSync reads back the sync run pick chooses, whatever its type.
func readBackSync(ctx context.Context, path, idsPath string, pick func(context.Context, c1zstore.SyncMeta) (*c1zstore.SyncRun, error)) (*contents, error) {
	tmpDir, err := os.MkdirTemp(filepath.Dir(path), "batonsync-read-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmpDir)
	store, err := dotc1z.NewStore(ctx, path, dotc1z.WithReadOnly(true), dotc1z.WithTmpDir(tmpDir))
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	defer store.Close(ctx)

	run, err := pick(ctx, store.SyncMeta())
	if err != nil {
		return nil, err
	}
	if err := store.SetCurrentSync(ctx, run.ID); err != nil {
		return nil, err
	}
	c := &contents{SyncID: run.ID, SyncType: string(run.Type), ParentSyncID: run.ParentSyncID, Resources: map[string]int{}, Entitlements: map[string]int{}}
	c.Grants.ByEntitlementType = map[string]int{}
	c.Grants.ExpandedByEntitType = map[string]int{}

	var ids *idWriter
	if idsPath != "" {
		if ids, err = newIDWriter(idsPath); err != nil {
			return nil, err
		}
		defer ids.close()
	}
	if err := readResourceTypes(ctx, store, c); err != nil {
		return nil, err
	}
	if err := readResources(ctx, store, c, ids); err != nil {
		return nil, err
	}
	if err := readEntitlements(ctx, store, c, ids); err != nil {
		return nil, err
	}
	if err := readGrants(ctx, store, c, ids); err != nil {
		return nil, err
	}
	if c.StoreStats, err = store.SyncMeta().Stats(ctx, run.Type, run.ID); err != nil {
		return nil, fmt.Errorf("store stats: %w", err)
	}
	if ids != nil {
		return c, ids.close()
	}
	return c, nil
}

func readResourceTypes(ctx context.Context, store c1zstore.Store, c *contents) error {
	token := ""
	for {
		resp, err := store.ListResourceTypes(ctx, v2.ResourceTypesServiceListResourceTypesRequest_builder{PageToken: token}.Build())
		if err != nil {
			return fmt.Errorf("ListResourceTypes from the c1z: %w", err)
		}
		for _, rt := range resp.GetList() {
			info := resourceTypeInfo{ID: rt.GetId(), DisplayName: rt.GetDisplayName(), Description: rt.GetDescription(), Traits: []string{}, Annotations: []string{}}
			for _, t := range rt.GetTraits() {
				info.Traits = append(info.Traits, t.String())
			}
			for _, a := range rt.GetAnnotations() {
				info.Annotations = append(info.Annotations, a.GetTypeUrl()[strings.LastIndex(a.GetTypeUrl(), "/")+1:])
			}
			c.ResourceTypes = append(c.ResourceTypes, info)
		}
		if token = resp.GetNextPageToken(); token == "" {
			break
		}
	}
	sort.Slice(c.ResourceTypes, func(i, j int) bool { return c.ResourceTypes[i].ID < c.ResourceTypes[j].ID })
	return nil
}

func readResources(ctx context.Context, store c1zstore.Store, c *contents, ids *idWriter) error {
	token := ""
	for {
		resp, err := store.ListResources(ctx, v2.ResourcesServiceListResourcesRequest_builder{PageToken: token}.Build())
		if err != nil {
			return fmt.Errorf("ListResources from the c1z: %w", err)
		}
		for _, r := range resp.GetList() {
			c.Resources[r.GetId().GetResourceType()]++
			c.ResourceTotal++
			line := idLine{Kind: "resource", ID: resourceKey(r.GetId())}
			if r.GetId().GetResourceType() == "user" {
				posture, err := userPostureOf(r)
				if err != nil {
					return err
				}
				line.User = posture
			}
			if err := ids.write(line); err != nil {
				return err
			}
		}
		if token = resp.GetNextPageToken(); token == "" {
			return nil
		}
	}
}

func readEntitlements(ctx context.Context, store c1zstore.Store, c *contents, ids *idWriter) error {
	token := ""
	for {
		resp, err := store.ListEntitlements(ctx, v2.EntitlementsServiceListEntitlementsRequest_builder{PageToken: token}.Build())
		if err != nil {
			return fmt.Errorf("ListEntitlements from the c1z: %w", err)
		}
		for _, e := range resp.GetList() {
			c.Entitlements[e.GetResource().GetId().GetResourceType()]++
			c.EntitlementTotal++
			if err := ids.write(idLine{Kind: "entitlement", ID: e.GetId()}); err != nil {
				return err
			}
		}
		if token = resp.GetNextPageToken(); token == "" {
			return nil
		}
	}
}

// readGrants lists every grant. The SQLite store keeps GrantExpandable in a side column that plain
// ListGrants leaves out, so it is read through ListGrantsWithExpansion where the store offers it.
func readGrants(ctx context.Context, store c1zstore.Store, c *contents, ids *idWriter) error {
	list := store.ListGrants
	if withExpansion, ok := store.(connectorstore.ExpansionGrantLister); ok {
		list = withExpansion.ListGrantsWithExpansion
	}
	token := ""
	for {
		resp, err := list(ctx, v2.GrantsServiceListGrantsRequest_builder{PageToken: token}.Build())
		if err != nil {
			return fmt.Errorf("ListGrants from the c1z: %w", err)
		}
		for _, g := range resp.GetList() {
			line := describeGrant(g)
			countGrant(&c.Grants, g, line)
			if err := ids.write(line); err != nil {
				return err
			}
		}
		if token = resp.GetNextPageToken(); token == "" {
			return nil
		}
	}
}

func describeGrant(g *v2.Grant) idLine {
	annos := annotations.Annotations(g.GetAnnotations())
	line := idLine{
		Kind:        "grant",
		ID:          g.GetId(),
		Entitlement: g.GetEntitlement().GetId(),
		Principal:   resourceKey(g.GetPrincipal().GetId()),
		Immutable:   annos.Contains(&v2.GrantImmutable{}),
	}
	expandable := &v2.GrantExpandable{}
	if ok, err := annos.Pick(expandable); err == nil && ok {
		line.Expandable = expandable.GetEntitlementIds()
		line.Shallow = expandable.GetShallow()
	}
	if sources := g.GetSources().GetSources(); len(sources) > 0 {
		line.Sources = map[string]bool{}
		for id, source := range sources {
			line.Sources[id] = source.GetIsDirect()
		}
	}
	return line
}

func countGrant(counts *grantCounts, g *v2.Grant, line idLine) {
	entitlementType := g.GetEntitlement().GetResource().GetId().GetResourceType()
	counts.Total++
	counts.ByEntitlementType[entitlementType]++
	switch {
	case line.Immutable:
		counts.Expanded++
		counts.ExpandedByEntitType[entitlementType]++
	default:
		counts.Direct++
		if len(line.Sources) > 0 {
			counts.DirectWithSources++
		}
	}
	if len(line.Expandable) > 0 {
		counts.Expandable++
	}
}

func resourceKey(id *v2.ResourceId) string {
	return id.GetResourceType() + ":" + id.GetResource()
}

// userPostureOf reads the UserTrait of a user resource read back from the c1z.
func userPostureOf(r *v2.Resource) (*userPosture, error) {
	trait := &v2.UserTrait{}
	annos := annotations.Annotations(r.GetAnnotations())
	ok, err := annos.Pick(trait)
	if err != nil {
		return nil, fmt.Errorf("user %s: reading its UserTrait: %w", r.GetId().GetResource(), err)
	}
	if !ok {
		return nil, fmt.Errorf("user %s has no UserTrait", r.GetId().GetResource())
	}
	posture := &userPosture{StatusDetails: r.GetStatus().GetDetails(), AccountType: trait.GetAccountType().String()}
	if trait.HasMfaStatus() {
		enabled := trait.GetMfaStatus().GetMfaEnabled()
		posture.MfaEnabled = &enabled
	}
	return posture, nil
}
