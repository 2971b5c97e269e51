package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/conductorone/baton-sdk/pkg/dotc1z/c1zstore"
	"github.com/conductorone/baton-sdk/pkg/logging"
	sdkSync "github.com/conductorone/baton-sdk/pkg/sync"
	"github.com/conductorone/baton-sdk/pkg/types"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"google.golang.org/grpc/status"
)

// syncResult is what the run of the engine itself reports, before the c1z is read back.
type syncResult struct {
	Seconds      float64 `json:"seconds"`
	CloseSeconds float64 `json:"closeSeconds"`
	Completed    bool    `json:"completed"`
	Preservable  bool    `json:"preservable"`
	Code         string  `json:"code,omitempty"`
	FailFast     bool    `json:"failFastInvariants"`
	Workers      int     `json:"workers"`
}

func storageEngine(name string) (c1zstore.Engine, error) {
	switch name {
	case "sqlite":
		return c1zstore.EngineSQLite, nil
	case "pebble":
		return c1zstore.EnginePebble, nil
	}
	return "", fmt.Errorf("-engine %q: want sqlite or pebble", name)
}

// runSync runs one full sync of the connector behind client into a fresh c1z at o.out.
func runSync(ctx context.Context, client types.ConnectorClient, o options, logs *logCapture) (syncResult, error) {
	return runSyncWith(ctx, client, o, logs, false)
}

// runSyncWith runs the engine into o.out with extra options. With keep, an existing c1z at o.out is
// opened rather than removed: a targeted sync adds a partial sync to the file of an earlier full one.
func runSyncWith(ctx context.Context, client types.ConnectorClient, o options, logs *logCapture, keep bool, extra ...sdkSync.SyncOpt) (syncResult, error) {
	result := syncResult{FailFast: o.strict, Workers: o.workers}
	engine, err := storageEngine(o.engine)
	if err != nil {
		return result, err
	}
	ctx, err = logging.InitWithCore(ctx, func(zap.Config) zapcore.Core { return logs },
		logging.WithLogLevel(o.logLevel), logging.WithLogFormat(logging.LogFormatConsole))
	if err != nil {
		return result, fmt.Errorf("logging.InitWithCore: %w", err)
	}
	// Sync() resumes the newest unfinished sync it finds in an existing file; every full run starts afresh.
	if !keep {
		if err := os.Remove(o.out); err != nil && !errors.Is(err, os.ErrNotExist) {
			return result, err
		}
	}
	tmpDir, err := os.MkdirTemp(filepath.Dir(o.out), "batonsync-tmp-")
	if err != nil {
		return result, err
	}
	defer os.RemoveAll(tmpDir)

	opts := []sdkSync.SyncOpt{
		sdkSync.WithC1ZPath(o.out),
		sdkSync.WithTmpDir(tmpDir),
		sdkSync.WithStorageEngine(engine),
		sdkSync.WithWorkerCount(o.workers),
	}
	if o.strict {
		opts = append(opts, sdkSync.WithFailFastInvariants())
	}
	opts = append(opts, extra...)
	syncer, err := sdkSync.NewSyncer(ctx, client, opts...)
	if err != nil {
		return result, fmt.Errorf("sync.NewSyncer: %w", err)
	}

	started := time.Now()
	syncErr := syncer.Sync(ctx)
	result.Seconds = time.Since(started).Seconds()
	// Close always runs: it is what writes (packs) the c1z.
	closing := time.Now()
	closeErr := syncer.Close(ctx)
	result.CloseSeconds = time.Since(closing).Seconds()
	result.Preservable = sdkSync.IsSyncPreservable(syncErr)
	if syncErr != nil {
		if st, ok := status.FromError(syncErr); ok {
			result.Code = st.Code().String()
		}
		return result, fmt.Errorf("Sync: %w", syncErr)
	}
	if closeErr != nil {
		return result, fmt.Errorf("Close: %w", closeErr)
	}
	result.Completed = true
	return result, nil
}
