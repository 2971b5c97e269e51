package main

import (
	"fmt"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// compare walks every upstream message, enum and service and checks the served one of the same full
// name. Extra served fields or values are differences too: an engine would not know them.
func compare(upstream []protoreflect.FileDescriptor, served *protoregistry.Files) report {
	r := report{Packages: upstreamPackages, Files: len(upstream), Differences: []string{}, Reserved: []string{}}
	diff := func(format string, args ...any) { r.Differences = append(r.Differences, fmt.Sprintf(format, args...)) }
	reserved := func(format string, args ...any) { r.Reserved = append(r.Reserved, fmt.Sprintf(format, args...)) }

	var walkMessages func(msgs protoreflect.MessageDescriptors)
	var walkEnums func(enums protoreflect.EnumDescriptors)
	walkEnums = func(enums protoreflect.EnumDescriptors) {
		for i := 0; i < enums.Len(); i++ {
			r.Enums++
			compareEnum(enums.Get(i), served, diff)
		}
	}
	walkMessages = func(msgs protoreflect.MessageDescriptors) {
		for i := 0; i < msgs.Len(); i++ {
			m := msgs.Get(i)
			if m.IsMapEntry() {
				continue
			}
			r.Messages++
			compareMessage(m, served, diff, reserved)
			walkMessages(m.Messages())
			walkEnums(m.Enums())
		}
	}
	for _, f := range upstream {
		walkMessages(f.Messages())
		walkEnums(f.Enums())
		for i := 0; i < f.Services().Len(); i++ {
			s := f.Services().Get(i)
			r.Services++
			r.Methods += s.Methods().Len()
			compareService(s, served, diff)
		}
	}
	return r
}

func find(served *protoregistry.Files, name protoreflect.FullName) protoreflect.Descriptor {
	d, err := served.FindDescriptorByName(name)
	if err != nil {
		return nil
	}
	return d
}

func compareMessage(up protoreflect.MessageDescriptor, served *protoregistry.Files, diff, reserved func(string, ...any)) {
	d := find(served, up.FullName())
	ours, ok := d.(protoreflect.MessageDescriptor)
	if !ok {
		diff("message %s: not published by the server", up.FullName())
		return
	}
	for i := 0; i < up.Fields().Len(); i++ {
		uf := up.Fields().Get(i)
		of := ours.Fields().ByNumber(uf.Number())
		if of == nil && ours.ReservedRanges().Has(uf.Number()) {
			// A deliberate omission, declared in our .proto: the field is skipped as unknown, never reused.
			reserved("%s: field %d (%s %s) reserved", up.FullName(), uf.Number(), uf.Name(), fieldShape(uf))
			continue
		}
		if of == nil {
			diff("%s: field %d (%s) missing", up.FullName(), uf.Number(), uf.Name())
			continue
		}
		if want, got := fieldShape(uf), fieldShape(of); want != got {
			diff("%s field %d: upstream %s, served %s", up.FullName(), uf.Number(), want, got)
		}
	}
	for i := 0; i < ours.Fields().Len(); i++ {
		of := ours.Fields().Get(i)
		if up.Fields().ByNumber(of.Number()) == nil {
			diff("%s: served field %d (%s) is not upstream", up.FullName(), of.Number(), of.Name())
		}
	}
}

// fieldShape is what decides how a field is encoded and decoded (and its JSON name, for grpcurl).
func fieldShape(f protoreflect.FieldDescriptor) string {
	shape := fmt.Sprintf("%s %s %s json=%s", f.Cardinality(), f.Kind(), f.Name(), f.JSONName())
	switch {
	case f.IsMap():
		shape += fmt.Sprintf(" map<%s,%s>", fieldShape(f.MapKey()), fieldShape(f.MapValue()))
	case f.Message() != nil:
		shape += " " + string(f.Message().FullName())
	case f.Enum() != nil:
		shape += " " + string(f.Enum().FullName())
	}
	if f.IsPacked() {
		shape += " packed"
	}
	if o := f.ContainingOneof(); o != nil && !o.IsSynthetic() {
		shape += " oneof=" + string(o.Name())
	}
	if f.HasPresence() {
		shape += " presence"
	}
	return shape
}

func compareEnum(up protoreflect.EnumDescriptor, served *protoregistry.Files, diff func(string, ...any)) {
	ours, ok := find(served, up.FullName()).(protoreflect.EnumDescriptor)
	if !ok {
		diff("enum %s: not published by the server", up.FullName())
		return
	}
	for i := 0; i < up.Values().Len(); i++ {
		uv := up.Values().Get(i)
		ov := ours.Values().ByName(uv.Name())
		if ov == nil {
			diff("enum %s: value %s (%d) missing", up.FullName(), uv.Name(), uv.Number())
		} else if ov.Number() != uv.Number() {
			diff("enum %s: value %s is %d upstream, %d served", up.FullName(), uv.Name(), uv.Number(), ov.Number())
		}
	}
	for i := 0; i < ours.Values().Len(); i++ {
		if ov := ours.Values().Get(i); up.Values().ByName(ov.Name()) == nil {
			diff("enum %s: served value %s (%d) is not upstream", up.FullName(), ov.Name(), ov.Number())
		}
	}
}

func compareService(up protoreflect.ServiceDescriptor, served *protoregistry.Files, diff func(string, ...any)) {
	ours, ok := find(served, up.FullName()).(protoreflect.ServiceDescriptor)
	if !ok {
		diff("service %s: not published by the server", up.FullName())
		return
	}
	shape := func(m protoreflect.MethodDescriptor) string {
		return fmt.Sprintf("(%s stream=%t) returns (%s stream=%t)", m.Input().FullName(), m.IsStreamingClient(), m.Output().FullName(), m.IsStreamingServer())
	}
	for i := 0; i < up.Methods().Len(); i++ {
		um := up.Methods().Get(i)
		om := ours.Methods().ByName(um.Name())
		if om == nil {
			diff("/%s/%s: method missing", up.FullName(), um.Name())
			continue
		}
		if shape(um) != shape(om) {
			diff("/%s/%s: upstream %s, served %s", up.FullName(), um.Name(), shape(um), shape(om))
		}
	}
	for i := 0; i < ours.Methods().Len(); i++ {
		if om := ours.Methods().Get(i); up.Methods().ByName(om.Name()) == nil {
			diff("/%s/%s: served method is not upstream", up.FullName(), om.Name())
		}
	}
}
