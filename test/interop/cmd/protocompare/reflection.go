package main

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// fetchServedFiles asks the server, over one reflection stream, for the files upstream defines (by
// file name) and for every file the answers depend on, then links them into a registry. A file the
// server does not know is simply absent from the result; compare reports what that leaves missing.
func fetchServedFiles(ctx context.Context, conn *grpc.ClientConn, names []string) (*protoregistry.Files, error) {
	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return nil, fmt.Errorf("opening the reflection stream: %w", err)
	}
	defer stream.CloseSend()

	byName := map[string]*descriptorpb.FileDescriptorProto{}
	queue := append([]string{}, names...)
	asked := map[string]bool{}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if asked[name] || byName[name] != nil {
			continue
		}
		asked[name] = true
		req := &reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_FileByFilename{FileByFilename: name}}
		if err := stream.Send(req); err != nil {
			return nil, fmt.Errorf("reflection request for %s: %w", name, err)
		}
		resp, err := stream.Recv()
		if err != nil {
			return nil, fmt.Errorf("reflection answer for %s: %w", name, err)
		}
		files := resp.GetFileDescriptorResponse()
		if files == nil {
			continue
		}
		for _, raw := range files.GetFileDescriptorProto() {
			fd := &descriptorpb.FileDescriptorProto{}
			if err := proto.Unmarshal(raw, fd); err != nil {
				return nil, fmt.Errorf("decoding a FileDescriptorProto for %s: %w", name, err)
			}
			if byName[fd.GetName()] == nil {
				byName[fd.GetName()] = fd
				queue = append(queue, fd.GetDependency()...)
			}
		}
	}
	set := &descriptorpb.FileDescriptorSet{}
	for _, fd := range byName {
		set.File = append(set.File, fd)
	}
	files, err := protodesc.NewFiles(set)
	if err != nil {
		return nil, fmt.Errorf("linking the served descriptors: %w", err)
	}
	return files, nil
}
