package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	v2 "github.com/conductorone/baton-sdk/pb/c1/connector/v2"
	"github.com/conductorone/baton-sdk/pkg/connectorclient"
	"github.com/conductorone/baton-sdk/pkg/connectorstore"
	"github.com/conductorone/baton-sdk/pkg/dotc1z/c1zstore"
	sdkSync "github.com/conductorone/baton-sdk/pkg/sync"
)

// targetedReport is what -targeted prints: the feed it read, the resources the events name, the
// targeted sync baton-sdk's syncer ran of them, and what that partial sync holds (its rows go to -ids).
type targetedReport struct {
	Pages []pageLine `json:"pages"`
	// Event counts by kind: grant, revoke, change, usage.
	Events map[string]int `json:"events"`
	// `{type}:{id}` of every resource handed to WithTargetedSyncResources, sorted.
	Targets []string `json:"targets"`
	// The full sync of the baseline c1z the partial sync was made on.
	BaselineSyncID string     `json:"baselineSyncId"`
	Sync           syncResult `json:"sync"`
	// The RPCs of the targeted sync alone (the feed read is not counted).
	Calls      callStats  `json:"calls"`
	EngineLogs []logEntry `json:"engineLogs"`
	Contents   *contents  `json:"contents,omitempty"`
	Error      string     `json:"error,omitempty"`
}

// runTargeted reads the event feed from -events-start-at to the end with baton-sdk's client, collects
// the resources its events name (a ResourceChange's resource; a grant's or revoke's entitlement
// resource and principal; usage changes nothing), copies the -baseline c1z (a finished full sync) to
// -out and runs baton-sdk's syncer there with WithTargetedSyncResources, as the platform turns events
// into a targeted sync. baton-sdk starts a new sync of type partial whose parent is the file's latest
// full sync, calls GetResource for each target (NOT_FOUND: skipped with a warning, nothing written),
// then ListEntitlements and ListGrants of each resource it got, and runs no grant expansion.
func runTargeted(ctx context.Context, o options) (*targetedReport, error) {
	report := &targetedReport{Pages: []pageLine{}, Events: map[string]int{}, Targets: []string{}, EngineLogs: []logEntry{}}
	fail := func(err error) (*targetedReport, error) {
		report.Error = err.Error()
		return report, err
	}
	conn, calls, err := dial(o.addr, o.tlsCA, o.bearerTokenFile)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	client := connectorclient.NewConnectorClient(ctx, conn)

	events, pages, err := readFeed(ctx, client, o)
	report.Pages = pages
	if err != nil {
		return fail(err)
	}
	targets := targetsOf(events, report.Events)
	for _, r := range targets {
		report.Targets = append(report.Targets, resourceKey(r.GetId()))
	}
	if len(targets) == 0 {
		// WithTargetedSyncResources with no resources is a full sync, not a targeted one.
		return fail(errors.New("the feed named no resource to sync"))
	}

	if err := copyFile(o.baseline, o.out); err != nil {
		return fail(fmt.Errorf("copying -baseline to -out: %w", err))
	}
	// The baseline's full sync is the parent the partial sync must get.
	baseline, err := readBack(ctx, o.baseline, "")
	if err != nil {
		return fail(fmt.Errorf("-baseline: %w", err))
	}
	report.BaselineSyncID = baseline.SyncID
	logs := newLogCapture()
	before := calls.snapshot()
	result, syncErr := runSyncWith(ctx, client, o, logs, true, sdkSync.WithTargetedSyncResources(targets))
	report.Sync, report.Calls, report.EngineLogs = result, calls.snapshot().minus(before), logs.snapshot()
	if syncErr != nil {
		return fail(syncErr)
	}
	report.Contents, err = readBackSync(ctx, o.out, o.ids, func(ctx context.Context, meta c1zstore.SyncMeta) (*c1zstore.SyncRun, error) {
		run, err := meta.LatestFinishedSyncOfAnyType(ctx)
		if err != nil {
			return nil, fmt.Errorf("finding the latest sync: %w", err)
		}
		if run == nil || run.Type != connectorstore.SyncTypePartial {
			return nil, fmt.Errorf("the latest finished sync in %s is not a partial sync: %+v", o.out, run)
		}
		return run, nil
	})
	if err != nil {
		return fail(err)
	}
	return report, nil
}

// targetsOf collects, once each and in a stable order, the resources the events name, counting the
// events by kind into counts. Only the id and the parent id are kept: that is all the syncer reads.
func targetsOf(events []*v2.Event, counts map[string]int) []*v2.Resource {
	seen := map[string]*v2.Resource{}
	add := func(id, parent *v2.ResourceId) {
		if id.GetResourceType() == "" || id.GetResource() == "" {
			return
		}
		key := resourceKey(id)
		if _, ok := seen[key]; ok {
			return
		}
		r := v2.Resource_builder{Id: v2.ResourceId_builder{ResourceType: id.GetResourceType(), Resource: id.GetResource()}.Build()}
		if parent.GetResourceType() != "" && parent.GetResource() != "" {
			r.ParentResourceId = v2.ResourceId_builder{ResourceType: parent.GetResourceType(), Resource: parent.GetResource()}.Build()
		}
		seen[key] = r.Build()
	}
	for _, e := range events {
		switch {
		case e.GetCreateGrantEvent() != nil:
			counts["grant"]++
			g := e.GetCreateGrantEvent()
			add(g.GetEntitlement().GetResource().GetId(), g.GetEntitlement().GetResource().GetParentResourceId())
			add(g.GetPrincipal().GetId(), g.GetPrincipal().GetParentResourceId())
		case e.GetCreateRevokeEvent() != nil:
			counts["revoke"]++
			r := e.GetCreateRevokeEvent()
			add(r.GetEntitlement().GetResource().GetId(), r.GetEntitlement().GetResource().GetParentResourceId())
			add(r.GetPrincipal().GetId(), r.GetPrincipal().GetParentResourceId())
		case e.GetResourceChangeEvent() != nil:
			counts["change"]++
			c := e.GetResourceChangeEvent()
			add(c.GetResourceId(), c.GetParentResourceId())
		case e.GetUsageEvent() != nil:
			counts["usage"]++
		default:
			counts["other"]++
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*v2.Resource, 0, len(keys))
	for _, k := range keys {
		out = append(out, seen[k])
	}
	return out
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
