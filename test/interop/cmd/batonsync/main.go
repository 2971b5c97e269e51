// Command batonsync drives an okta-connector server with baton-sdk's own sync engine: it dials the
// server over gRPC, wraps the connection with baton-sdk's connector client, runs the real syncer into
// a fresh .c1z, reads the file back with baton-sdk's store and prints one JSON summary on stdout.
//
// With -provision it runs a provisioning session instead, over one connector client: a baseline sync,
// then baton-sdk's own provisioner (the code behind a connector's --grant-entitlement and
// --revoke-grant flags) sends a Grant twice, a second sync, a Revoke twice, and a third sync. It
// prints one JSON report of every step (provision.go).
//
// With -targeted it reads the feed the same way, then runs baton-sdk's syncer with
// WithTargetedSyncResources over the resources the events name, adding a partial sync to a copy of a
// baseline c1z, and prints one JSON report of the partial sync (targeted.go).
//
// With -events it reads the connector's event feed instead, through baton-sdk's client
// (ListEventFeeds, then ListEvents from -events-start-at until has_more is false), and prints one JSON
// report of the feeds and events (events.go).
//
// It exists so that the wire is checked by a peer built from the upstream contracts rather than from
// our own .proto copies. Logs (baton-sdk's zap logger) go to stderr.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/conductorone/baton-sdk/pkg/connectorclient"
)

type options struct {
	addr            string
	out             string
	ids             string
	engine          string
	tlsCA           string
	bearerTokenFile string
	workers         int
	strict          bool
	logLevel        string

	provision          bool
	grantEntitlement   string
	grantPrincipal     string
	grantPrincipalType string

	events         bool
	eventsStartAt  string
	eventsPageSize int

	targeted bool
	baseline string
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.addr, "addr", "", "connector address, host:port (required)")
	flag.StringVar(&o.out, "out", "", "path of the .c1z to write; an existing file is removed first, or the engine would resume it (required); with -provision, a directory for every step's c1z and ids files")
	flag.StringVar(&o.ids, "ids", "", "optional path: write every resource, entitlement and grant read back from the c1z as JSON lines")
	flag.StringVar(&o.engine, "engine", "sqlite", "c1z storage engine: sqlite (c1z v1) or pebble (c1z v3)")
	flag.StringVar(&o.tlsCA, "tls-ca", "", "PEM CA file: dial with TLS and verify the server against it (default: cleartext h2c)")
	flag.StringVar(&o.bearerTokenFile, "bearer-token-file", "", "file holding a bearer token to send as authorization metadata on every call (needs -tls-ca)")
	flag.IntVar(&o.workers, "workers", 1, "syncer worker count (baton-sdk's default is 1)")
	flag.BoolVar(&o.strict, "strict", true, "fail the sync on any ingestion-invariant violation (WithFailFastInvariants)")
	flag.StringVar(&o.logLevel, "log-level", "warn", "baton-sdk log level")
	flag.BoolVar(&o.provision, "provision", false, "run the provisioning session (sync, Grant ×2, sync, Revoke ×2, sync) instead of one sync")
	flag.StringVar(&o.grantEntitlement, "grant-entitlement", "", "with -provision: the entitlement id to grant, e.g. group:00g…:member")
	flag.StringVar(&o.grantPrincipal, "grant-principal", "", "with -provision: the principal's resource id")
	flag.StringVar(&o.grantPrincipalType, "grant-principal-type", "user", "with -provision: the principal's resource type")
	flag.BoolVar(&o.events, "events", false, "read the event feed (ListEventFeeds, ListEvents) instead of syncing; -out is not used")
	flag.StringVar(&o.eventsStartAt, "events-start-at", "", "with -events or -targeted: RFC 3339 time to read the feed from")
	flag.IntVar(&o.eventsPageSize, "events-page-size", 100, "with -events or -targeted: ListEvents page_size")
	flag.BoolVar(&o.targeted, "targeted", false, "read the event feed from -events-start-at, then run a targeted sync of the resources its events name into a copy (-out) of the -baseline c1z")
	flag.StringVar(&o.baseline, "baseline", "", "with -targeted: a c1z holding a finished full sync (left unchanged)")
	flag.Parse()
	return o
}

func main() {
	o := parseFlags()
	if o.addr == "" || (o.out == "" && !o.events) {
		fmt.Fprintln(os.Stderr, "batonsync: -addr and -out are required")
		os.Exit(2)
	}
	if o.targeted && (o.baseline == "" || o.eventsStartAt == "") {
		fmt.Fprintln(os.Stderr, "batonsync: -targeted needs -baseline and -events-start-at")
		os.Exit(2)
	}
	if o.provision && (o.grantEntitlement == "" || o.grantPrincipal == "") {
		fmt.Fprintln(os.Stderr, "batonsync: -provision needs -grant-entitlement and -grant-principal")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Each branch assigns report only when it has one: a nil *summary in an interface is not nil.
	var report any
	var err error
	if o.events {
		var r *eventsReport
		if r, err = runEvents(ctx, o); r != nil {
			if err != nil {
				r.Error = err.Error()
			}
			report = r
		}
	} else if o.targeted {
		var r *targetedReport
		if r, err = runTargeted(ctx, o); r != nil {
			report = r
		}
	} else if o.provision {
		var r *provisionReport
		if r, err = runProvision(ctx, o); r != nil {
			report = r
		}
	} else {
		var s *summary
		if s, err = run(ctx, o); s != nil {
			report = s
		}
	}
	if report != nil {
		if encodeErr := json.NewEncoder(os.Stdout).Encode(report); encodeErr != nil {
			fmt.Fprintln(os.Stderr, "batonsync: writing summary:", encodeErr)
			os.Exit(1)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "batonsync:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) (*summary, error) {
	conn, calls, err := dial(o.addr, o.tlsCA, o.bearerTokenFile)
	if err != nil {
		return nil, err
	}
	defer conn.Close()

	logs := newLogCapture()
	result, syncErr := runSync(ctx, connectorclient.NewConnectorClient(ctx, conn), o, logs)
	s := &summary{Engine: o.engine, Sync: result, Calls: calls.snapshot(), EngineLogs: logs.snapshot()}
	if syncErr != nil {
		s.Error = syncErr.Error()
		return s, syncErr
	}
	contents, err := readBack(ctx, o.out, o.ids)
	if err != nil {
		s.Error = err.Error()
		return s, err
	}
	s.Contents = contents
	if info, statErr := os.Stat(o.out); statErr == nil {
		s.C1ZBytes = info.Size()
	}
	return s, nil
}
