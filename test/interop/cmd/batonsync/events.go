package main

import (
	"context"
	"fmt"
	"time"

	v2 "github.com/conductorone/baton-sdk/pb/c1/connector/v2"
	"github.com/conductorone/baton-sdk/pkg/connectorclient"
	"github.com/conductorone/baton-sdk/pkg/types"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// eventsReport is what -events prints: the feeds baton-sdk's client was offered, and every event of
// the feed from -events-start-at, read page by page with the cursor the connector hands back, as the
// platform's event reader does. Each event is one line in the form the TypeScript checks compare.
type eventsReport struct {
	Feeds  []feedLine  `json:"feeds"`
	Pages  []pageLine  `json:"pages"`
	Events []eventLine `json:"events"`
	Error  string      `json:"error,omitempty"`
}

type feedLine struct {
	ID    string   `json:"id"`
	Types []string `json:"types"`
}

type pageLine struct {
	Events  int  `json:"events"`
	HasMore bool `json:"hasMore"`
}

type eventLine struct {
	ID string `json:"id"`
	// "grant {entitlement}:{principal type}:{principal id}", "revoke …", "change {type}:{id}" or
	// "usage {actor type}:{id} → {target type}:{id}", as test/events/event-feed.test.ts describes events.
	Line string `json:"line"`
}

// runEvents reads the feed through baton-sdk's connector client until has_more is false.
func runEvents(ctx context.Context, o options) (*eventsReport, error) {
	conn, _, err := dial(o.addr, o.tlsCA, o.bearerTokenFile)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	client := connectorclient.NewConnectorClient(ctx, conn)
	report := &eventsReport{Feeds: []feedLine{}, Pages: []pageLine{}, Events: []eventLine{}}

	feeds, err := client.ListEventFeeds(ctx, v2.ListEventFeedsRequest_builder{}.Build())
	if err != nil {
		return report, fmt.Errorf("ListEventFeeds: %w", err)
	}
	for _, f := range feeds.GetList() {
		line := feedLine{ID: f.GetId(), Types: []string{}}
		for _, t := range f.GetSupportedEventTypes() {
			line.Types = append(line.Types, t.String())
		}
		report.Feeds = append(report.Feeds, line)
	}

	events, pages, err := readFeed(ctx, client, o)
	report.Pages = pages
	for _, e := range events {
		report.Events = append(report.Events, eventLine{ID: e.GetId(), Line: describeEvent(e)})
	}
	return report, err
}

// readFeed reads every event from -events-start-at, page by page with the cursor the connector hands
// back, until has_more is false, as the platform's event reader does.
func readFeed(ctx context.Context, client types.ConnectorClient, o options) ([]*v2.Event, []pageLine, error) {
	pages := []pageLine{}
	var events []*v2.Event
	start, err := time.Parse(time.RFC3339Nano, o.eventsStartAt)
	if err != nil {
		return events, pages, fmt.Errorf("-events-start-at: %w", err)
	}
	cursor := ""
	for page := 0; ; page++ {
		if page >= 100 {
			return events, pages, fmt.Errorf("ListEvents: has_more after %d pages", page)
		}
		// No event_feed_id: baton-sdk's legacy feed, as an engine that names none asks for it.
		req := v2.ListEventsRequest_builder{Cursor: cursor, PageSize: uint32(o.eventsPageSize)}
		if cursor == "" {
			req.StartAt = timestamppb.New(start)
		}
		resp, err := client.ListEvents(ctx, req.Build())
		if err != nil {
			return events, pages, fmt.Errorf("ListEvents page %d: %w", page+1, err)
		}
		pages = append(pages, pageLine{Events: len(resp.GetEvents()), HasMore: resp.GetHasMore()})
		events = append(events, resp.GetEvents()...)
		cursor = resp.GetCursor()
		if !resp.GetHasMore() {
			return events, pages, nil
		}
	}
}

func describeEvent(e *v2.Event) string {
	switch {
	case e.GetCreateGrantEvent() != nil:
		g := e.GetCreateGrantEvent()
		return fmt.Sprintf("grant %s:%s", g.GetEntitlement().GetId(), resourceKey(g.GetPrincipal().GetId()))
	case e.GetCreateRevokeEvent() != nil:
		r := e.GetCreateRevokeEvent()
		return fmt.Sprintf("revoke %s:%s", r.GetEntitlement().GetId(), resourceKey(r.GetPrincipal().GetId()))
	case e.GetResourceChangeEvent() != nil:
		return "change " + resourceKey(e.GetResourceChangeEvent().GetResourceId())
	case e.GetUsageEvent() != nil:
		u := e.GetUsageEvent()
		return fmt.Sprintf("usage %s → %s", resourceKey(u.GetActorResource().GetId()), resourceKey(u.GetTargetResource().GetId()))
	default:
		return "other"
	}
}
